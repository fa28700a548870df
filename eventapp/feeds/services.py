"""Which sessions each feed holds, and the version (ETag, Last-Modified) each answer carries.

A version is read from the database on every request, in one aggregate query over what the feed
holds (the meeting, its sessions, their rooms and linked speakers), and nothing is kept between
requests: every worker sees a change as soon as it is committed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from eventapp.extensions import db
from eventapp.models import (
    Meeting,
    MeetingStatus,
    Registration,
    Room,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionType,
)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: A speaker's registration: its name is in the feed, so its changes are too.
SpeakerPerson = aliased(Registration, name="speaker_person")


@dataclass(frozen=True)
class FeedVersion:
    """One version of a feed: its validators and the meeting it belongs to."""

    meeting_id: int
    etag: str
    #: The latest change of what the feed holds, to the second: Last-Modified and every DTSTAMP.
    last_modified: datetime


def _as_utc(value: datetime | str | None) -> datetime:
    if value is None:
        return EPOCH
    if isinstance(value, str):  # SQLite hands back max() of a timestamp as text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _version(kind: str, meeting_id: int, changes: Iterable[datetime | str | None], count: int) -> FeedVersion:
    # The ETag keeps microseconds (two edits within a second differ); Last-Modified cannot.
    stamps = [_as_utc(c) for c in changes]
    raw = "|".join([kind, str(meeting_id), str(count), *(s.isoformat() for s in stamps)])
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return FeedVersion(meeting_id, digest, max(stamps).replace(microsecond=0))


def _public_session(entity: type[Session] = Session):  # type: ignore[no-untyped-def]
    """Sessions a public feed may hold: published and open to all. Closed sessions never."""
    return and_(entity.is_published.is_(True), entity.access == SessionAccess.OPEN)


def _with_contents(query: Select, held: Callable[[type[Session]], Any]) -> Select:  # type: ignore[type-arg]
    """Add the latest change and the number of the sessions a feed holds (`held`), of their rooms and speakers.

    `query` has Session in its FROM, narrowed to the same sessions. Speakers' registrations get a
    subquery of their own: joined beside the rooms they would repeat each session's row.
    """
    spoken_in = aliased(Session, name="spoken_in")
    speakers_changed = (
        select(func.max(SpeakerPerson.updated_at))
        .select_from(SessionSpeaker)
        .join(spoken_in, spoken_in.id == SessionSpeaker.session_id)
        .join(SpeakerPerson, SpeakerPerson.id == SessionSpeaker.registration_id)
        .where(held(spoken_in))
        .scalar_subquery()
    )
    return query.add_columns(
        func.max(Session.updated_at), func.count(Session.id), func.max(Room.updated_at), speakers_changed
    ).outerjoin(Room, Room.id == Session.room_id)


def meeting_has_public_agenda(meeting: Meeting) -> bool:
    """Whether anyone, signed in or not, may read the meeting's agenda."""
    return bool(meeting.agenda_published) and meeting.status != MeetingStatus.DRAFT


def meeting_feed_version(slug: str) -> FeedVersion | None:
    """Version of a meeting's public feed, in one query; None when the meeting has no public feed."""

    def public_of_this_meeting(entity: type[Session]):  # type: ignore[no-untyped-def]
        return and_(entity.meeting_id == Meeting.id, _public_session(entity))

    query = _with_contents(
        select(Meeting.id, Meeting.agenda_published, Meeting.status, Meeting.updated_at)
        .select_from(Meeting)
        .outerjoin(Session, public_of_this_meeting(Session)),
        public_of_this_meeting,
    )
    row = db.session.execute(query.where(Meeting.slug == slug).group_by(Meeting.id)).first()
    if row is None:
        return None
    meeting_id, published, status, meeting_changed, latest, count, rooms_changed, speakers_changed = row
    if not published or MeetingStatus(status) == MeetingStatus.DRAFT:
        return None
    return _version("meeting", meeting_id, (meeting_changed, latest, rooms_changed, speakers_changed), count)


def session_is_public(meeting: Meeting, session: Session) -> bool:
    """Whether a session's feed is the same for everyone, so that shared caches may keep it."""
    return meeting_has_public_agenda(meeting) and session.is_published and session.access == SessionAccess.OPEN


def session_feed_version(meeting: Meeting, session: Session) -> FeedVersion:
    """Version of one session's feed, from the rows already loaded to show it (no query)."""
    changes = [meeting.updated_at, session.updated_at]
    if session.room is not None:
        changes.append(session.room.updated_at)
    changes += [s.registration.updated_at for s in session.speakers if s.registration is not None]
    return _version(f"session{session.id}", meeting.id, changes, 1)


def _details(query: Select) -> Select:  # type: ignore[type-arg]
    return query.options(
        selectinload(Session.room), selectinload(Session.speakers).joinedload(SessionSpeaker.registration)
    ).order_by(Session.starts_at, Session.position, Session.id)


def public_feed_sessions(meeting_id: int) -> list[Session]:
    """Open, published sessions, cancelled ones included (calendars must learn of the cancellation)."""
    query = select(Session).where(Session.meeting_id == meeting_id, _public_session())
    return list(db.session.scalars(_details(query)))


def _personal_condition(registration: Registration, entity: type[Session] = Session):  # type: ignore[no-untyped-def]
    picked = select(SessionAttendance.session_id).where(SessionAttendance.registration_id == registration.id)
    plenary = (entity.type == SessionType.PLENARY) & (entity.access == SessionAccess.OPEN)
    return (
        (entity.meeting_id == registration.meeting_id)
        & entity.is_published.is_(True)
        & or_(entity.id.in_(picked), plenary)
    )


def personal_feed_version(registration: Registration, meeting: Meeting) -> FeedVersion:
    """Version of a person's feed (their picks and the open plenaries), in one query."""
    own_picks = SessionAttendance.registration_id == registration.id
    # A pick swapped for another leaves the count alone: the newest pick's time tells them apart.
    picks_changed = select(func.max(SessionAttendance.created_at)).where(own_picks).scalar_subquery()
    picks = select(func.count()).select_from(SessionAttendance).where(own_picks).scalar_subquery()
    query = _with_contents(
        select(picks_changed, picks).select_from(Session), partial(_personal_condition, registration)
    )
    picked_at, picked, latest, count, rooms_changed, speakers_changed = db.session.execute(
        query.where(_personal_condition(registration))
    ).one()
    # The registration's own row holds the feed's language and the token's version.
    changes = (meeting.updated_at, registration.updated_at, latest, rooms_changed, speakers_changed, picked_at)
    return _version(f"person{registration.id}p{picked}", meeting.id, changes, count)


def personal_feed_sessions(registration: Registration) -> list[Session]:
    return list(db.session.scalars(_details(select(Session).where(_personal_condition(registration)))))
