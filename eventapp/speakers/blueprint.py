"""The speakers blueprint and what its view modules share: finding a list and who may see it."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from eventapp.agenda.blueprint import visible_meeting
from eventapp.agenda.services import visible_session
from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, Session, SpeakersList
from eventapp.speakers.services import list_of_session

bp = Blueprint("speakers", __name__)


def hosted_session(slug: str, session_id: int) -> tuple[Meeting, Session]:
    """A session of the meeting, for hosts (the view checks the role), or 404."""
    meeting = get_meeting(slug)
    session = db.session.get(Session, session_id) if meeting is not None else None
    if meeting is None or session is None or session.meeting_id != meeting.id:
        abort(404)
    return meeting, session


def hosted_list(slug: str, session_id: int) -> tuple[Meeting, Session, SpeakersList]:
    meeting, session = hosted_session(slug, session_id)
    found = list_of_session(session.id)
    if found is None:
        abort(404)
    return meeting, session, found


def can_see_list(user: object, session: Session, speakers_list: SpeakersList) -> bool:
    """Hosts always; everyone who may see the session once the host has published the list."""
    if policy.can_manage_meetings(user):
        return True
    return speakers_list.is_published and visible_session(session.meeting, session.id, user) is not None


def public_list(slug: str, session_id: int) -> tuple[Meeting, Session, SpeakersList]:
    """The list if the reader may see it; otherwise it is not there (404)."""
    meeting = visible_meeting(slug)
    session = db.session.get(Session, session_id)
    if session is None or session.meeting_id != meeting.id:
        abort(404)
    found = list_of_session(session.id)
    if found is None or not can_see_list(current_user, session, found):
        abort(404)
    return meeting, session, found


@bp.app_template_global()
def speakers_list_for(session: Session) -> SpeakersList | None:
    """The session's speakers' list if the reader may see it (for the session page's links)."""
    found = list_of_session(session.id)
    if found is None or not can_see_list(current_user, session, found):
        return None
    return found
