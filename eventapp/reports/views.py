"""Host views of a meeting's registrations, exports, catering summary and visa letters."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.audit.passport import record_passport_opened
from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, Registration, RegistrationCategory, RegistrationStatus
from eventapp.registration.tokens import load_manage_token
from eventapp.reports import exports, services, visa
from eventapp.web import limits

bp = Blueprint("reports", __name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _meeting(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None:
        abort(404)
    return meeting


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/meetings/<slug>/registrations")
@policy.require(policy.can_view_registrations)
def registrations(slug: str) -> str:
    meeting = _meeting(slug)
    filters = services.RegistrationFilters.from_args(request.args)
    return render_template(
        "reports/registrations.html",
        meeting=meeting,
        filters=filters,
        registrations=services.registration_page(meeting, filters, request.args),
        counts=services.registration_counts(meeting),
        members=services.meeting_members(meeting),
        categories=list(RegistrationCategory),
        statuses=list(RegistrationStatus),
        needs=services.NEEDS,
    )


@bp.get("/meetings/<slug>/registrations.<any(csv, xlsx):fmt>")
@policy.require(policy.can_view_registrations)
def export(slug: str, fmt: str) -> Response:
    meeting = _meeting(slug)
    filters = services.RegistrationFilters.from_args(request.args)
    rows = services.list_registrations(meeting, filters)
    filename = f"registrations-{meeting.slug}.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(rows), "text/csv; charset=utf-8", filename)
    return _download(exports.to_xlsx(rows), XLSX_TYPE, filename)


@bp.get("/meetings/<slug>/delegations")
@policy.require(policy.can_view_registrations)
def delegations(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template("reports/delegations.html", meeting=meeting, rows=services.delegation_overview(meeting))


@bp.get("/meetings/<slug>/catering")
@policy.require(policy.can_view_registrations)
def catering(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template("reports/catering.html", meeting=meeting, summary=services.catering_summary(meeting))


def _letter(registration: Registration) -> Response | tuple[str, int]:
    try:
        pdf = visa.render_letter(registration)
    except visa.VisaLetterError as exc:
        title = _("No visa letter yet") if exc.status == 403 else _("No visa letter")
        return render_template("errors/error.html", code=exc.status, title=title, message=str(exc)), exc.status
    record_passport_opened(registration, actor=current_user, where="visa letter")
    return _download(pdf, "application/pdf", visa.letter_filename(registration))


@bp.get("/meetings/<slug>/registrations/<int:registration_id>/visa-letter.pdf")
@policy.require(policy.can_view_registrations)
def host_visa_letter(slug: str, registration_id: int) -> Response | tuple[str, int]:
    meeting = _meeting(slug)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        abort(404)
    return _letter(registration)


@bp.get("/r/<token>/visa-letter.pdf")
@limits.private_link
def registrant_visa_letter(token: str) -> Response | tuple[str, int]:
    """The registrant's own letter, through their manage link's token."""
    registration = load_manage_token(token)
    if registration is None:
        abort(404)
    return _letter(registration)
