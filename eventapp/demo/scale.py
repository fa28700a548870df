"""A meeting at scale for load tests: thousands of participants, hundreds of sessions, ~100 members.

Rows go in with bulk INSERT statements (one executemany per table), not one ORM object per row,
so 10,000 participants take seconds. Everything is drawn from a seeded random generator: the
same options make the same meeting. Badges are stored as their random token ids; the Ed25519
signature is made when a badge is rendered or scanned, so seeding needs only the meeting's key.
"""

from __future__ import annotations

import math
import random
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import pycountry
import sqlalchemy as sa

from eventapp.badges.tokens import ensure_meeting_key, new_token_id
from eventapp.demo.bulk import insert_rows, insert_with_ids
from eventapp.demo.scale_events import ZONE, add_agenda, add_door_scans, add_picks, plan_rooms
from eventapp.demo.scale_people import NAMES, ORGANISATIONS, POSITIONS, person_needs
from eventapp.demo.seed import MEMBERS_CSV
from eventapp.extensions import db
from eventapp.members.importer import import_members
from eventapp.models import (
    APPLICATION_CATEGORIES,
    Badge,
    CategoryCapacity,
    Delegation,
    MailStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Member,
    MemberKind,
    OutboxMessage,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from eventapp.models.base import utcnow
from eventapp.names.collation import sort_key
from eventapp.privacy.crypto import encrypt_text

EXTRA_MEMBER_PREFIX = "Scale Test Member"
DECLINED_REASON = "No place left in this category (scale test)."
#: Status of non-head delegates by position modulo 20; the rest are approved.
DELEGATE_STATUSES = {
    1: RegistrationStatus.SUBMITTED,
    5: RegistrationStatus.WAITLISTED,
    9: RegistrationStatus.DECLINED,
    13: RegistrationStatus.WITHDRAWN,
}
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")


class ScaleError(ValueError):
    """The scale meeting cannot be made with these options."""


@dataclass
class ScaleReport:
    slug: str
    participants: int
    approved: int
    badges: int
    sessions: int
    rooms: int
    days: int
    members: int
    members_added: int
    checkins: int
    seconds: float = 0.0


def _ensure_members(wanted: int) -> tuple[list[Member], int]:
    """The first `wanted` members (demo members first), adding invented ones when there are too few."""
    if not db.session.scalar(sa.select(sa.func.count(Member.id))):
        with MEMBERS_CSV.open(encoding="utf-8") as stream:
            import_members(stream, update_existing=False)
    have = db.session.scalar(sa.select(sa.func.count(Member.id))) or 0
    added = 0
    if have < wanted:
        taken = set(db.session.scalars(sa.select(Member.iso3).where(Member.iso3.is_not(None))))
        free_codes = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in taken)
        numbers = db.session.scalar(
            sa.select(sa.func.count(Member.id)).where(Member.name.like(f"{EXTRA_MEMBER_PREFIX} %"))
        )
        rows = []
        for k in range(wanted - have):
            number = (numbers or 0) + k + 1
            name = f"{EXTRA_MEMBER_PREFIX} {number:03d}"
            # One in four invented members is an organisation; states borrow an unused ISO code
            # so the member forms (which check ISO 3166) still accept them.
            if k % 4 == 3 or not free_codes:
                kind, iso3, code = MemberKind.REGIONAL_ORGANISATION, None, f"STM{number:03d}"
            else:
                kind, code = MemberKind.STATE, free_codes.pop(0)
                iso3 = code
            now = utcnow()
            rows.append(
                {
                    "kind": kind,
                    "iso3": iso3,
                    "code": code,
                    "name": name,
                    "sort_name": name,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        insert_rows(Member, rows)
        added = len(rows)
    members = list(db.session.scalars(sa.select(Member).order_by(Member.id).limit(wanted)))
    return members, added


def _meeting(slug: str, participants: int, days: int, today: date) -> Meeting:
    starts = today - timedelta(days=1)  # under way: yesterday's door scans are in the data
    zone = ZoneInfo(ZONE)
    opens = datetime.combine(starts - timedelta(days=120), clock(9), zone)
    closes = datetime.combine(starts - timedelta(days=14), clock(18), zone)
    meeting = Meeting(
        slug=slug,
        kind=MeetingKind.OTHER,
        title=f"Scale test meeting ({participants:,} participants)",
        theme="Load test data: every name, organisation and member below is invented",
        city="Geneva",
        country_iso3="CHE",
        venue="Scale test conference centre",
        timezone=ZONE,
        starts_on=starts,
        ends_on=starts + timedelta(days=days - 1),
        status=MeetingStatus.PUBLISHED,
        registration_opens_at=opens,
        registration_closes_at=closes,
        edit_deadline_at=closes,
        agenda_published=True,
    )
    db.session.add(meeting)
    db.session.flush()
    ensure_meeting_key(meeting)
    return meeting


def _status(rng: random.Random) -> RegistrationStatus:
    roll = rng.random()
    if roll < 0.85:
        return RegistrationStatus.APPROVED
    if roll < 0.90:
        return RegistrationStatus.WAITLISTED
    if roll < 0.94:
        return RegistrationStatus.DECLINED
    if roll < 0.98:
        return RegistrationStatus.SUBMITTED
    return RegistrationStatus.WITHDRAWN


def _person(rng: random.Random, index: int, meeting: Meeting, slug: str) -> dict[str, Any]:
    given_names, family_names = NAMES[index % len(NAMES)]
    status = _status(rng)
    window = meeting.registration_closes_at - meeting.registration_opens_at  # type: ignore[operator]
    created = meeting.registration_opens_at + window * rng.random()  # type: ignore[operator]
    decided = created + timedelta(days=rng.randint(1, 10)) if status != RegistrationStatus.SUBMITTED else None
    dietary, accessibility = person_needs(rng)
    given, family = rng.choice(given_names), rng.choice(family_names)
    return {
        "meeting_id": meeting.id,
        "delegation_id": None,
        "category": rng.choice(APPLICATION_CATEGORIES),
        "status": status,
        "given_name": given,
        "family_name": family,
        # Rows inserted in bulk skip the ORM's hooks, so the collation key is written here.
        "name_sort_key": sort_key(family, given),
        "honorific": rng.choice(["", "", "Ms", "Mr", "Dr", "H.E."]),
        "position": rng.choice(POSITIONS),
        "organisation": rng.choice(ORGANISATIONS),
        "email": f"participant{index:05d}.{slug}@example.org",
        "phone": f"+41 22 {index // 10000:03d} {index % 10000:04d}",
        "nationality": None,
        "country": None,
        "gender": rng.choice(["female", "female", "male", ""]),
        "accessibility_needs": accessibility,
        "dietary_needs": dietary,
        "needs_visa_letter": False,
        "motivation": "Invented participant for the scale test.",
        "consent_data_processing": True,
        "consent_participant_list": rng.random() < 0.7,
        "locale": "en",
        "decision_reason": DECLINED_REASON if status == RegistrationStatus.DECLINED else "",
        "decided_at": decided,
        "waitlisted_at": decided if status == RegistrationStatus.WAITLISTED else None,
        "passport_number_encrypted": None,
        "passport_expiry_encrypted": None,
        "passport_country": None,
        "created_at": created,
        "updated_at": decided or created,
    }


def _registrations(
    rng: random.Random, meeting: Meeting, members: list[Member], participants: int
) -> tuple[list[dict[str, Any]], list[int]]:
    """Rows for everyone, and their delegation ids (delegates first, ~15% of the people)."""
    countries = [c.alpha_3 for c in pycountry.countries]
    now = utcnow()
    # About 15% of the people come with members' delegations; small runs leave some delegations empty.
    delegates = max(1, participants * 15 // 100)
    meeting.delegation_quota = max(4, math.ceil(delegates / len(members)) + 1)
    delegation_rows = [
        {
            "meeting_id": meeting.id,
            "member_id": m.id,
            "invitation_token_hash": secrets.token_hex(32),
            "invited_at": meeting.registration_opens_at,
            "invitation_used_at": meeting.registration_opens_at + timedelta(days=3) if i % 5 else None,  # type: ignore[operator]
            "created_at": now,
            "updated_at": now,
        }
        for i, m in enumerate(members)
    ]
    same_meeting = Delegation.meeting_id == meeting.id
    delegation_ids = insert_with_ids(Delegation, delegation_rows, "member_id", where=same_meeting)
    rows = []
    for index in range(participants):
        row = _person(rng, index, meeting, meeting.slug)
        if index < delegates:
            member = members[index % len(members)]
            row["delegation_id"] = delegation_ids[index % len(members)]
            row["category"] = RegistrationCategory.DELEGATE
            row["organisation"] = member.name
            row["nationality"] = member.iso3 or rng.choice(countries)
            # Heads (each delegation's first person) are approved, and four in five of the others;
            # fixed by position so even a small run has delegates in every state.
            row["status"] = DELEGATE_STATUSES.get((index - len(members)) % 20, RegistrationStatus.APPROVED)
            if index < len(members):
                row["status"] = RegistrationStatus.APPROVED
            row["decision_reason"] = "" if row["status"] != RegistrationStatus.DECLINED else DECLINED_REASON
            row["waitlisted_at"] = row["decided_at"] if row["status"] == RegistrationStatus.WAITLISTED else None
            if row["status"] == RegistrationStatus.SUBMITTED:
                row["decided_at"] = None
            else:
                row["decided_at"] = row["decided_at"] or row["created_at"]
        else:
            if rng.random() < 0.01:
                row["category"] = RegistrationCategory.SECRETARIAT
            row["nationality"] = row["country"] = rng.choice(countries)
        if rng.random() < 0.1:
            row["needs_visa_letter"] = True
            row["passport_country"] = row["nationality"]
            row["passport_number_encrypted"] = encrypt_text(f"X{rng.randrange(10**7, 10**8)}")
            row["passport_expiry_encrypted"] = encrypt_text("2031-12-31")
        rows.append(row)
    return rows, delegation_ids


def _capacities(meeting: Meeting, rows: list[dict[str, Any]]) -> None:
    """Capacities set to the approved counts: the meeting is full, which is why people wait."""
    approved: dict[RegistrationCategory, int] = {}
    for row in rows:
        if row["status"] == RegistrationStatus.APPROVED:
            approved[row["category"]] = approved.get(row["category"], 0) + 1
    meeting.capacity = sum(approved.values())
    insert_rows(
        CategoryCapacity,
        [{"meeting_id": meeting.id, "category": c.value, "capacity": n} for c, n in sorted(approved.items())],
    )


def _outbox(meeting: Meeting, rows: list[dict[str, Any]], ids: list[int]) -> None:
    """The acknowledgement each person was sent, so the outbox holds a realistic number of messages."""
    insert_rows(
        OutboxMessage,
        [
            {
                "to": row["email"],
                "subject": f"Registration received: {meeting.title}",
                "body_text": f"Dear {row['given_name']} {row['family_name']},\n\nWe received your registration.",
                "body_html": "",
                "attachments": [],
                "status": MailStatus.KEPT,
                "error": "",
                "meeting_id": meeting.id,
                "registration_id": registration_id,
                "created_at": row["created_at"],
                "sent_at": None,
            }
            for row, registration_id in zip(rows, ids, strict=True)
        ],
    )


def seed_scale(
    *,
    participants: int = 10_000,
    sessions: int = 500,
    members: int = 100,
    slug: str = "scale-test",
    seed: int = 1325,
    today: date | None = None,
) -> ScaleReport:
    """Make one large meeting; ScaleError (nothing written) if the slug is taken or a number is bad."""
    started = time.perf_counter()
    for name, value in (("participants", participants), ("sessions", sessions), ("members", members)):
        if value < 1:
            raise ScaleError(f"--{name} must be at least 1.")
    if not SLUG.fullmatch(slug):
        raise ScaleError(f"--slug {slug!r} must be lower-case letters, digits and dashes (at most 80).")
    if db.session.scalar(sa.select(Meeting.id).where(Meeting.slug == slug)) is not None:
        raise ScaleError(f"A meeting with the slug {slug!r} already exists; give another --slug.")
    rng = random.Random(seed)
    today = today or utcnow().astimezone(ZoneInfo(ZONE)).date()
    try:
        chosen, added = _ensure_members(members)
        rooms, days = plan_rooms(sessions)
        meeting = _meeting(slug, participants, days, today)
        rows, delegation_ids = _registrations(rng, meeting, chosen, participants)
        ids = insert_with_ids(Registration, rows, "email", where=Registration.meeting_id == meeting.id)
        heads = {}
        for row, registration_id in zip(rows, ids, strict=True):
            if row["delegation_id"] is not None:
                heads.setdefault(row["delegation_id"], registration_id)
        db.session.execute(sa.update(Delegation), [{"id": d, "head_registration_id": r} for d, r in heads.items()])
        _capacities(meeting, rows)
        approved_ids = [i for i, r in zip(ids, rows, strict=True) if r["status"] == RegistrationStatus.APPROVED]
        now = utcnow()
        badge_ids = insert_with_ids(
            Badge,
            [
                {"registration_id": r, "token_id": new_token_id(), "issued_at": now, "printed_at": now}
                for r in approved_ids
            ],
            "registration_id",
            where=Badge.registration_id.in_(sa.select(Registration.id).where(Registration.meeting_id == meeting.id)),
        )
        agenda = add_agenda(rng, meeting, sessions, rooms, approved_ids, participants)
        add_picks(rng, agenda, approved_ids)
        checkins = add_door_scans(rng, meeting, approved_ids, badge_ids)
        _outbox(meeting, rows, ids)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return ScaleReport(
        slug=slug,
        participants=participants,
        approved=len(approved_ids),
        badges=len(badge_ids),
        sessions=sessions,
        rooms=rooms,
        days=days,
        members=len(chosen),
        members_added=added,
        checkins=checkins,
        seconds=time.perf_counter() - started,
    )
