"""Which sessions each feed holds, and the validators (ETag, Last-Modified) that make 304s cheap.

A validator comes from one aggregate query (latest change, number of sessions, the meeting's own
last change), run before anything is built. Built feeds are kept per worker, keyed by validator,
so an unchanged feed is served without touching the sessions again.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from time import monotonic
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, bindparam, event, func, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import selectinload

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


@dataclass(frozen=True)
class FeedState:
    """What a feed's validator is made of."""

    meeting_id: int
    etag: str
    last_modified: datetime


def _as_utc(value: datetime | None) -> datetime:
    if value is None:
        return EPOCH
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _state(kind: str, meeting_id: int, meeting_changed: datetime | None, latest: object, count: int) -> FeedState:
    # SQLite returns max() of a timestamp column as text; parse it back.
    latest_dt = datetime.fromisoformat(latest) if isinstance(latest, str) else latest
    stamp = max(_as_utc(meeting_changed), _as_utc(latest_dt))  # type: ignore[arg-type]
    raw = f"{kind}|{meeting_id}|{_as_utc(meeting_changed).isoformat()}|{_as_utc(latest_dt).isoformat()}|{count}"  # type: ignore[arg-type]
    return FeedState(meeting_id, hashlib.sha256(raw.encode()).hexdigest()[:32], stamp.replace(microsecond=0))


def public_filter(query: Select) -> Select:  # type: ignore[type-arg]
    """Sessions a public feed may hold: published and open to all. Closed sessions never."""
    return query.where(Session.is_published.is_(True), Session.access == SessionAccess.OPEN)


def _meeting_state_statement() -> Select:  # type: ignore[type-arg]
    meetings, sessions = Meeting.__table__, Session.__table__
    public = and_(
        sessions.c.meeting_id == meetings.c.id,
        sessions.c.is_published.is_(True),
        sessions.c.access == SessionAccess.OPEN.value,
    )
    group = (meetings.c.id, meetings.c.updated_at, meetings.c.agenda_published, meetings.c.status)
    return (
        select(*group, func.max(sessions.c.updated_at), func.count(sessions.c.id))
        .select_from(meetings.outerjoin(sessions, public))
        .where(meetings.c.slug == bindparam("slug"))
        .group_by(*group)
    )


#: Built once: on the 304 path, building the statement cost more than running it.
MEETING_STATE = _meeting_state_statement()


def meeting_feed_state(
    slug: str, *, engine: Engine | None = None, config: Mapping[str, Any] | None = None
) -> FeedState | None:
    """Validator of a meeting's public feed: memoised briefly, else one query; None when there is no feed.

    `engine` and `config` let the WSGI fast path call it without an app context.
    """
    hit = validators.get(slug)
    if hit is not MISSING:
        return hit  # type: ignore[return-value]
    state = _query_meeting_state(slug, engine if engine is not None else db.engine)
    validators.put(slug, state, config if config is not None else current_app.config)
    return state


def _query_meeting_state(slug: str, engine: Engine) -> FeedState | None:
    # A pooled Core connection, not the ORM session: nothing to set up or tear down per request.
    # Autocommit: one read needs no transaction, and on PostgreSQL that spares the BEGIN and the
    # ROLLBACK (when the pool takes the connection back) - two round trips of the four.
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        row = conn.execute(MEETING_STATE, {"slug": slug}).first()
    if row is None:
        return None
    meeting_id, changed, published, status, latest, count = row
    if not _public(published, status):
        return None
    return _state("meeting", meeting_id, changed, latest, count)


def _public(agenda_published: bool, status: MeetingStatus | str) -> bool:
    return bool(agenda_published) and MeetingStatus(status) != MeetingStatus.DRAFT


def session_feed_state(meeting: Meeting, session: Session) -> FeedState:
    return _state(f"session{session.id}", meeting.id, meeting.updated_at, session.updated_at, 1)


def _details(query: Select) -> Select:  # type: ignore[type-arg]
    return query.options(
        selectinload(Session.room), selectinload(Session.speakers).joinedload(SessionSpeaker.registration)
    ).order_by(Session.starts_at, Session.position, Session.id)


def public_feed_sessions(meeting: Meeting) -> list[Session]:
    """Open, published sessions, cancelled ones included (calendars must learn of the cancellation)."""
    return list(db.session.scalars(_details(public_filter(select(Session).where(Session.meeting_id == meeting.id)))))


def _personal_condition(registration: Registration):  # type: ignore[no-untyped-def]
    picked = select(SessionAttendance.session_id).where(SessionAttendance.registration_id == registration.id)
    plenary = (Session.type == SessionType.PLENARY) & (Session.access == SessionAccess.OPEN)
    return (
        (Session.meeting_id == registration.meeting_id)
        & Session.is_published.is_(True)
        & or_(Session.id.in_(picked), plenary)
    )


def personal_feed_state(registration: Registration, meeting: Meeting) -> FeedState:
    """Validator of a person's feed: their picks and the open plenaries, in one query."""
    latest, count, picks_changed, picks = db.session.execute(
        select(
            func.max(Session.updated_at),
            func.count(Session.id),
            select(func.max(SessionAttendance.created_at))
            .where(SessionAttendance.registration_id == registration.id)
            .scalar_subquery(),
            select(func.count())
            .select_from(SessionAttendance)
            .where(SessionAttendance.registration_id == registration.id)
            .scalar_subquery(),
        ).where(_personal_condition(registration))
    ).one()
    if isinstance(picks_changed, str):
        picks_changed = datetime.fromisoformat(picks_changed)
    changed = max(_as_utc(meeting.updated_at), _as_utc(picks_changed))
    kind = f"person{registration.id}v{registration.calendar_token_version}p{picks}"
    return _state(kind, meeting.id, changed, latest, count)


def personal_feed_sessions(registration: Registration) -> list[Session]:
    return list(db.session.scalars(_details(select(Session).where(_personal_condition(registration)))))


MISSING = object()


class ValidatorMemo:
    """Meeting feed validators kept per worker for `FEED_VALIDATOR_TTL` seconds (default 0: off).

    Calendar apps poll; within `ttl` seconds another worker may answer from the previous
    validator. A change committed in this process clears the memo at once (see `_watch_writes`).
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[float, FeedState | None]] = {}
        self._lock = Lock()

    @staticmethod
    def ttl(config: Mapping[str, Any]) -> float:
        configured = config.get("FEED_VALIDATOR_TTL")
        if configured is None:
            configured = os.environ.get("FEED_VALIDATOR_TTL", "0")
        return float(configured)

    def get(self, key: str) -> object:
        item = self._items.get(key)
        if item is None or item[0] < monotonic():
            return MISSING
        return item[1]

    def put(self, key: str, state: FeedState | None, config: Mapping[str, Any]) -> None:
        ttl = self.ttl(config)
        if ttl <= 0:
            return
        with self._lock:
            if len(self._items) > 1000:
                self._items.clear()
            self._items[key] = (monotonic() + ttl, state)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


validators = ValidatorMemo()

#: Rows whose change can alter a feed.
FEED_ROWS = (Meeting, Session, Room, SessionSpeaker, SessionAttendance, Registration)


@event.listens_for(OrmSession, "after_flush")
def _watch_writes(session: OrmSession, flush_context: object) -> None:
    if any(isinstance(obj, FEED_ROWS) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["feeds_changed"] = True


@event.listens_for(OrmSession, "after_commit")
def _forget_validators(session: OrmSession) -> None:
    if session.info.pop("feeds_changed", False):
        validators.clear()


class FeedCache:
    """A small per-process LRU of built feeds, keyed by validator."""

    def __init__(self, size: int = 128) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = FeedCache()


def forget_everything() -> None:
    """Drop memoised validators and built feeds (tests; after bulk changes made outside the ORM)."""
    validators.clear()
    cache.clear()
