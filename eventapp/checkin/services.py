"""Scanning badges at checkpoints: one transaction per scan, the Presence row locked.

Checkpoints are "entrance" (the venue door) or "session-<id>" (the room of one session).
Every scan is stored as a CheckIn, whatever its result; a nonce sent twice records one scan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from eventapp.badges.tokens import TokenError, parse_token, signature_valid
from eventapp.checkin.recording import record_scan
from eventapp.extensions import db
from eventapp.models import (
    Badge,
    CheckIn,
    Delegation,
    Direction,
    Meeting,
    Member,
    Presence,
    Registration,
    RegistrationStatus,
    ScanResult,
    Session,
    SessionAccess,
    SessionAttendance,
)
from eventapp.models.base import utcnow

ENTRANCE = "entrance"
SESSION_PREFIX = "session-"
_MAX_SESSION_ID = 2**31 - 1  # sessions.id is a 32-bit INTEGER


class ScanMeeting(Protocol):
    """What scanning needs of a meeting: a Meeting, or the row the API reads with the device token."""

    @property
    def id(self) -> int: ...

    @property
    def badge_public_key(self) -> str | None: ...


class CheckpointError(ValueError):
    """The checkpoint does not name the entrance or a session of this meeting."""


@dataclass
class ScanOutcome:
    result: ScanResult
    reason: str
    participant: dict[str, Any] | None
    checkin_id: int
    duplicate: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"result": self.result.value, "reason": self.reason, "participant": self.participant}


def resolve_checkpoint(meeting: ScanMeeting, checkpoint: str) -> Session | None:
    """The session a checkpoint names (None for the entrance); CheckpointError if unknown."""
    if checkpoint == ENTRANCE:
        return None
    digits = checkpoint.removeprefix(SESSION_PREFIX)
    # isascii(): str.isdigit() also accepts "²", which int() refuses.
    if checkpoint.startswith(SESSION_PREFIX) and digits.isascii() and digits.isdigit():
        session_id = int(digits)
        session = db.session.get(Session, session_id) if session_id <= _MAX_SESSION_ID else None
        if session is not None and session.meeting_id == meeting.id:
            return session
    raise CheckpointError(f"Unknown checkpoint {checkpoint!r}: use 'entrance' or 'session-<id>'.")


def checkpoints(meeting: Meeting) -> list[tuple[str, str]]:
    """(value, label) of every checkpoint of the meeting, the entrance first."""
    sessions = db.session.scalars(
        sa.select(Session)
        .where(Session.meeting_id == meeting.id)
        .options(joinedload(Session.room))
        .order_by(Session.starts_at, Session.position)
    )
    choices = [(ENTRANCE, _("Venue entrance"))]
    for s in sessions:
        room = f" ({s.room.name})" if s.room else ""
        choices.append((f"{SESSION_PREFIX}{s.id}", f"{s.title}{room}"))
    return choices


def participant_json(registration: Registration) -> dict[str, Any]:
    member = registration.delegation.member if registration.delegation else None
    return {
        "id": registration.id,
        "name": registration.full_name,
        "category": registration.category.value,
        "category_label": registration.category.label,
        "organisation": member.name if member else registration.organisation,
        "member": member.code if member else None,
        "has_photo": bool(registration.photo_filename),
    }


def session_allows(session: Session, registration_id: int, delegation_id: int | None) -> bool:
    if session.access == SessionAccess.OPEN:
        return True
    if session.access == SessionAccess.DELEGATIONS:
        return delegation_id is not None
    return (
        db.session.scalar(
            sa.select(SessionAttendance.id).where(
                SessionAttendance.session_id == session.id, SessionAttendance.registration_id == registration_id
            )
        )
        is not None
    )


@dataclass(frozen=True)
class BadgeRow:
    """What a scan needs of a badge and its holder, read in one statement without ORM objects."""

    badge_id: int
    revoked: bool
    registration_id: int
    status: RegistrationStatus
    delegation_id: int | None
    participant: dict[str, Any]


# Columns only, no ORM objects: a scan reads one row and loading three mapped objects cost more than the query.
BADGE_QUERY = (
    sa.select(
        Badge.id.label("badge_id"),
        Badge.revoked_at.label("badge_revoked_at"),
        Registration.id.label("registration_id"),
        Registration.status,
        Registration.category,
        Registration.given_name,
        Registration.family_name,
        Registration.organisation,
        Registration.photo_filename,
        Registration.delegation_id,
        Member.id.label("member_id"),
        Member.name.label("member_name"),
        Member.code.label("member_code"),
    )
    .join(Registration, Registration.id == Badge.registration_id)
    .outerjoin(Delegation, Delegation.id == Registration.delegation_id)
    .outerjoin(Member, Member.id == Delegation.member_id)
    .where(Badge.token_id == sa.bindparam("token_id"))
)


def _load_badge(token_id: str, conn: Connection | None = None) -> BadgeRow | None:
    executor = conn if conn is not None else db.session
    row = executor.execute(BADGE_QUERY, {"token_id": token_id}).mappings().first()
    return badge_row(row) if row is not None else None


def badge_row(row: Mapping[str, Any]) -> BadgeRow:
    """A BadgeRow from a result row with BADGE_QUERY's columns."""
    # Same shape as participant_json(registration).
    participant = {
        "id": row["registration_id"],
        "name": f"{row['given_name']} {row['family_name']}".strip(),
        "category": row["category"].value,
        "category_label": row["category"].label,
        "organisation": row["member_name"] if row["member_id"] is not None else row["organisation"],
        "member": row["member_code"],
        "has_photo": bool(row["photo_filename"]),
    }
    return BadgeRow(
        row["badge_id"],
        row["badge_revoked_at"] is not None,
        row["registration_id"],
        row["status"],
        row["delegation_id"],
        participant,
    )


def _typed_text(sql: str, table: sa.Table) -> sa.TextClause:
    """SQL text whose parameters named after the table's columns get those columns' types."""
    statement = sa.text(sql)
    return statement.bindparams(*(sa.bindparam(c.name, type_=c.type) for c in table.c if f":{c.name}" in sql))


# Written as text on purpose: SQLAlchemy 2.0 does not cache the compiled form of ON CONFLICT
# statements, and compiling them on every scan cost more than running them. PostgreSQL and
# SQLite both accept this syntax; the portable path below serves any other database.
_PRESENCE_UPSERT = """
    INSERT INTO presences (registration_id, checkpoint, meeting_id, inside, updated_at)
    VALUES (:registration_id, :checkpoint, :meeting_id, :inside, :updated_at)
    ON CONFLICT (registration_id, checkpoint)
    DO UPDATE SET inside = excluded.inside, updated_at = excluded.updated_at
"""
_ENTER = _typed_text(_PRESENCE_UPSERT + " WHERE NOT presences.inside RETURNING registration_id", Presence.__table__)
_LEAVE = _typed_text(_PRESENCE_UPSERT, Presence.__table__)
_CHECKIN_COLUMNS = [c.name for c in CheckIn.__table__.c if c.name != "id"]
# Column names come from the model; every value is bound.
_RECORD_SQL = "INSERT INTO checkins ({columns}) VALUES ({values}) ON CONFLICT (nonce) DO NOTHING RETURNING id"
_RECORD = _typed_text(
    _RECORD_SQL.format(columns=", ".join(_CHECKIN_COLUMNS), values=", ".join(f":{c}" for c in _CHECKIN_COLUMNS)),
    CheckIn.__table__,
)


def _has_upsert() -> bool:
    return db.session.get_bind().dialect.name in ("postgresql", "sqlite")


def _enter(meeting_id: int, registration_id: int, checkpoint: str) -> bool:
    """Mark the person inside this checkpoint; False when they already were (then nothing changes).

    One upsert makes the row if missing, and otherwise flips it only when the person is outside.
    ON CONFLICT DO UPDATE locks the existing row even when its WHERE is false, so concurrent
    scans of one badge queue here and the second sees what the first wrote: RETURNING gives a
    row only when this scan inserted or flipped it, i.e. admitted the person.
    """
    if not _has_upsert():
        return _set_presence_portable(meeting_id, registration_id, checkpoint, inside=True)
    values = {"registration_id": registration_id, "checkpoint": checkpoint, "meeting_id": meeting_id}
    return db.session.execute(_ENTER, values | {"inside": True, "updated_at": utcnow()}).first() is not None


def _leave(meeting_id: int, registration_id: int, checkpoint: str) -> None:
    """Mark the person outside this checkpoint (the row is made if missing)."""
    if not _has_upsert():
        _set_presence_portable(meeting_id, registration_id, checkpoint, inside=False)
        return
    values = {"registration_id": registration_id, "checkpoint": checkpoint, "meeting_id": meeting_id}
    db.session.execute(_LEAVE, values | {"inside": False, "updated_at": utcnow()})


def _set_presence_portable(meeting_id: int, registration_id: int, checkpoint: str, *, inside: bool) -> bool:
    """Databases without ON CONFLICT: lock the row (made if missing); whether it changed."""
    presence = db.session.get(Presence, (registration_id, checkpoint), with_for_update=True)
    if presence is None:
        presence = Presence(registration_id=registration_id, checkpoint=checkpoint, meeting_id=meeting_id)
        presence.inside = False
        db.session.add(presence)
        db.session.flush()
    changed = presence.inside != inside
    presence.inside = inside
    presence.updated_at = utcnow()
    db.session.flush()
    return changed


def _existing(nonce: str) -> CheckIn | None:
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.nonce == nonce))


def _outcome_of(checkin: CheckIn, duplicate: bool) -> ScanOutcome:
    participant = participant_json(checkin.registration) if checkin.registration else None
    return ScanOutcome(checkin.result, checkin.reason, participant, checkin.id, duplicate)


def _judge(
    meeting: ScanMeeting, token: str, session: Session | None, direction: Direction, conn: Connection | None = None
) -> tuple[ScanResult, str, BadgeRow | None]:
    """The scan's verdict before anyone moves: ADMITTED stands for "may enter" until the move."""
    try:
        parsed = parse_token(token)
    except TokenError:
        return ScanResult.INVALID, _("This is not a badge of the network."), None
    if parsed.meeting_id != meeting.id:
        other = db.session.get(Meeting, parsed.meeting_id)
        if other is not None and signature_valid(other, parsed):
            return ScanResult.WRONG_MEETING, _("This badge is for %(meeting)s.", meeting=other.title), None
        return ScanResult.INVALID, _("The badge's signature does not check out."), None
    if not signature_valid(meeting, parsed):
        return ScanResult.INVALID, _("The badge's signature does not check out."), None
    badge = _load_badge(parsed.token_id, conn)
    if badge is None:
        return ScanResult.INVALID, _("No badge with this code was issued."), None
    return (*verdict(badge, direction, session), badge)


def verdict(badge: BadgeRow, direction: Direction, session: Session | None = None) -> tuple[ScanResult, str]:
    """What a known, validly signed badge gets here; ADMITTED stands for "may enter" until the move."""
    if badge.revoked:
        return ScanResult.REVOKED, _("This badge was replaced; ask for the new one.")
    if badge.status != RegistrationStatus.APPROVED:
        return ScanResult.NOT_APPROVED, _("Registration is %(status)s.", status=badge.status.label.lower())
    if (
        direction == Direction.IN
        and session is not None
        and not session_allows(session, badge.registration_id, badge.delegation_id)
    ):
        return ScanResult.NOT_ALLOWED, f"{session.access.label}."
    if direction == Direction.OUT:
        return ScanResult.EXITED, ""
    return ScanResult.ADMITTED, ""


def already_inside_reason() -> str:
    return _("Already scanned in here.")


def _move(meeting_id: int, badge: BadgeRow, checkpoint: str, direction: Direction) -> ScanResult:
    """Move the person through the checkpoint (the two-statement path); the scan's result."""
    if direction == Direction.OUT:
        _leave(meeting_id, badge.registration_id, checkpoint)
        return ScanResult.EXITED
    if not _enter(meeting_id, badge.registration_id, checkpoint):
        return ScanResult.ALREADY_INSIDE
    return ScanResult.ADMITTED


def _record(values: dict[str, Any]) -> int | None:
    """Insert the CheckIn; its id, or None when a scan with this nonce is already stored.

    ON CONFLICT (nonce) DO NOTHING waits for a concurrent scan with the same nonce to commit.
    """
    if not _has_upsert():
        try:
            with db.session.begin_nested():
                return db.session.execute(sa.insert(CheckIn).values(values).returning(CheckIn.id)).scalar_one()
        except IntegrityError:
            return None
    return db.session.execute(_RECORD, values).scalar()


def scan(
    meeting: ScanMeeting,
    *,
    token: str,
    checkpoint: str,
    direction: Direction,
    nonce: str,
    scanned_at: datetime | None = None,
    device: str = "",
    user_id: int | None = None,
) -> ScanOutcome:
    """Record one scan and say whether the person gets in; commits. CheckpointError if unknown.

    `meeting` needs only `id` and `badge_public_key`: the API passes a row it read with the
    device token rather than a loaded Meeting.
    """
    session = resolve_checkpoint(meeting, checkpoint)
    now = utcnow()
    values: dict[str, Any] = {
        "meeting_id": meeting.id,
        "checkpoint": checkpoint,
        "session_id": session.id if session else None,
        "direction": direction,
        "nonce": nonce,
        "scanned_at": scanned_at or now,
        "recorded_at": now,
        "device": device[:120],
        "scanned_by_id": user_id,
    }
    if db.session.get_bind().dialect.name == "postgresql":
        return _scan_autocommit(meeting, token, session, values)
    result, reason, badge = _judge(meeting, token, session, direction)
    if badge is not None and result in (ScanResult.ADMITTED, ScanResult.EXITED):
        result = _move(meeting.id, badge, checkpoint, direction)
        reason = already_inside_reason() if result == ScanResult.ALREADY_INSIDE else reason
    checkin_id = _record(values | _badge_values(badge) | {"result": result, "reason": reason})
    if checkin_id is None:
        # The same nonce came before (a retried sync), or at the same time and we waited for it:
        # undo this scan's effects and answer with the stored scan.
        db.session.rollback()
        return _stored_outcome(nonce)
    db.session.commit()
    return ScanOutcome(result, reason, badge.participant if badge else None, checkin_id)


def _badge_values(badge: BadgeRow | None) -> dict[str, int | None]:
    return {"badge_id": badge.badge_id if badge else None, "registration_id": badge.registration_id if badge else None}


def _stored_outcome(nonce: str) -> ScanOutcome:
    previous = _existing(nonce)
    if previous is None:
        raise LookupError(f"The scan with nonce {nonce!r} vanished while this one waited for it.")
    return _outcome_of(previous, duplicate=True)


def _scan_autocommit(meeting: ScanMeeting, token: str, session: Session | None, values: dict[str, Any]) -> ScanOutcome:
    """PostgreSQL: the badge read, then the move and the CheckIn in one statement (see recording.py).

    Both run in autocommit on a pooled Core connection: two round trips, no BEGIN or COMMIT.
    """
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        result, reason, badge = _judge(meeting, token, session, values["direction"], conn)
        stored = record_scan(
            conn,
            values | _badge_values(badge),
            result=result,
            reason=reason,
            moves=badge is not None and result in (ScanResult.ADMITTED, ScanResult.EXITED),
            reason_already_inside=already_inside_reason(),
        )
    if stored is None:
        return _stored_outcome(values["nonce"])
    checkin_id, result, reason = stored
    return ScanOutcome(result, reason, badge.participant if badge else None, checkin_id)
