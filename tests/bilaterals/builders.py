"""A meeting with three invited delegations (Romania, Senegal, Chile), their focal points and rooms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from eventapp.bilaterals import services
from eventapp.extensions import db
from eventapp.models import (
    Bilateral,
    BilateralRoom,
    BilateralSettings,
    BilateralSide,
    Delegation,
    Meeting,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Role,
    Room,
    User,
)
from eventapp.models.base import utcnow
from tests.conftest import add_meeting, add_member, add_user

SLUG = "2030-geneva-bilaterals"
DAY_1, DAY_2 = date(2030, 6, 3), date(2030, 6, 4)


@dataclass
class Scene:
    meeting: Meeting
    romania: Delegation
    senegal: Delegation
    chile: Delegation
    kenya: Delegation
    fp_romania: User
    fp_senegal: User
    fp_chile: User
    fp_kenya: User
    host: User
    room_a: Room
    room_b: Room
    plenary_hall: Room


def local(value: str) -> datetime:
    """A wall-clock time typed in the meeting's zone, as a form gives it."""
    return datetime.fromisoformat(value)


def _delegation(meeting: Meeting, member: Member) -> Delegation:
    d = Delegation(meeting=meeting, member=member, invitation_token_hash=f"hash-{member.code}", invited_at=utcnow())
    db.session.add(d)
    return d


def add_delegate(delegation: Delegation, email: str, given: str, family: str, locale: str = "en") -> Registration:
    r = Registration(
        meeting_id=delegation.meeting_id,
        delegation=delegation,
        category=RegistrationCategory.DELEGATE,
        status=RegistrationStatus.APPROVED,
        given_name=given,
        family_name=family,
        email=email,
        locale=locale,
    )
    db.session.add(r)
    db.session.commit()
    return r


def scene(*, delegations_book_rooms: bool = False) -> Scene:
    meeting = add_meeting(SLUG, starts_on=DAY_1, ends_on=DAY_2, timezone="Europe/Zurich", agenda_published=True)
    members = [
        add_member(code, name)
        for code, name in (("ROU", "Romania"), ("SEN", "Senegal"), ("CHL", "Chile"), ("KEN", "Kenya"))
    ]
    romania, senegal, chile, kenya = members
    delegations = [_delegation(meeting, m) for m in members]
    rooms = [
        Room(meeting_id=meeting.id, name=n, floor=f)
        for n, f in (("Bilateral room A", "2"), ("Bilateral room B", "2"), ("Plenary hall", "1"))
    ]
    db.session.add_all(rooms)
    db.session.commit()
    for room in rooms[:2]:
        db.session.add(BilateralRoom(room_id=room.id, meeting_id=meeting.id))
    db.session.add(BilateralSettings(meeting_id=meeting.id, delegations_book_rooms=delegations_book_rooms))
    db.session.commit()
    return Scene(
        meeting,
        *delegations,
        fp_romania=add_user("fp-rou@example.org", Role.FOCAL_POINT, romania),
        fp_senegal=add_user("fp-sen@example.org", Role.FOCAL_POINT, senegal),
        fp_chile=add_user("fp-chl@example.org", Role.FOCAL_POINT, chile),
        fp_kenya=add_user("fp-ken@example.org", Role.FOCAL_POINT, kenya),
        host=add_user("host@example.org", Role.HOST),
        room_a=rooms[0],
        room_b=rooms[1],
        plenary_hall=rooms[2],
    )


def focal_point(s: Scene, delegation: Delegation) -> User:
    """The (first) focal point of the delegation's member."""
    return db.session.scalars(select(User).where(User.member_id == delegation.member_id).order_by(User.id)).first()


def agreed(s: Scene, start: str, **kwargs: object) -> Bilateral:
    """A bilateral asked and accepted at `start` (a wall-clock time)."""
    b = ask(s, [start], **kwargs)  # type: ignore[arg-type]
    actor = focal_point(s, b.counterpart)
    return services.accept_proposal(b, b.proposals[0].id, side=BilateralSide.COUNTERPART, actor=actor)


def ask(s: Scene, times: list[str], *, by: Delegation | None = None, to: Delegation | None = None, minutes: int = 30):
    """A request through the service, as the requesting delegation's focal point."""
    requester = by or s.romania
    actor = focal_point(s, requester)
    data = services.RequestData(
        counterpart_id=(to or s.senegal).id, duration_minutes=minutes, times=[local(t) for t in times]
    )
    return services.request_bilateral(requester, data, actor=actor)
