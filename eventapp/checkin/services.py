"""Scanning badges at checkpoints: one transaction per scan, the Presence row locked.

Checkpoints are "entrance" (the venue door) or "session-<id>" (the room of one session).
Every scan is stored as a CheckIn, whatever its result; a nonce sent twice records one scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from eventapp.badges.tokens import TokenError, parse_token, signature_valid
from eventapp.extensions import db
from eventapp.models import (
    Badge,
    CheckIn,
    Delegation,
    Direction,
    Meeting,
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
    if checkpoint.startswith(SESSION_PREFIX) and checkpoint[len(SESSION_PREFIX) :].isdigit():
        session = db.session.get(Session, int(checkpoint[len(SESSION_PREFIX) :]))
        if session is not None and session.meeting_id == meeting.id:
            return session
    raise CheckpointError(f"Unknown checkpoint {checkpoint!r}: use 'entrance' or 'session-<id>'.")


def checkpoints(meeting: Meeting) -> list[tuple[str, str]]:
    """(value, label) of every checkpoint of the meeting, the entrance first."""
    sessions = db.session.scalars(
        sa.select(Session).where(Session.meeting_id == meeting.id).order_by(Session.starts_at, Session.position)
    )
    choices = [(ENTRANCE, "Venue entrance")]
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


def session_allows(session: Session, registration: Registration) -> bool:
    if session.access == SessionAccess.OPEN:
        return True
    if session.access == SessionAccess.DELEGATIONS:
        return registration.delegation_id is not None
    return (
        db.session.scalar(
            sa.select(SessionAttendance.id).where(
                SessionAttendance.session_id == session.id, SessionAttendance.registration_id == registration.id
            )
        )
        is not None
    )


def _lock_presence(meeting: Meeting, registration_id: int, checkpoint: str) -> bool:
    """Lock the person's presence row at this checkpoint (made if missing); whether they were inside.

    One upsert both makes the row and takes its row lock until commit, so concurrent scans of one
    badge queue here and the second sees what the first wrote.
    """
    values = {"registration_id": registration_id, "checkpoint": checkpoint, "meeting_id": meeting.id}
    values |= {"inside": False, "updated_at": utcnow()}
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert(Presence) if dialect == "postgresql" else sqlite.insert(Presence)
        statement = (
            insert.values(**values)
            .on_conflict_do_update(
                index_elements=[Presence.registration_id, Presence.checkpoint],
                set_={"updated_at": values["updated_at"]},
            )
            .returning(Presence.inside)
        )
        return bool(db.session.execute(statement).scalar_one())
    presence = db.session.get(Presence, (registration_id, checkpoint), with_for_update=True)
    if presence is None:
        db.session.add(Presence(**values))
        db.session.flush()
        return False
    return presence.inside


def _set_presence(registration_id: int, checkpoint: str, inside: bool) -> None:
    db.session.execute(
        sa.update(Presence)
        .where(Presence.registration_id == registration_id, Presence.checkpoint == checkpoint)
        .values(inside=inside, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _existing(nonce: str) -> CheckIn | None:
    return db.session.scalar(sa.select(CheckIn).where(CheckIn.nonce == nonce))


def _outcome_of(checkin: CheckIn, duplicate: bool) -> ScanOutcome:
    participant = participant_json(checkin.registration) if checkin.registration else None
    return ScanOutcome(checkin.result, checkin.reason, participant, checkin.id, duplicate)


def _judge(
    meeting: Meeting, token: str, session: Session | None, direction: Direction, checkpoint: str
) -> tuple[ScanResult, str, Badge | None, Registration | None]:
    try:
        parsed = parse_token(token)
    except TokenError:
        return ScanResult.INVALID, "This is not a badge of the network.", None, None
    if parsed.meeting_id != meeting.id:
        other = db.session.get(Meeting, parsed.meeting_id)
        if other is not None and signature_valid(other, parsed):
            return ScanResult.WRONG_MEETING, f"This badge is for {other.title}.", None, None
        return ScanResult.INVALID, "The badge's signature does not check out.", None, None
    if not signature_valid(meeting, parsed):
        return ScanResult.INVALID, "The badge's signature does not check out.", None, None
    badge = db.session.scalar(
        sa.select(Badge)
        .where(Badge.token_id == parsed.token_id)
        .options(joinedload(Badge.registration).joinedload(Registration.delegation).joinedload(Delegation.member))
    )
    if badge is None:
        return ScanResult.INVALID, "No badge with this code was issued.", None, None
    registration = badge.registration
    if badge.is_revoked:
        return ScanResult.REVOKED, "This badge was replaced; ask for the new one.", badge, registration
    if registration.status != RegistrationStatus.APPROVED:
        return ScanResult.NOT_APPROVED, f"Registration is {registration.status.label.lower()}.", badge, registration
    if direction == Direction.IN and session is not None and not session_allows(session, registration):
        return ScanResult.NOT_ALLOWED, f"{session.access.label}.", badge, registration
    was_inside = _lock_presence(meeting, registration.id, checkpoint)
    if direction == Direction.OUT:
        if was_inside:
            _set_presence(registration.id, checkpoint, False)
        return ScanResult.EXITED, "", badge, registration
    if was_inside:
        return ScanResult.ALREADY_INSIDE, "Already scanned in here.", badge, registration
    _set_presence(registration.id, checkpoint, True)
    return ScanResult.ADMITTED, "", badge, registration


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
    """Record one scan and say whether the person gets in; commits. CheckpointError if unknown."""
    # No look-up of the nonce first: a repeated nonce fails the unique index at commit, which
    # undoes this scan's effects, and the stored scan is answered instead (one query fewer).
    session = resolve_checkpoint(meeting, checkpoint)
    result, reason, badge, registration = _judge(meeting, token, session, direction, checkpoint)
    checkin = CheckIn(
        meeting_id=meeting.id,
        badge_id=badge.id if badge else None,
        registration_id=registration.id if registration else None,
        checkpoint=checkpoint,
        session_id=session.id if session else None,
        direction=direction,
        result=result,
        reason=reason,
        nonce=nonce,
        scanned_at=scanned_at or utcnow(),
        recorded_at=utcnow(),
        device=device[:120],
        scanned_by_id=user_id,
    )
    participant = participant_json(registration) if registration else None
    db.session.add(checkin)
    try:
        db.session.flush()
        checkin_id = checkin.id
        db.session.commit()
    except IntegrityError:
        # The same nonce arrived twice at once (a retried sync): the first one stands.
        db.session.rollback()
        previous = _existing(nonce)
        if previous is None:
            raise
        return _outcome_of(previous, duplicate=True)
    return ScanOutcome(result, reason, participant, checkin_id)
