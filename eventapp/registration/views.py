"""Registration pages: public applications and the registrant's own manage link.

Delegation pages (focal points) and host pages live in their own modules on the same blueprint.
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventapp.auth import policy
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, Registration
from eventapp.registration import delegation_views, host_views  # noqa: F401  (their routes join `bp`)
from eventapp.registration.applications import SUBMITTED_MESSAGE, submit_application
from eventapp.registration.blueprint import attach_error, bp, closed_page
from eventapp.registration.errors import DuplicateEmail, RegistrationClosed, RegistrationError
from eventapp.registration.forms import ApplicationForm, ResendLinkForm, SelfEditForm, WithdrawForm, person_data
from eventapp.registration.ics import ics_filename, meeting_ics
from eventapp.registration.people import passport_of
from eventapp.registration.selfservice import can_edit_now, resend_manage_link, update_own_details, withdraw
from eventapp.registration.tokens import load_manage_token
from eventapp.web import limits
from eventapp.web.edge import accepts_upload
from eventapp.web.responses import render_form

__all__ = ["bp"]

RESEND_MESSAGE = _l(
    "If this address is registered for the meeting, a message with the private link is on its way. "
    "Check your inbox (and spam folder) in a few minutes."
)


def _open_meeting(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None or not policy.can_view_meeting(current_user, meeting):
        abort(404)
    return meeting


@bp.route("/meetings/<slug>/apply", methods=["GET", "POST"])
@accepts_upload
@limits.public_form
def apply(slug: str) -> tuple[str, int] | Response:
    meeting = _open_meeting(slug)
    if not meeting.registration_is_open():
        return closed_page(meeting)
    form = ApplicationForm()
    duplicate = False
    if form.validate_on_submit():
        try:
            submitted = submit_application(
                meeting,
                form.category.data or "",
                person_data(form),
                consent_data_processing=bool(form.consent_data_processing.data),
                consent_participant_list=bool(form.consent_participant_list.data),
            )
        except RegistrationClosed:
            return closed_page(meeting)
        except RegistrationError as exc:
            duplicate = isinstance(exc, DuplicateEmail)
            attach_error(form, exc, "given_name")
        else:
            flash(_(SUBMITTED_MESSAGE), "success")
            return redirect(url_for("registration.manage", token=submitted.manage_token))
    return render_form("registration/apply.html", form=form, meeting=meeting, duplicate=duplicate)


@bp.route("/meetings/<slug>/resend-link", methods=["GET", "POST"])
@limits.public_form
def resend_link(slug: str) -> tuple[str, int] | Response:
    meeting = _open_meeting(slug)
    form = ResendLinkForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]
    if form.validate_on_submit():
        try:
            resend_manage_link(meeting, form.email.data or "")
        except RegistrationError as exc:
            attach_error(form, exc, "email")
        else:
            flash(str(RESEND_MESSAGE), "success")
            return redirect(url_for("meetings.show", slug=meeting.slug))
    return render_form("registration/resend.html", form=form, meeting=meeting)


def _registration(token: str) -> Registration:
    registration = load_manage_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.get("/r/<token>")
@limits.private_link
def manage(token: str) -> str:
    registration = _registration(token)
    agenda_url = None
    if "agenda.personal" in current_app.view_functions:
        agenda_url = url_for("agenda.personal", token=token)
    return render_template(
        "registration/manage.html",
        registration=registration,
        meeting=registration.meeting,
        token=token,
        can_edit=can_edit_now(registration),
        withdraw_form=WithdrawForm(),
        agenda_url=agenda_url,
    )


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
@accepts_upload
@limits.private_link
def edit_own(token: str) -> tuple[str, int] | Response:
    registration = _registration(token)
    if not can_edit_now(registration):
        flash(_("These details can no longer be changed here. Please write to the secretariat."), "warning")
        return redirect(url_for("registration.manage", token=token))
    form = SelfEditForm() if request.method == "POST" else SelfEditForm(obj=registration)
    if request.method == "GET":
        form.passport_number.data, form.passport_expiry.data = passport_of(registration)
    if form.validate_on_submit():
        try:
            update_own_details(registration, person_data(form))
        except RegistrationError as exc:
            attach_error(form, exc, "given_name")
        else:
            flash(_("Your details were saved."), "success")
            return redirect(url_for("registration.manage", token=token))
    return render_form("registration/edit_own.html", form=form, registration=registration, meeting=registration.meeting)


@bp.post("/r/<token>/withdraw")
@limits.private_link
def withdraw_own(token: str) -> Response:
    registration = _registration(token)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw(registration, reason=form.reason.data or "")
        except RegistrationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Your registration is withdrawn. Thank you for letting us know."), "success")
    return redirect(url_for("registration.manage", token=token))


@bp.get("/r/<token>/confirmation")
@limits.private_link
def confirmation(token: str) -> str:
    registration = _registration(token)
    return render_template("registration/confirmation.html", registration=registration, meeting=registration.meeting)


@bp.get("/r/<token>/meeting.ics")
@limits.private_link
def meeting_calendar(token: str) -> Response:
    meeting = _registration(token).meeting
    body = meeting_ics(meeting, url=url_for("meetings.show", slug=meeting.slug, _external=True))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{ics_filename(meeting)}"'},
    )
