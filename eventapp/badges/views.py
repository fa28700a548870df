"""Host pages: the meeting's badges, batch printing by layout and category, reissuing one badge."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from eventapp.audit.services import record
from eventapp.auth.policy import can_manage_meetings, require
from eventapp.badges.batches import BatchError, batch_path, batches_of, request_batch
from eventapp.badges.names import name_problems
from eventapp.badges.pdf import LAYOUTS, render_badges
from eventapp.badges.services import BadgeError, approved_query, approved_registrations, live_badges, reissue_badge
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import BadgeBatch, Meeting, Registration, RegistrationCategory, RegistrationStatus
from eventapp.registration.tokens import load_manage_token
from eventapp.web import limits
from eventapp.web.forms import AppForm, enum_choices, pair_choices
from eventapp.web.pagination import paginate
from eventapp.web.responses import render_form

bp = Blueprint("badges", __name__)
# The participant's page (templates/badges/_participant.html) asks what a host should know.
bp.add_app_template_global(name_problems, "badge_warnings")


@bp.app_template_global("has_endpoint")
def has_endpoint(endpoint: str) -> bool:
    """Whether a page exists (pages of features still being built may not)."""
    return endpoint in current_app.view_functions


class BatchForm(AppForm):
    layout = SelectField(_l("Sheet layout"), choices=pair_choices([(k, _l(v.label)) for k, v in LAYOUTS.items()]))
    category = SelectField(
        _l("Category"), choices=[SelectChoice("", _l("All categories")), *enum_choices(RegistrationCategory)]
    )
    print_anyway = BooleanField(_l("Print anyway, with the names as listed above"))


class ReissueForm(AppForm):
    """Only the CSRF token: reissuing takes no input."""


def meeting_or_404(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None:
        abort(404)
    return meeting


def registration_or_404(meeting: Meeting, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        abort(404)
    return registration


def _page(
    meeting: Meeting, form: BatchForm, to_check: list[tuple[Registration, list[str]]] | None = None
) -> tuple[str, int]:
    registrations = paginate(approved_query(meeting), request.args)
    return render_form(
        "badges/index.html",
        meeting=meeting,
        form=form,
        to_check=to_check,
        problems={r.id: name_problems(r) for r in registrations.items},
        reissue_form=ReissueForm(),
        registrations=registrations,
        live=live_badges([r.id for r in registrations.items]),
        batches=batches_of(meeting),
    )


@bp.get("/meetings/<slug>/badges")
@require(can_manage_meetings)
def index(slug: str) -> tuple[str, int]:
    return _page(meeting_or_404(slug), BatchForm())


@bp.post("/meetings/<slug>/badges/batches")
@require(can_manage_meetings)
def create_batch(slug: str) -> tuple[str, int] | BaseResponse:
    meeting = meeting_or_404(slug)
    form = BatchForm()
    if not form.validate_on_submit():
        return _page(meeting, form)
    if not form.print_anyway.data:
        # The host hears of every name that would not print as given before the batch is made.
        people = approved_registrations(meeting, category=form.category.data or None)
        to_check = [(r, found) for r in people if (found := name_problems(r, form.layout.data or "a6"))]
        if to_check:
            form.print_anyway.errors = [
                ngettext(
                    "%(num)d name will not print as given: check it, or print anyway.",
                    "%(num)d names will not print as given: check them, or print anyway.",
                    len(to_check),
                )
            ]
            return _page(meeting, form, to_check)
    try:
        batch = request_batch(
            meeting, form.layout.data or "", form.category.data or "", user_id=current_user.id, locale=str(get_locale())
        )
    except BatchError as exc:
        getattr(form, exc.field).errors = [exc.message]
        return _page(meeting, form)
    flash(_("Badge batch %(id)s: %(status)s.", id=batch.id, status=batch.status.label.lower()), "success")
    return redirect(url_for("badges.index", slug=slug))


@bp.get("/meetings/<slug>/badges/batches/<int:batch_id>.pdf")
@require(can_manage_meetings)
def download_batch(slug: str, batch_id: int) -> Response:
    meeting = meeting_or_404(slug)
    batch = db.session.get(BadgeBatch, batch_id)
    if batch is None or batch.meeting_id != meeting.id:
        abort(404)
    path = batch_path(batch)
    if path is None:
        abort(404)
    return send_file(path, mimetype="application/pdf", download_name=f"badges-{meeting.slug}-{batch.id}.pdf")


@bp.get("/meetings/<slug>/badges/<int:registration_id>.pdf")
@require(can_manage_meetings)
def one_badge(slug: str, registration_id: int) -> Response:
    meeting = meeting_or_404(slug)
    registration = registration_or_404(meeting, registration_id)
    if registration not in approved_registrations(meeting, ids=[registration.id]):
        abort(404)
    pdf = render_badges(meeting, [registration], "a6", locale=registration.locale)
    db.session.commit()
    return Response(pdf, mimetype="application/pdf")


@bp.get("/r/<token>/badge.pdf")
@limits.private_link
def own_badge(token: str) -> Response:
    """The registrant's own badge, from their manage link, once approved."""
    registration = load_manage_token(token)
    if registration is None or registration.status != RegistrationStatus.APPROVED:
        abort(404)
    pdf = render_badges(registration.meeting, [registration], "a6", locale=registration.locale)
    db.session.commit()
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="badge-{registration.meeting.slug}.pdf"'},
    )


@bp.post("/meetings/<slug>/badges/<int:registration_id>/reissue")
@require(can_manage_meetings)
def reissue(slug: str, registration_id: int) -> BaseResponse:
    meeting = meeting_or_404(slug)
    registration = registration_or_404(meeting, registration_id)
    if not ReissueForm().validate_on_submit():
        abort(400)
    try:
        badge = reissue_badge(registration)
    except BadgeError as exc:
        flash(str(exc), "error")
        return redirect(url_for("badges.index", slug=slug))
    record("badge.reissue", badge, actor=current_user, meeting_id=meeting.id)
    db.session.commit()
    flash(_("New badge for %(name)s; the old one no longer opens any door.", name=registration.full_name), "success")
    return redirect(url_for("badges.index", slug=slug))


# The other pages of this blueprint: one person's badge, and the nameplates and seating list.
from eventapp.badges import nameplate_views, person_views  # noqa: E402, F401
