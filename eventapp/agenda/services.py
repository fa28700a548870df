"""Reading a meeting's agenda: the meeting page, the public agenda, the session page and the PDF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.models import Meeting, Session, SessionSpeaker, SessionType


def _with_details(query):  # type: ignore[no-untyped-def]
    """Load what an agenda shows (room, speakers and their registrations) in two extra queries.

    Speakers' registrations are joined, not selected by id: that would take one more query per
    500 registrant speakers.
    """
    return query.options(
        selectinload(Session.room),
        selectinload(Session.speakers).joinedload(SessionSpeaker.registration),
    )


def visible_sessions(
    meeting: Meeting,
    user: object,
    *,
    types: Iterable[SessionType] = (),
    track: str = "",
) -> list[Session]:
    """Published sessions the user may see, in time order, with rooms and speakers loaded."""
    if not meeting.agenda_published and not policy.can_manage_meetings(user):
        return []
    query = select(Session).where(Session.meeting_id == meeting.id, Session.is_published.is_(True))
    wanted = list(types)
    if wanted:
        query = query.where(Session.type.in_(wanted))
    if track:
        query = query.where(Session.track == track)
    query = _with_details(query).order_by(Session.starts_at, Session.position, Session.id)
    return [s for s in db.session.scalars(query) if policy.can_see_session(user, s)]


def group_by_day(meeting: Meeting, sessions: list[Session]) -> list[tuple[date, list[Session]]]:
    """Sessions (already in time order) grouped by their day in the meeting's time zone."""
    zone = meeting.zone
    return [(day, list(items)) for day, items in groupby(sessions, key=lambda s: s.starts_at.astimezone(zone).date())]


def agenda_by_day(
    meeting: Meeting, user: object, *, types: Iterable[SessionType] = (), track: str = ""
) -> list[tuple[date, list[Session]]]:
    """Sessions grouped by their day in the meeting's time zone."""
    return group_by_day(meeting, visible_sessions(meeting, user, types=types, track=track))


def agenda_tracks(meeting: Meeting) -> list[str]:
    """The themes/tracks used on the published agenda, for the filter."""
    query = (
        select(Session.track)
        .where(Session.meeting_id == meeting.id, Session.is_published.is_(True), Session.track != "")
        .distinct()
        .order_by(Session.track)
    )
    return list(db.session.scalars(query))


def visible_session(meeting: Meeting, session_id: int, user: object) -> Session | None:
    """One session of the meeting if the user may see it on the public agenda."""
    if not meeting.agenda_published and not policy.can_manage_meetings(user):
        return None
    query = _with_details(select(Session).where(Session.id == session_id, Session.meeting_id == meeting.id))
    session = db.session.scalar(query)
    if session is None or not session.is_published or not policy.can_see_session(user, session):
        return None
    return session


def parse_types(values: Iterable[str]) -> list[SessionType]:
    """Session types from query parameters; unknown values are ignored."""
    known = {t.value: t for t in SessionType}
    return [known[v] for v in values if v in known]
