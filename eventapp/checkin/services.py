"""Scanning badges at checkpoints: one transaction per scan, the person's Presence row locked.

Checkpoints are "entrance" (the venue door) or "session-<id>" (the room of one session).
Every scan is stored as a CheckIn, whatever its result; a nonce sent twice records one scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from eventapp.badges.tokens import TokenError, parse_token, signature_valid
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


def resolve_checkpoint(meeting: Meeting, checkpoint: str) -> Session | None:
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
    """What a scan needs of a badge and its holder."""

    badge_id: int
    revoked: bool
    registration_id: int
    status: RegistrationStatus
    delegation_id: int | None
    participant: dict[str, Any]


_BADGE_AND_HOLDER = (
    sa.select(
        Badge.id,
        Badge.revoked_at,
        Registration.id,
        Registration.status,
        Registration.delegation_id,
        Registration.category,
        Registration.given_name,
        Registration.family_name,
        Registration.organisation,
        Registration.photo_filename,
        Registration.name_order,
        Registration.nationality,
        Member.name,
        Member.code,
    )
    .join(Registration, Registration.id == Badge.registration_id)
    .outerjoin(Delegation, Delegation.id == Registration.delegation_id)
    .outerjoin(Member, Member.id == Delegation.member_id)
)


def _load_badge(token_id: str) -> BadgeRow | None:
    """The badge and what the door shows of its holder, in one row (columns, not objects)."""
    row = db.session.execute(_BADGE_AND_HOLDER.where(Badge.token_id == token_id)).first()
    if row is None:
        return None
    badge_id, revoked_at, registration_id, status, delegation_id, category, given, family, organisation, photo = row[
        :10
    ]
    name_order, nationality, member_name, member_code = row[10:]
    participant = {
        "id": registration_id,
        "name": Registration.name_of(given, family, name_order, nationality),
        "category": category.value,
        "category_label": category.label,
        "organisation": member_name if member_name is not None else organisation,
        "member": member_code,
        "has_photo": bool(photo),
    }
    return BadgeRow(badge_id, revoked_at is not None, registration_id, status, delegation_id, participant)


def _typed_sql(sql: str, table: sa.Table) -> sa.TextClause:
    """SQL whose parameters named after the table's columns take those columns' types."""
    return sa.text(sql).bindparams(*(sa.bindparam(c.name, type_=c.type) for c in table.c if f":{c.name}" in sql))


# Written as SQL text because SQLAlchemy compiles its ON CONFLICT constructs again for every
# execution (they have no cache key); PostgreSQL and SQLite both accept this syntax.
_PRESENCE_UPSERT = _typed_sql(
    """INSERT INTO presences (registration_id, checkpoint, meeting_id, inside, updated_at)
    VALUES (:registration_id, :checkpoint, :meeting_id, :inside, :updated_at)
    ON CONFLICT (registration_id, checkpoint)
    DO UPDATE SET inside = excluded.inside, updated_at = excluded.updated_at
    WHERE presences.inside <> excluded.inside
    RETURNING registration_id""",
    Presence.__table__,
)
_CHECKIN_COLUMNS = [c.name for c in CheckIn.__table__.c if c.name != "id"]
# Column names come from the model; every value is bound.
_RECORD_SQL = "INSERT INTO checkins ({}) VALUES ({}) ON CONFLICT (nonce) DO NOTHING RETURNING id"  # noqa: S608
_RECORD = _typed_sql(
    _RECORD_SQL.format(", ".join(_CHECKIN_COLUMNS), ", ".join(":" + c for c in _CHECKIN_COLUMNS)), CheckIn.__table__
)


def _set_presence(meeting_id: int, registration_id: int, checkpoint: str, *, inside: bool) -> bool:
    """Put the person inside or outside this checkpoint; whether that changed anything.

    One upsert makes the row if missing, and otherwise changes it only when it differs. ON
    CONFLICT DO UPDATE locks the existing row even when its WHERE is false, so concurrent scans
    of one badge queue here and the second sees what the first wrote: a row comes back only
    when this scan changed it.
    """
    values = {
        "registration_id": registration_id,
        "checkpoint": checkpoint,
        "meeting_id": meeting_id,
        "inside": inside,
        "updated_at": utcnow(),
    }
    return db.session.execute(_PRESENCE_UPSERT, values).first() is not None


def _record(values: dict[str, Any]) -> int | None:
    """Insert the CheckIn; its id, or None when a scan with this nonce is already stored.

    ON CONFLICT (nonce) DO NOTHING waits for a concurrent scan with the same nonce to commit.
    """
    return db.session.execute(_RECORD, values).scalar()


def _existing(nonce: str) -> CheckIn | None:
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.nonce == nonce))


def _outcome_of(checkin: CheckIn, duplicate: bool) -> ScanOutcome:
    participant = participant_json(checkin.registration) if checkin.registration else None
    return ScanOutcome(checkin.result, checkin.reason, participant, checkin.id, duplicate)


def _judge(
    meeting: Meeting, token: str, session: Session | None, direction: Direction
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
    badge = _load_badge(parsed.token_id)
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


def _move(meeting_id: int, badge: BadgeRow, checkpoint: str, direction: Direction) -> tuple[ScanResult, str]:
    """Move the person through the checkpoint; the scan's result and reason."""
    if direction == Direction.OUT:
        _set_presence(meeting_id, badge.registration_id, checkpoint, inside=False)
        return ScanResult.EXITED, ""
    if not _set_presence(meeting_id, badge.registration_id, checkpoint, inside=True):
        return ScanResult.ALREADY_INSIDE, _("Already scanned in here.")
    return ScanResult.ADMITTED, ""


def scan(
    meeting: Meeting,
    *,
    token: str,
    checkpoint: str,
    direction: Direction,
    nonce: str,
    scanned_at: datetime | None = None,
    device: str = "",
    user_id: int | None = None,
) -> ScanOutcome:
    """Record one scan and say whether the person gets in, in one transaction; commits.

    The one way a scan is stored, for the API, the scanner page and offline syncs alike. A nonce
    already stored changes nothing and answers with that scan. CheckpointError if unknown.
    """
    session = resolve_checkpoint(meeting, checkpoint)
    result, reason, badge = _judge(meeting, token, session, direction)
    if badge is not None and result in (ScanResult.ADMITTED, ScanResult.EXITED):
        result, reason = _move(meeting.id, badge, checkpoint, direction)
    now = utcnow()
    checkin_id = _record(
        {
            "meeting_id": meeting.id,
            "checkpoint": checkpoint,
            "session_id": session.id if session else None,
            "direction": direction,
            "nonce": nonce,
            "scanned_at": scanned_at or now,
            "recorded_at": now,
            "device": device[:120],
            "scanned_by_id": user_id,
            "badge_id": badge.badge_id if badge else None,
            "registration_id": badge.registration_id if badge else None,
            "result": result,
            "reason": reason,
        }
    )
    if checkin_id is None:
        # The same nonce was stored before (a retried sync), or at the same time and we waited
        # for it: undo this scan's move and answer with the stored scan.
        db.session.rollback()
        return _stored_outcome(nonce)
    db.session.commit()
    return ScanOutcome(result, reason, badge.participant if badge else None, checkin_id)


def _stored_outcome(nonce: str) -> ScanOutcome:
    previous = _existing(nonce)
    if previous is None:
        raise LookupError(f"The scan with nonce {nonce!r} vanished while this one waited for it.")
    return _outcome_of(previous, duplicate=True)
