"""The agenda blueprint, shared by its view modules (public agenda, editor, personal agenda)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from eventapp.auth import policy
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting

bp = Blueprint("agenda", __name__)


def visible_meeting(slug: str) -> Meeting:
    """The meeting the current user may see, or 404."""
    meeting = get_meeting(slug)
    if meeting is None or not policy.can_view_meeting(current_user, meeting):
        abort(404)
    return meeting


def webcal(url: str) -> str:
    """The same address with the webcal scheme, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]
