"""Builders shared by the speakers' list tests: a plenary of a meeting, delegations and their speakers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from eventapp.extensions import db
from eventapp.models import (
    Delegation,
    Meeting,
    Member,
    MemberKind,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Role,
    Session,
    SessionType,
    SpeakersList,
    User,
)
from eventapp.models.base import utcnow
from tests.conftest import add_meeting, add_member, add_user


@dataclass
class Plenary:
    meeting: Meeting
    session: Session
    speakers_list: SpeakersList
    host: User
    delegations: dict[str, Delegation] = field(default_factory=dict)
    speakers: dict[str, Registration] = field(default_factory=dict)
    focal_points: dict[str, User] = field(default_factory=dict)


def add_delegation(plenary: Plenary, member: Member, speaker: tuple[str, str, str]) -> Delegation:
    """An invited delegation with one registered speaker and a focal point account."""
    honorific, given, family = speaker
    delegation = Delegation(
        meeting=plenary.meeting,
        member=member,
        invitation_token_hash=hashlib.sha256(member.code.encode()).hexdigest(),
        invited_at=utcnow(),
    )
    person = Registration(
        meeting=plenary.meeting,
        delegation=delegation,
        category=RegistrationCategory.DELEGATE,
        status=RegistrationStatus.APPROVED,
        honorific=honorific,
        given_name=given,
        family_name=family,
        email=f"{given.lower()}.{member.code.lower()}@example.org",
    )
    db.session.add_all([delegation, person])
    db.session.commit()
    plenary.delegations[member.code] = delegation
    plenary.speakers[member.code] = person
    plenary.focal_points[member.code] = add_user(f"fp-{member.code.lower()}@example.org", Role.FOCAL_POINT, member)
    return delegation


def plenary_with_list(
    *, seconds: int = 180, close_in: timedelta = timedelta(days=1), published: bool = False, **meeting: object
) -> Plenary:
    """A published meeting with its agenda, a plenary tomorrow-plus and a speakers' list on it."""
    values: dict[str, object] = {"agenda_published": True, "title": "Capital-Level Meeting, Geneva 2030"}
    values.update(meeting)
    found = add_meeting("2030-geneva", **values)
    start = datetime.combine(found.starts_on, datetime.min.time()).replace(hour=10, tzinfo=found.zone)
    session = Session(
        meeting_id=found.id,
        title="Tour de table",
        type=SessionType.PLENARY,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    db.session.add(session)
    db.session.commit()
    speakers_list = SpeakersList(
        session_id=session.id,
        inscriptions_close_at=utcnow() + close_in,
        seconds_per_speaker=seconds,
        chairs_first=True,
        is_published=published,
        clock_used_ms=0,
        version=1,
        recent_action_keys=[],
    )
    db.session.add(speakers_list)
    db.session.commit()
    return Plenary(found, session, speakers_list, add_user("host@example.org", Role.HOST))


def members() -> dict[str, Member]:
    return {
        "ROU": add_member("ROU", "Romania"),
        "SEN": add_member("SEN", "Senegal"),
        "CAN": add_member("CAN", "Canada"),
        "AU": add_member("AU", "the African Union", MemberKind.REGIONAL_ORGANISATION),
        "CHE": add_member("CHE", "Switzerland"),
    }
