"""A participant's page and what the hosts do from it; each action calls the service that owns the rule."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.audit.passport import record_passport_opened
from eventapp.auth import policy
from eventapp.auth.services import safe_next_url
from eventapp.badges.services import BadgeError
from eventapp.extensions import db
from eventapp.models import Direction, Meeting, Registration, RegistrationStatus
from eventapp.registration.applications import DecisionResult, decide
from eventapp.registration.blueprint import attach_error
from eventapp.registration.errors import DuplicateEmail, RegistrationError
from eventapp.registration.forms import ActionForm, person_data
from eventapp.registration.notifications import interface_locale
from eventapp.registration.people import passport_of
from eventapp.registration.selfservice import resend_manage_link, withdraw
from eventapp.registration.store import update_person
from eventapp.reports.visa import VisaLetterError, check_letter_allowed
from eventapp.web.edge import accepts_upload
from eventapp.web.responses import render_form
from eventapp.workspace.blueprint import bp, meeting_or_404, participant_or_404
from eventapp.workspace.desk import move_by_hand
from eventapp.workspace.forms import AddPersonForm, MoveForm, NoteForm, StaffPersonForm, StatusForm
from eventapp.workspace.people import add_by_staff, add_note, history, is_inside, live_badge, new_badge, notes_of

staff = policy.require(policy.can_review_registrations)


def _page(
    meeting: Meeting, person: Registration, *, status_form: StatusForm | None = None, note_form: NoteForm | None = None
) -> tuple[str, int]:
    try:
        check_letter_allowed(person)
        letter_ready = True
    except VisaLetterError:
        letter_ready = False
    return render_form(
        "workspace/participant.html",
        meeting=meeting,
        person=person,
        history=history(person),
        notes=notes_of(person),
        inside=is_inside(person),
        badge=live_badge(person),
        letter_ready=letter_ready,
        status_form=status_form or StatusForm(),
        note_form=note_form or NoteForm(),
        move_form=MoveForm(),
        action_form=ActionForm(),
    )


@bp.get("/meetings/<slug>/people/<int:registration_id>")
@staff
def participant(slug: str, registration_id: int) -> tuple[str, int]:
    meeting = meeting_or_404(slug)
    return _page(meeting, participant_or_404(meeting, registration_id))


def _to_person(slug: str, registration_id: int) -> Response:
    return redirect(url_for("workspace.participant", slug=slug, registration_id=registration_id))


@bp.post("/meetings/<slug>/people/<int:registration_id>/status")
@staff
def participant_status(slug: str, registration_id: int) -> Response | tuple[str, int]:
    meeting = meeting_or_404(slug)
    person = participant_or_404(meeting, registration_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _page(meeting, person, status_form=form)
    action, reason = form.action.data or "", form.reason.data or ""
    try:
        if action == "withdraw":
            promoted = withdraw(person, actor=current_user, reason=reason)
            flash(_("%(name)s is withdrawn.", name=person.full_name), "success")
        else:
            result = decide(meeting, [person.id], action, actor=current_user, reason=reason)
            promoted = result.promoted
            flash(decision_message(person, result), "success" if not result.skipped else "warning")
    except RegistrationError as exc:
        db.session.rollback()
        attach_error(form, exc, "action")
        return _page(meeting, person, status_form=form)
    if promoted:
        flash(
            ngettext(
                "%(num)d person moved up from the waiting list and was told by email.",
                "%(num)d people moved up from the waiting list and were told by email.",
                len(promoted),
            ),
            "success",
        )
    return _to_person(slug, registration_id)


@bp.route("/meetings/<slug>/people/<int:registration_id>/edit", methods=["GET", "POST"])
@staff
@accepts_upload
def participant_edit(slug: str, registration_id: int) -> Response | tuple[str, int]:
    meeting = meeting_or_404(slug)
    person = participant_or_404(meeting, registration_id)
    form = StaffPersonForm() if request.method == "POST" else StaffPersonForm(obj=person)
    if request.method == "GET":
        form.passport_number.data, form.passport_expiry.data = passport_of(person)
        record_passport_opened(person, actor=current_user, where="person form")
    if form.validate_on_submit():
        try:
            update_person(person, person_data(form), actor=current_user, by_host=True)
        except RegistrationError as exc:
            attach_error(form, exc, "given_name")
        else:
            flash(_("The details were saved."), "success")
            return _to_person(slug, registration_id)
    return render_form("workspace/person_form.html", meeting=meeting, form=form, person=person, duplicate=False)


@bp.route("/meetings/<slug>/people/new", methods=["GET", "POST"])
@staff
@accepts_upload
def add_person(slug: str) -> Response | tuple[str, int]:
    meeting = meeting_or_404(slug)
    form = AddPersonForm()
    if request.method == "GET":
        form.locale.data = interface_locale()
        form.category.data = request.args.get("category", "")
    duplicate = False
    if form.validate_on_submit():
        try:
            person = add_by_staff(
                meeting,
                form.category.data or "",
                person_data(form),
                actor=current_user,
                consent_data_processing=bool(form.consent_data_processing.data),
                consent_participant_list=bool(form.consent_participant_list.data),
                approve=bool(form.approve.data),
                locale=form.locale.data or "en",
            )
        except RegistrationError as exc:
            duplicate = isinstance(exc, DuplicateEmail)
            attach_error(form, exc, "given_name")
        else:
            flash(
                _("%(name)s is registered (%(status)s).", name=person.full_name, status=person.status.label.lower()),
                "success",
            )
            return _to_person(slug, person.id)
    return render_form("workspace/person_form.html", meeting=meeting, form=form, person=None, duplicate=duplicate)


@bp.post("/meetings/<slug>/people/<int:registration_id>/notes")
@staff
def participant_note(slug: str, registration_id: int) -> Response | tuple[str, int]:
    meeting = meeting_or_404(slug)
    person = participant_or_404(meeting, registration_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            add_note(person, form.body.data or "", author=current_user)
        except RegistrationError as exc:
            db.session.rollback()
            attach_error(form, exc, "body")
        else:
            flash(_("The note was kept."), "success")
            return _to_person(slug, registration_id)
    return _page(meeting, person, note_form=form)


@bp.post("/meetings/<slug>/people/<int:registration_id>/resend-link")
@staff
def participant_resend(slug: str, registration_id: int) -> Response:
    meeting = meeting_or_404(slug)
    person = participant_or_404(meeting, registration_id)
    if not _csrf_ok():
        abort(400)
    resend_manage_link(meeting, person.email)
    flash(_("The private link was sent to %(email)s again.", email=person.email), "success")
    return _to_person(slug, registration_id)


@bp.post("/meetings/<slug>/people/<int:registration_id>/badge")
@staff
def participant_badge(slug: str, registration_id: int) -> Response:
    meeting = meeting_or_404(slug)
    person = participant_or_404(meeting, registration_id)
    if not _csrf_ok():
        abort(400)
    try:
        new_badge(person, actor=current_user)
    except BadgeError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(_("New badge for %(name)s; the old one no longer opens any door.", name=person.full_name), "success")
    return _to_person(slug, registration_id)


@bp.post("/meetings/<slug>/people/<int:registration_id>/<any(in, out):direction>")
@staff
def participant_move(slug: str, registration_id: int, direction: str) -> Response:
    """Check in or out by hand, from the person's page or the desk (which sends `next`)."""
    meeting = meeting_or_404(slug)
    person = participant_or_404(meeting, registration_id)
    form = MoveForm()
    if not _csrf_ok():
        abort(400)
    back = safe_next_url(form.next.data) or url_for("workspace.participant", slug=slug, registration_id=person.id)
    if person.status != RegistrationStatus.APPROVED:
        flash(_("Only approved participants can be checked in."), "error")
        return redirect(back)
    try:
        outcome = move_by_hand(meeting, person, Direction(direction), by=current_user)
    except BadgeError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    if direction == "in":
        message = (
            _("%(name)s is checked in.", name=person.full_name)
            if outcome.result.value == "admitted"
            else _("%(name)s: %(reason)s", name=person.full_name, reason=outcome.reason or outcome.result.label)
        )
    else:
        message = _("%(name)s is checked out.", name=person.full_name)
    flash(message, "success")
    return redirect(back)


def _csrf_ok() -> bool:
    """A button-only form: its CSRF token is the whole of its input."""
    return ActionForm().validate_on_submit()


def decision_message(person: Registration, result: DecisionResult) -> str:
    """What became of the one person a decision was about."""
    if result.approved:
        return _("%(name)s is approved.", name=person.full_name)
    if result.waitlisted:
        return _("%(name)s is on the waiting list.", name=person.full_name)
    if result.declined:
        return _("%(name)s is declined.", name=person.full_name)
    return _("%(name)s is %(status)s; nothing changed.", name=person.full_name, status=person.status.label.lower())
