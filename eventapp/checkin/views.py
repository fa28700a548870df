"""On-site pages: the scanner (phone or tablet), the live dashboard and the communiqué list."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, redirect, render_template, send_file, url_for

from eventapp.auth.policy import can_manage_meetings, can_scan, require
from eventapp.badges.photos import cropped_photo
from eventapp.checkin.attendance import as_communique, communique_list, members_present, status
from eventapp.checkin.messages import scanner_messages
from eventapp.checkin.services import checkpoints
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from eventapp.models.base import utcnow

bp = Blueprint("checkin", __name__)


def _meeting(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None:
        abort(404)
    return meeting


@bp.get("/scanner")
@require(can_scan)
def choose() -> Response | str:
    """The nav's Scanner link: straight to the one current meeting, or a choice between several."""
    today = utcnow().date()
    meetings = list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.status == MeetingStatus.PUBLISHED, Meeting.ends_on >= today - timedelta(days=1))
            .order_by(Meeting.starts_on)
        )
    )
    if len(meetings) == 1:
        return redirect(url_for("checkin.scanner", slug=meetings[0].slug))
    return render_template("checkin/choose.html", meetings=meetings)


@bp.get("/meetings/<slug>/scanner")
@require(can_scan)
def scanner(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template(
        "checkin/scanner.html", meeting=meeting, checkpoints=checkpoints(meeting), messages=scanner_messages()
    )


@bp.get("/meetings/<slug>/scanner/photos/<int:registration_id>")
@require(can_scan)
def photo(slug: str, registration_id: int) -> Response:
    """The badge photo of an approved participant, shown to the scanner to check faces."""
    meeting = _meeting(slug)
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.meeting_id != meeting.id
        or registration.status != RegistrationStatus.APPROVED
    ):
        abort(404)
    # The same 3:4 crop as the participant's page and the badge.
    path = cropped_photo(registration) or abort(404)
    response = send_file(path, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/meetings/<slug>/attendance")
@require(can_manage_meetings)
def dashboard(slug: str) -> str:
    meeting = _meeting(slug)
    members = members_present(meeting)
    return render_template(
        "checkin/dashboard.html",
        meeting=meeting,
        status=status(meeting),
        members=members,
        communique=as_communique(members),
    )


@bp.get("/meetings/<slug>/attendance/communique.txt")
@require(can_manage_meetings)
def communique_text(slug: str) -> Response:
    text = communique_list(_meeting(slug))
    return Response(text + "\n", mimetype="text/plain; charset=utf-8")
