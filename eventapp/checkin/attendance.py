"""Read side of check-in: who is inside, the history, the scanner bundle and the communiqué list."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from eventapp.checkin.services import ENTRANCE, SESSION_PREFIX, checkpoints, participant_json
from eventapp.extensions import db
from eventapp.models import (
    Badge,
    CheckIn,
    Delegation,
    Meeting,
    Member,
    MemberKind,
    Presence,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    ScanResult,
    Session,
    SessionAttendance,
)


def _approved(meeting: Meeting) -> sa.Select[tuple[Registration]]:
    return (
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.APPROVED)
        .options(selectinload(Registration.delegation).selectinload(Delegation.member))
    )


def search_participants(meeting: Meeting, q: str, limit: int = 50) -> list[dict[str, Any]]:
    """Approved participants whose name, organisation or member matches `q` (case-insensitive)."""
    query = _approved(meeting).outerjoin(Delegation, Registration.delegation_id == Delegation.id)
    query = query.outerjoin(Member, Delegation.member_id == Member.id)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(Registration.given_name + " " + Registration.family_name).like(like),
                sa.func.lower(Registration.organisation).like(like),
                sa.func.lower(Member.name).like(like),
                sa.func.lower(Member.code).like(like),
            )
        )
    query = query.order_by(Registration.name_sort_key, Registration.id).limit(limit)
    return [participant_json(r) for r in db.session.scalars(query)]


def scanner_bundle(meeting: Meeting) -> dict[str, Any]:
    """What an offline scanner needs: the public key, revoked tokens and a minimal roster."""
    from eventapp.badges.tokens import ensure_meeting_key

    if not meeting.badge_public_key:
        ensure_meeting_key(meeting)
        db.session.commit()
    registrations = {r.id: r for r in db.session.scalars(_approved(meeting))}
    invited: dict[int, list[int]] = defaultdict(list)
    for session_id, registration_id in db.session.execute(
        sa.select(SessionAttendance.session_id, SessionAttendance.registration_id)
        .join(Session, Session.id == SessionAttendance.session_id)
        .where(Session.meeting_id == meeting.id)
    ):
        invited[registration_id].append(session_id)
    badges = db.session.execute(
        sa.select(Badge.token_id, Badge.registration_id, Badge.revoked_at)
        .join(Registration, Registration.id == Badge.registration_id)
        .where(Registration.meeting_id == meeting.id)
    ).all()
    roster = []
    revoked = []
    for token_id, registration_id, revoked_at in badges:
        if revoked_at is not None:
            revoked.append(token_id)
            continue
        registration = registrations.get(registration_id)
        if registration is None:
            continue
        person = participant_json(registration)
        person |= {"token_id": token_id, "delegation": registration.delegation_id is not None}
        person["sessions"] = invited.get(registration_id, [])
        roster.append(person)
    sessions = db.session.scalars(sa.select(Session).where(Session.meeting_id == meeting.id))
    inside = defaultdict(list)
    for p in db.session.scalars(sa.select(Presence).where(Presence.meeting_id == meeting.id, Presence.inside)):
        inside[p.checkpoint].append(p.registration_id)
    return {
        "meeting": {"id": meeting.id, "slug": meeting.slug, "title": meeting.title},
        "public_key": meeting.badge_public_key,
        "revoked": revoked,
        "roster": roster,
        "checkpoints": [{"value": v, "label": label} for v, label in checkpoints(meeting)],
        "sessions": {f"{SESSION_PREFIX}{s.id}": {"id": s.id, "access": s.access.value} for s in sessions},
        "inside": inside,
    }


def status(meeting: Meeting) -> dict[str, Any]:
    """Who is inside now: per checkpoint, and at the entrance per category, delegation and session."""
    inside = (Presence.meeting_id == meeting.id, Presence.inside)
    per_checkpoint = dict(
        db.session.execute(sa.select(Presence.checkpoint, sa.func.count()).where(*inside).group_by(Presence.checkpoint))
        .tuples()
        .all()
    )
    at_entrance = db.session.execute(
        sa.select(Registration.category, Member.name, sa.func.count())
        .select_from(Presence)
        .join(Registration, Registration.id == Presence.registration_id)
        .outerjoin(Delegation, Delegation.id == Registration.delegation_id)
        .outerjoin(Member, Member.id == Delegation.member_id)
        .where(*inside, Presence.checkpoint == ENTRANCE)
        .group_by(Registration.category, Member.name)
    ).tuples()
    per_category: Counter[RegistrationCategory] = Counter()
    per_delegation: Counter[str] = Counter()
    for category, member_name, count in at_entrance:
        per_category[category] += count
        if member_name:
            per_delegation[member_name] += count
    labels = dict(checkpoints(meeting))
    scans = db.session.scalar(sa.select(sa.func.count(CheckIn.id)).where(CheckIn.meeting_id == meeting.id))
    return {
        "inside": [{"checkpoint": c, "label": labels.get(c, c), "count": per_checkpoint.get(c, 0)} for c in labels],
        "by_category": dict(sorted((c.label, n) for c, n in per_category.items())),
        "by_delegation": dict(sorted(per_delegation.items())),
        "scans": scans or 0,
    }


def history(meeting: Meeting, limit: int = 100, before_id: int | None = None) -> list[dict[str, Any]]:
    query = (
        sa.select(CheckIn)
        .where(CheckIn.meeting_id == meeting.id)
        .options(selectinload(CheckIn.registration))
        .order_by(CheckIn.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(CheckIn.id < before_id)
    return [
        {
            "id": c.id,
            "checkpoint": c.checkpoint,
            "direction": c.direction.value,
            "result": c.result.value,
            "reason": c.reason,
            "name": c.registration.full_name if c.registration else None,
            "registration_id": c.registration_id,
            "device": c.device,
            "nonce": c.nonce,
            "scanned_at": c.scanned_at.isoformat(),
            "recorded_at": c.recorded_at.isoformat(),
        }
        for c in db.session.scalars(query)
    ]


def members_present(meeting: Meeting) -> list[Member]:
    """Members with at least one delegate admitted at any checkpoint: states first, then organisations."""
    # Members chosen by id, not SELECT DISTINCT over their rows: PostgreSQL cannot compare JSON columns.
    admitted = (
        sa.select(Delegation.member_id)
        .join(Registration, Registration.delegation_id == Delegation.id)
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(Delegation.meeting_id == meeting.id, CheckIn.result == ScanResult.ADMITTED)
    )
    query = sa.select(Member).where(Member.id.in_(admitted))
    members = list(db.session.scalars(query))
    kind_order = {MemberKind.STATE: 0, MemberKind.REGIONAL_ORGANISATION: 1}
    return sorted(members, key=lambda m: (kind_order.get(m.kind, 2), m.sort_name.casefold()))


def as_communique(members: list[Member]) -> str:
    """Members as the communiqués list them: "Côte d'Ivoire, ..., the African Union"."""
    return ", ".join(m.name for m in members)


def communique_list(meeting: Meeting) -> str:
    """The members present, as the communiqués list them."""
    return as_communique(members_present(meeting))
