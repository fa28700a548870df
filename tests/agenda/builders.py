"""Builders for agenda tests: rooms, sessions at local wall times, approved registrations."""

from __future__ import annotations

from datetime import datetime

from eventapp.extensions import db
from eventapp.models import (
    Delegation,
    Meeting,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Room,
    Session,
    SessionAccess,
    SessionSpeaker,
    SessionType,
)


def at(meeting: Meeting, local: str) -> datetime:
    """'2030-06-01 09:00' on the meeting's wall clock, as an aware datetime."""
    return datetime.fromisoformat(local).replace(tzinfo=meeting.zone)


def add_room(meeting: Meeting, name: str = "Plenary hall", **fields: object) -> Room:
    room = Room(meeting_id=meeting.id, name=name, **fields)
    db.session.add(room)
    db.session.commit()
    return room


def add_session(
    meeting: Meeting,
    title: str,
    start: str,
    end: str,
    *,
    speakers: list[str] | None = None,
    **fields: object,
) -> Session:
    values: dict[str, object] = {"type": SessionType.PLENARY, "access": SessionAccess.OPEN}
    values.update(fields)
    s = Session(meeting_id=meeting.id, title=title, starts_at=at(meeting, start), ends_at=at(meeting, end), **values)
    s.speakers = [SessionSpeaker(name=name, position=i) for i, name in enumerate(speakers or [])]
    db.session.add(s)
    db.session.commit()
    return s


def add_registration(
    meeting: Meeting,
    email: str,
    *,
    member: Member | None = None,
    status: RegistrationStatus = RegistrationStatus.APPROVED,
) -> Registration:
    delegation = None
    if member is not None:
        delegation = Delegation(meeting_id=meeting.id, member_id=member.id)
        db.session.add(delegation)
        db.session.flush()
    registration = Registration(
        meeting_id=meeting.id,
        delegation_id=delegation.id if delegation else None,
        category=RegistrationCategory.DELEGATE if delegation else RegistrationCategory.CIVIL_SOCIETY,
        status=status,
        given_name=email.split("@")[0].capitalize(),
        family_name="Tester",
        email=email,
    )
    db.session.add(registration)
    db.session.commit()
    return registration
