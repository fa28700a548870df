"""Reading a meeting's agenda. (The host editor and feeds build on this.)"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.models import Meeting, Session, SessionSpeaker


def visible_sessions(meeting: Meeting, user: object) -> list[Session]:
    """Published sessions the user may see, in time order, with rooms and speakers loaded."""
    if not meeting.agenda_published and not policy.can_manage_meetings(user):
        return []
    query = (
        select(Session)
        .where(Session.meeting_id == meeting.id, Session.is_published.is_(True))
        .options(
            selectinload(Session.room),
            selectinload(Session.speakers).selectinload(SessionSpeaker.registration),
        )
        .order_by(Session.starts_at, Session.position, Session.id)
    )
    return [s for s in db.session.scalars(query) if policy.can_see_session(user, s)]


def agenda_by_day(meeting: Meeting, user: object) -> list[tuple[date, list[Session]]]:
    """Sessions grouped by their day in the meeting's time zone."""
    zone = meeting.zone
    sessions = visible_sessions(meeting, user)
    return [(day, list(items)) for day, items in groupby(sessions, key=lambda s: s.starts_at.astimezone(zone).date())]
