"""The bilaterals of the security tests' world: one awaiting A's answer, one agreed, one A may not see."""

from __future__ import annotations

from datetime import datetime, timedelta

from eventapp.extensions import db
from eventapp.models import (
    Bilateral,
    BilateralProposal,
    BilateralRoom,
    BilateralSettings,
    BilateralSide,
    BilateralStatus,
    Delegation,
    Meeting,
    Member,
    MemberKind,
    Room,
)
from eventapp.models.base import utcnow


def _at(meeting: Meeting, day: int, hour: int) -> datetime:
    start = datetime.combine(meeting.starts_on + timedelta(days=day), datetime.min.time())
    return start.replace(hour=hour, tzinfo=meeting.zone)


def seed_bilaterals(meeting: Meeting, delegation_a: Delegation, delegation_b: Delegation) -> dict[str, int]:
    """Member D (Chile) with a delegation; B asked A (two times); A and B agreed; B and D agreed (hidden from A)."""
    chile = Member(kind=MemberKind.STATE, iso3="CHL", code="CHL", name="Chile", sort_name="Chile")
    delegation_d = Delegation(meeting=meeting, member=chile, invitation_token_hash="hash-of-chile", invited_at=utcnow())
    room = Room(meeting=meeting, name="Bilateral room 1")
    db.session.add_all([chile, delegation_d, room])
    db.session.flush()
    db.session.add(BilateralRoom(room_id=room.id, meeting_id=meeting.id))
    db.session.add(BilateralSettings(meeting_id=meeting.id, delegations_book_rooms=True))

    def bilateral(requester: Delegation, counterpart: Delegation, **values: object) -> Bilateral:
        b = Bilateral(meeting_id=meeting.id, requester=requester, counterpart=counterpart, duration_minutes=30)
        for name, value in values.items():
            setattr(b, name, value)
        db.session.add(b)
        return b

    answer = bilateral(delegation_b, delegation_a, status=BilateralStatus.REQUESTED, awaiting=BilateralSide.COUNTERPART)
    answer.proposals = [
        BilateralProposal(round=1, side=BilateralSide.REQUESTER, starts_at=_at(meeting, 1, hour)) for hour in (15, 16)
    ]
    agreed = bilateral(
        delegation_a,
        delegation_b,
        status=BilateralStatus.CONFIRMED,
        starts_at=_at(meeting, 1, 11),
        ends_at=_at(meeting, 1, 11) + timedelta(minutes=30),
    )
    hidden = bilateral(
        delegation_b,
        delegation_d,
        status=BilateralStatus.CONFIRMED,
        starts_at=_at(meeting, 1, 13),
        ends_at=_at(meeting, 1, 13) + timedelta(minutes=30),
    )
    db.session.commit()
    return {
        "delegation_d": delegation_d.id,
        "bilateral_room": room.id,
        "bilateral_answer": answer.id,
        "bilateral_proposal": answer.proposals[1].id,
        "bilateral_agreed": agreed.id,
        "bilateral_hidden": hidden.id,
    }
