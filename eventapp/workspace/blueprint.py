"""The workspace blueprint, shared by its view modules, and what they all need."""

from __future__ import annotations

from flask import Blueprint, abort

from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, Registration
from eventapp.workspace.people import find_participant

bp = Blueprint("workspace", __name__)


def meeting_or_404(slug: str) -> Meeting:
    return get_meeting(slug) or abort(404)


def participant_or_404(meeting: Meeting, registration_id: int) -> Registration:
    return find_participant(meeting, registration_id) or abort(404)
