"""Storing a new application, its audit entry and its confirmation email without the ORM's unit of work.

For the application form's layer in front of Flask (eventapp/registration/fastapply.py).

On PostgreSQL a submission is one statement in autocommit (atomic on its own): the three rows,
written only if the meeting row is still the one the worker read. A worker remembers each
meeting with a fingerprint of its whole row (md5 of the row's text) and the statement compares
it, so any change to the meeting (dates, title, registration window...) makes the write store
nothing and the worker reads the meeting again. Registration ids are reserved from the sequence
a block at a time, since the confirmation email's link needs the id before the write.

Elsewhere (SQLite) the meeting is read each time and the rows go in one transaction.
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from eventapp.models import AuditLog, Meeting, OutboxMessage, Registration
from eventapp.web.frontpath import fetch_one

REGISTRATIONS = Registration.__table__
AUDIT_LOG = AuditLog.__table__
OUTBOX = OutboxMessage.__table__
MEETINGS = Meeting.__table__
#: Ids reserved per round trip (a worker that stops leaves a gap in the numbering, as a rollback does).
ID_BLOCK = 32
#: Meetings a worker remembers (a few are open for registration at a time).
MAX_REMEMBERED = 64

#: The rest of a submission once its registration id is known: (audit values, outbox values).
RestOf = Callable[[int], tuple[dict[str, Any], dict[str, Any]]]


def full_row(table: sa.Table, values: dict[str, Any]) -> dict[str, Any]:
    """Every column of `table` (but a missing id): the values given, else the column's default."""
    row: dict[str, Any] = {}
    for name, primary_key, default in _defaults(table):
        if name in values:
            row[name] = values[name]
        elif not primary_key:
            row[name] = default() if callable(default) else default
    return row


@functools.cache
def _defaults(table: sa.Table) -> tuple[tuple[str, bool, Any], ...]:
    """(name, primary key?, default value or a callable making it) of each column, read once."""
    found = []
    for column in table.columns:
        default: Any = None
        if column.default is not None:
            arg = column.default.arg  # type: ignore[attr-defined]
            default = functools.partial(arg, None) if column.default.is_callable else arg
        found.append((column.name, bool(column.primary_key), default))
    return tuple(found)


#: Columns a new application leaves empty. The one-statement write does not name them: psycopg
#: keeps its parsed form of a statement only up to 50 parameters, and re-parsing a statement
#: this size on every submission costs more than the unit of work it replaces.
NOT_SET_BY_APPLICATIONS = frozenset(
    {"delegation_id", "decided_at", "decided_by_id", "waitlisted_at", "anonymised_at", "photo_filename"}
)
#: A new message has not been sent.
NOT_SET_BY_MESSAGES = frozenset({"sent_at"})
#: Taken from the new registration row inside the statement.
FROM_REGISTRATION = {AUDIT_LOG.c.entity_id.name: "id", OUTBOX.c.registration_id.name: "id"}


def _written(table: sa.Table, skip: frozenset[str] = frozenset()) -> list[sa.Column[Any]]:
    return [c for c in table.columns if not c.primary_key and c.name not in skip]


def _bound(table: sa.Table, prefix: str, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {c.name: sa.bindparam(prefix + c.name, type_=c.type) for c in _written(table, skip)}


def _params(row: dict[str, Any], prefix: str, table: sa.Table, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {prefix + name: row[name] for name in _parameter_columns(table, skip)}


@functools.cache
def _parameter_columns(table: sa.Table, skip: frozenset[str]) -> tuple[str, ...]:
    return tuple(c.name for c in _written(table, skip) if c.name not in FROM_REGISTRATION)


_FINGERPRINT = sa.func.md5(sa.cast(sa.literal_column(MEETINGS.name), sa.Text))
_MEETING = sa.select(MEETINGS).where(MEETINGS.c.slug == sa.bindparam("slug"))
_MEETING_WITH_FINGERPRINT = sa.select(MEETINGS, _FINGERPRINT.label("fingerprint")).where(
    MEETINGS.c.slug == sa.bindparam("slug")
)
_RESERVE_IDS = sa.select(sa.func.nextval(sa.func.pg_get_serial_sequence(REGISTRATIONS.name, "id"))).select_from(
    sa.func.generate_series(1, sa.bindparam("count", type_=sa.Integer))
)

_registration_values = {
    "id": sa.bindparam("r_id", type_=REGISTRATIONS.c.id.type),
    **_bound(REGISTRATIONS, "r_", NOT_SET_BY_APPLICATIONS),
}
_new_registration = (
    sa.insert(REGISTRATIONS)
    .from_select(
        list(_registration_values),
        # Nothing is inserted unless the meeting row is still the one the worker read.
        sa.select(*[value.label(name) for name, value in _registration_values.items()])
        .select_from(MEETINGS)
        .where(MEETINGS.c.id == sa.bindparam("meeting_id"), sa.bindparam("fingerprint") == _FINGERPRINT),
    )
    .returning(REGISTRATIONS.c.id)
    .cte("new_registration")
)


def _from_new_registration(table: sa.Table, prefix: str, skip: frozenset[str] = frozenset()) -> sa.Select[Any]:
    values = {
        name: (_new_registration.c[FROM_REGISTRATION[name]] if name in FROM_REGISTRATION else value)
        for name, value in _bound(table, prefix, skip).items()
    }
    return sa.select(*[value.label(name) for name, value in values.items()]).select_from(_new_registration)


_new_audit = (
    sa.insert(AUDIT_LOG)
    .from_select([c.name for c in _written(AUDIT_LOG)], _from_new_registration(AUDIT_LOG, "a_"))
    .cte("new_audit")
)
#: Registration, audit entry and message in one statement (PostgreSQL); answers the message's id,
#: or no row when the meeting changed since the worker read it.
_ALL_THREE = (
    sa.insert(OUTBOX)
    .from_select(
        [c.name for c in _written(OUTBOX, NOT_SET_BY_MESSAGES)],
        _from_new_registration(OUTBOX, "o_", NOT_SET_BY_MESSAGES),
    )
    .returning(OUTBOX.c.id)
    .add_cte(_new_registration)
    .add_cte(_new_audit)
)


#: PostgreSQL's SQLSTATE for a unique constraint refusing a row.
UNIQUE_VIOLATION = "23505"


class AddressTaken(Exception):
    """The (meeting, email) unique constraint refused the write: nothing was stored."""


class DriverStatement:
    """A statement compiled once per dialect and sent through the driver's own cursor.

    SQLAlchemy's execution path (cache lookup, parameter processing, result set-up) cost about
    as much as the round trip for this one statement; the parameters go through the same bind
    processors, and the engine's cursor events still fire (see `fetch_one`).
    """

    def __init__(self, statement: sa.Executable) -> None:
        self._statement = statement
        self._compiled: dict[str, tuple[str, dict[str, Callable[[Any], Any]]]] = {}

    def fetch_one(self, conn: Connection, params: dict[str, Any]) -> tuple[Any, ...] | None:
        dialect = conn.dialect
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self._statement.compile(dialect=dialect)
            processors = {}
            for name, bind in compiled.binds.items():
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    processors[name] = processor
            found = self._compiled[dialect.name] = (compiled.string, processors)
        sql, processors = found
        ready = {name: (processors[name](value) if name in processors else value) for name, value in params.items()}
        return fetch_one(conn, sql, ready)


_WRITE = DriverStatement(_ALL_THREE)


@dataclass(frozen=True)
class KnownMeeting:
    #: A detached copy, read-only.
    meeting: Meeting
    #: md5 of the row as read (PostgreSQL); None where the meeting is read for every submission.
    fingerprint: str | None


class ApplicationWriter:
    """One per worker: the meetings it read and the registration ids it reserved."""

    def __init__(self) -> None:
        self._meetings: dict[str, KnownMeeting] = {}
        self._ids: deque[int] = deque()
        self._lock = threading.Lock()

    def meeting(self, conn: Connection, slug: str, *, fresh: bool = False) -> KnownMeeting | None:
        """The meeting with this slug; as remembered unless `fresh` (or not on PostgreSQL)."""
        postgres = _autocommit(conn)
        known = self._meetings.get(slug) if postgres and not fresh else None
        if known is not None:
            return known
        found = conn.execute(_MEETING_WITH_FINGERPRINT if postgres else _MEETING, {"slug": slug}).first()
        if found is None:
            self._meetings.pop(slug, None)
            return None
        mapping = found._mapping
        meeting = Meeting(**{attr.key: mapping[attr.columns[0]] for attr in Meeting.__mapper__.column_attrs})
        known = KnownMeeting(meeting, mapping["fingerprint"] if postgres else None)
        if postgres:
            if len(self._meetings) >= MAX_REMEMBERED:
                self._meetings.clear()
            self._meetings[slug] = known
        return known

    def store(
        self, conn: Connection, known: KnownMeeting, registration: dict[str, Any], rest_of: RestOf
    ) -> tuple[int, int] | None:
        """Write the registration and what `rest_of(id)` makes of its id; (registration id, message id).

        None (nothing stored) when the meeting changed since it was read. Raises AddressTaken
        (nothing stored) when the address is already registered for the meeting.
        """
        row = full_row(REGISTRATIONS, registration)
        if known.fingerprint is None:
            return _store_in_a_transaction(conn, row, rest_of)
        if any(row[name] is not None for name in NOT_SET_BY_APPLICATIONS):
            raise ValueError("the one-statement write stores new applications without a photo only")
        new_id = self._next_id(conn)
        audit, message = rest_of(new_id)
        params = {
            "r_id": new_id,
            "meeting_id": known.meeting.id,
            "fingerprint": known.fingerprint,
            **_params(row, "r_", REGISTRATIONS, NOT_SET_BY_APPLICATIONS),
            **_params(full_row(AUDIT_LOG, audit), "a_", AUDIT_LOG),
            **_params(full_row(OUTBOX, message), "o_", OUTBOX, NOT_SET_BY_MESSAGES),
        }
        try:
            written = _WRITE.fetch_one(conn, params)
        except conn.dialect.loaded_dbapi.IntegrityError as exc:
            if getattr(exc, "sqlstate", None) == UNIQUE_VIOLATION:
                raise AddressTaken from exc
            raise
        if written is None:
            self._ids.appendleft(new_id)  # unused: the next submission takes it
            return None
        return new_id, written[0]

    def _next_id(self, conn: Connection) -> int:
        with self._lock:
            if not self._ids:
                self._ids.extend(conn.execute(_RESERVE_IDS, {"count": ID_BLOCK}).scalars())
            return self._ids.popleft()


def _autocommit(conn: Connection) -> bool:
    """On PostgreSQL every statement of a submission stands alone (the write is one statement)."""
    if conn.dialect.name != "postgresql":
        return False
    if not conn.in_transaction():
        conn.execution_options(isolation_level="AUTOCOMMIT")
    return True


def _store_in_a_transaction(conn: Connection, row: dict[str, Any], rest_of: RestOf) -> tuple[int, int]:
    # The transaction the meeting's SELECT began (SQLite: the write lock is taken at the first insert).
    try:
        try:
            registration_id = conn.execute(sa.insert(REGISTRATIONS).values(row)).inserted_primary_key[0]
        except IntegrityError as exc:
            if "unique" in str(exc.orig).lower():
                raise AddressTaken from exc
            raise
        audit, message = rest_of(registration_id)
        conn.execute(sa.insert(AUDIT_LOG).values(full_row(AUDIT_LOG, audit)))
        message_id = conn.execute(sa.insert(OUTBOX).values(full_row(OUTBOX, message))).inserted_primary_key[0]
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return registration_id, message_id
