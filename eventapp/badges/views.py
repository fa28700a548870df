"""Host pages: the meeting's badges, batch printing by layout and category, reissuing one badge."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from eventapp.audit.services import record
from eventapp.auth.policy import can_manage_meetings, require
from eventapp.badges.batches import BatchError, batch_path, batches_of, request_batch
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


class BatchForm(AppForm):
    layout = SelectField(_l("Sheet layout"), choices=pair_choices([(k, _l(v.label)) for k, v in LAYOUTS.items()]))
    category = SelectField(
        _l("Category"), choices=[SelectChoice("", _l("All categories")), *enum_choices(RegistrationCategory)]
    )


class ReissueForm(AppForm):
    """Only the CSRF token: reissuing takes no input."""


def _meeting(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None:
        abort(404)
    return meeting


def _registration(meeting: Meeting, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        abort(404)
    return registration


def _page(meeting: Meeting, form: BatchForm) -> tuple[str, int]:
    registrations = paginate(approved_query(meeting), request.args)
    return render_form(
        "badges/index.html",
        meeting=meeting,
        form=form,
        reissue_form=ReissueForm(),
        registrations=registrations,
        live=live_badges([r.id for r in registrations.items]),
        batches=batches_of(meeting),
    )


@bp.get("/meetings/<slug>/badges")
@require(can_manage_meetings)
def index(slug: str) -> tuple[str, int]:
    return _page(_meeting(slug), BatchForm())


@bp.post("/meetings/<slug>/badges/batches")
@require(can_manage_meetings)
def create_batch(slug: str) -> tuple[str, int] | BaseResponse:
    meeting = _meeting(slug)
    form = BatchForm()
    if not form.validate_on_submit():
        return _page(meeting, form)
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
    meeting = _meeting(slug)
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
    meeting = _meeting(slug)
    registration = _registration(meeting, registration_id)
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
    meeting = _meeting(slug)
    registration = _registration(meeting, registration_id)
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
