"""Check-in API, JSON over /api/v1; described by /api/v1/openapi.json."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, g, jsonify, request
from flask_limiter.errors import RateLimitExceeded

from eventapp.api import budgets
from eventapp.api.auth import AuthError, current_caller, mark_device_used
from eventapp.api.openapi import MAX_CHECKINS, MAX_ID, document
from eventapp.api.scanrequest import BadRequest, parse_scan_request
from eventapp.checkin import attendance
from eventapp.checkin.services import CheckpointError, scan
from eventapp.extensions import csrf, db
from eventapp.models import Meeting, Registration, RegistrationStatus

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Devices authenticate with bearer tokens; browser sessions must send X-CSRFToken (see auth.py).
csrf.exempt(bp)
# A request budget per device token, and one of failed authentications per address (budgets.py).
budgets.limit_blueprint(bp)


@bp.after_request
def _mark_device_used(response: Response) -> Response:
    device_id = g.pop("device_to_mark", None)
    if device_id is not None and response.status_code < 400:
        mark_device_used(device_id)
    return response


@bp.before_request
def _one_value_per_parameter() -> None:
    """A parameter given twice is refused: the document describes one value for each."""
    for name, values in request.args.lists():
        if len(values) > 1:
            raise BadRequest(f"'{name}' is given more than once.", name)


@bp.teardown_request
def _forget_caller(exc: BaseException | None) -> None:
    # `g` outlives the request where an app context was pushed before it (tests, commands).
    g.pop("api_caller", None)


def error(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if field:
        body["field"] = field
    return jsonify(body), status


@bp.errorhandler(AuthError)
def _auth_error(exc: AuthError) -> tuple[Response, int]:
    response, status = error(exc.status, exc.message)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="eventapp"'
    return response, status


@bp.errorhandler(RateLimitExceeded)
def _rate_limited(exc: RateLimitExceeded) -> tuple[Response, int]:
    return budgets.rate_limited(exc)


@bp.errorhandler(BadRequest)
def _bad_request(exc: BadRequest) -> tuple[Response, int]:
    return error(400, exc.message, exc.field)


@bp.errorhandler(400)
def _malformed(exc: Exception) -> tuple[Response, int]:
    return error(400, "Malformed request: no NUL characters in the address or query.")


@bp.errorhandler(413)
def _too_large(exc: Exception) -> tuple[Response, int]:
    return error(413, "The request body is too large.")


@bp.errorhandler(404)
def _not_found(exc: Exception) -> tuple[Response, int]:
    return error(404, "Not found.")


def meeting_api(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate, load the meeting by slug and check the caller may use it."""

    @wraps(view)
    def wrapped(slug: str, **kwargs: Any) -> Any:
        caller = current_caller()
        if caller.meeting is not None and caller.meeting.slug == slug:
            meeting: Meeting | None = caller.meeting  # a device's own meeting, read with its token
        else:
            meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))
        if meeting is None:
            return error(404, "No meeting with this slug.")
        if not caller.may_use(meeting):
            return error(403, "This device token belongs to another meeting.")
        g.caller = caller
        return view(meeting, **kwargs)

    return wrapped


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())


@bp.post("/meetings/<slug>/scans")
@meeting_api
def scan_badge(meeting: Meeting) -> Any:
    scan_request = parse_scan_request(request.get_json(silent=True))
    caller = g.caller
    try:
        outcome = scan(
            meeting,
            token=scan_request.token,
            checkpoint=scan_request.checkpoint,
            direction=scan_request.direction,
            nonce=scan_request.nonce,
            scanned_at=scan_request.scanned_at,
            device=caller.label,
            user_id=caller.user_id,
        )
    except CheckpointError as exc:
        db.session.rollback()
        raise BadRequest(str(exc), "checkpoint") from exc
    return jsonify(outcome.as_json() | {"duplicate": outcome.duplicate})


@bp.get("/meetings/<slug>/participants")
@meeting_api
def list_participants(meeting: Meeting) -> Any:
    q = request.args.get("q", "").strip()[:100]
    people = attendance.search_participants(meeting, q)
    return jsonify({"participants": people})


@bp.get("/meetings/<slug>/participants/<int:registration_id>/badge.pdf")
@meeting_api
def get_badge_pdf(meeting: Meeting, registration_id: int) -> Any:
    from eventapp.badges.pdf import LAYOUTS, render_badges
    from eventapp.badges.services import issue_badge

    layout = request.args.get("layout", "a6")
    if layout not in LAYOUTS:
        raise BadRequest(f"'layout' must be one of {', '.join(LAYOUTS)}.", "layout")
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        return error(404, "No such participant at this meeting.")
    if registration.status != RegistrationStatus.APPROVED:
        return error(409, "Only approved participants have a badge.")
    issue_badge(registration)
    db.session.commit()
    pdf = render_badges(meeting, [registration], layout=layout)
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": "inline; filename=badge.pdf"})


@bp.get("/meetings/<slug>/scanner-bundle")
@meeting_api
def get_scanner_bundle(meeting: Meeting) -> Any:
    return jsonify(attendance.scanner_bundle(meeting))


@bp.get("/meetings/<slug>/status")
@meeting_api
def get_checkin_status(meeting: Meeting) -> Any:
    return jsonify(attendance.status(meeting))


def _whole_number(name: str, default: int | None, low: int, high: int) -> int | None:
    """A query parameter that must be a whole number from `low` to `high`, as the document says."""
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high}.", name)
    return int(text)


@bp.get("/meetings/<slug>/checkins")
@meeting_api
def list_checkins(meeting: Meeting) -> Any:
    limit = _whole_number("limit", 100, 1, MAX_CHECKINS)
    before_id = _whole_number("before_id", None, 1, MAX_ID)
    return jsonify({"checkins": attendance.history(meeting, limit=limit, before_id=before_id)})
