"""Which sessions each feed holds, and the version (ETag, Last-Modified) each answer carries.

A version is read from the database on every request, in one aggregate query over what the feed
holds (the meeting, its sessions, their rooms and linked speakers), and nothing is kept between
requests: every worker sees a change as soon as it is committed. What a process does keep are the
statements: each is built once (functools.cache) with bound parameters, given their values when run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any

from sqlalchemy import Integer, Select, String, and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, joinedload, load_only

from eventapp.bilaterals import feed as bilateral_feed
from eventapp.extensions import db
from eventapp.feeds.calendar import MEETING_FIELDS
from eventapp.models import (
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    Room,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionType,
)
from eventapp.registration.tokens import calendar_token_opens, read_calendar_token

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

#: A speaker's registration: its name is in the feed, so its changes are too.
SpeakerPerson = aliased(Registration, name="speaker_person")

#: The parameters of the cached statements.
SLUG = bindparam("slug", type_=String)
MEETING_ID = bindparam("meeting_id", type_=Integer)
REGISTRATION_ID = bindparam("registration_id", type_=Integer)

#: Registrations whose personal feed no longer answers.
_CLOSED = (RegistrationStatus.DECLINED, RegistrationStatus.WITHDRAWN)


@dataclass(frozen=True)
class FeedVersion:
    """One version of a feed: its validators and the meeting it belongs to."""

    meeting_id: int
    etag: str
    #: The latest change of what the feed holds, to the second: Last-Modified and every DTSTAMP.
    last_modified: datetime


@dataclass(frozen=True)
class PersonalFeed:
    """Whose feed a calendar link opens, their meeting, and the feed's version."""

    registration: Registration
    meeting: Meeting
    version: FeedVersion
    #: How many bilaterals of the person's delegation the feed holds (read only when there are some).
    bilaterals: int = 0


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


def personal_feed_opens(registration: Registration, meeting: Meeting) -> bool:
    """Whether the person's calendar link answers (pages offer it only then)."""
    return registration.status not in _CLOSED and bool(meeting.agenda_published)


def meeting_has_public_agenda(meeting: Meeting) -> bool:
    """Whether anyone, signed in or not, may read the meeting's agenda."""
    return bool(meeting.agenda_published) and meeting.status != MeetingStatus.DRAFT


def _public_of_this_meeting(entity: type[Session]):  # type: ignore[no-untyped-def]
    return and_(entity.meeting_id == Meeting.id, _public_session(entity))


#: What a feed reads of its meeting: the calendar's fields, whether the agenda is public, the version.
_MEETING_READ = load_only(Meeting.agenda_published, Meeting.status, Meeting.updated_at, *MEETING_FIELDS)


@cache
def _meeting_feed_query() -> Select:  # type: ignore[type-arg]
    query = _with_contents(
        select(Meeting).options(_MEETING_READ).outerjoin(Session, _public_of_this_meeting(Session)),
        _public_of_this_meeting,
    )
    return query.where(Meeting.slug == SLUG).group_by(Meeting.id)


def meeting_feed(slug: str) -> tuple[Meeting, FeedVersion] | None:
    """A meeting and the version of its public feed, in one query; None when it has no public feed."""
    row = db.session.execute(_meeting_feed_query(), {"slug": slug}).first()
    if row is None:
        return None
    meeting, latest, count, rooms_changed, speakers_changed = row
    if not meeting_has_public_agenda(meeting):
        return None
    changes = (meeting.updated_at, latest, rooms_changed, speakers_changed)
    return meeting, _version("meeting", meeting.id, changes, count)


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
    """Sessions in time order with what their events show: room, speakers and speakers' names
    (with what Registration.full_name needs to order a name)."""
    return query.options(
        joinedload(Session.room),
        joinedload(Session.speakers)
        .joinedload(SessionSpeaker.registration)
        .load_only(
            Registration.given_name, Registration.family_name, Registration.name_order, Registration.nationality
        ),
    ).order_by(Session.starts_at, Session.position, Session.id)


@cache
def _public_sessions_query() -> Select:  # type: ignore[type-arg]
    return _details(select(Session).where(Session.meeting_id == MEETING_ID, _public_session()))


def public_feed_sessions(meeting_id: int) -> list[Session]:
    """Open, published sessions, cancelled ones included (calendars must learn of the cancellation)."""
    return list(db.session.scalars(_public_sessions_query(), {"meeting_id": meeting_id}).unique())


def _personal_condition(entity: type[Session] = Session, meeting_id: Any = MEETING_ID):  # type: ignore[no-untyped-def]
    """The person's picks and the open plenaries of their meeting, published ones only."""
    picked = select(SessionAttendance.session_id).where(SessionAttendance.registration_id == REGISTRATION_ID)
    plenary = (entity.type == SessionType.PLENARY) & (entity.access == SessionAccess.OPEN)
    return (entity.meeting_id == meeting_id) & entity.is_published.is_(True) & or_(entity.id.in_(picked), plenary)


@cache
def _personal_feed_query() -> Select:  # type: ignore[type-arg]
    """A link's registration and its meeting, as little of them as the feed reads, with the feed's version."""
    own_picks = SessionAttendance.registration_id == REGISTRATION_ID
    # A pick swapped for another leaves the count alone: the newest pick's time tells them apart.
    picks_changed = select(func.max(SessionAttendance.created_at)).where(own_picks).scalar_subquery()
    picks = select(func.count()).select_from(SessionAttendance).where(own_picks).scalar_subquery()
    held = partial(_personal_condition, meeting_id=Registration.meeting_id)
    query = _with_contents(
        select(Registration, Meeting, picks_changed, picks, *bilateral_feed.version_columns())
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .outerjoin(Session, held(Session))
        .options(
            load_only(
                Registration.meeting_id,
                Registration.delegation_id,
                Registration.status,
                Registration.locale,
                Registration.calendar_token_version,
                Registration.updated_at,
            ),
            _MEETING_READ,
        ),
        held,
    )
    return query.where(Registration.id == REGISTRATION_ID).group_by(Registration.id, Meeting.id)


def personal_feed(token: str) -> PersonalFeed | None:
    """The feed a calendar link opens, in one query after the signature; None if it opens none."""
    claim = read_calendar_token(token)
    if claim is None:
        return None
    row = db.session.execute(_personal_feed_query(), {"registration_id": claim.registration_id}).first()
    if row is None:
        return None
    registration, meeting, picked_at, picked, *bilaterals, latest, count, rooms_changed, speakers_changed = row
    bilaterals_changed, bilateral_count, bilateral_rooms_changed = bilaterals
    if not calendar_token_opens(claim, registration) or not personal_feed_opens(registration, meeting):
        return None
    # The registration's own row holds the feed's language and the token's version.
    changes = (meeting.updated_at, registration.updated_at, latest, rooms_changed, speakers_changed, picked_at)
    changes += (bilaterals_changed, bilateral_rooms_changed)
    version = _version(f"person{registration.id}p{picked}b{bilateral_count}", meeting.id, changes, count)
    return PersonalFeed(registration, meeting, version, bilateral_count or 0)


@cache
def _personal_sessions_query() -> Select:  # type: ignore[type-arg]
    return _details(select(Session).where(_personal_condition()))


def personal_feed_sessions(registration: Registration) -> list[Session]:
    """The sessions of the person's feed, with all their events show."""
    parameters = {"registration_id": registration.id, "meeting_id": registration.meeting_id}
    return list(db.session.scalars(_personal_sessions_query(), parameters).unique())
