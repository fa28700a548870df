"""Test data for badges and check-in, made directly with the models."""

from __future__ import annotations

from eventapp.api.auth import create_device_token
from eventapp.badges.services import badge_token, issue_badge
from eventapp.extensions import db
from eventapp.models import Delegation, Meeting, Member, Registration, RegistrationCategory, RegistrationStatus


def add_registration(
    meeting: Meeting,
    given: str,
    family: str,
    *,
    member: Member | None = None,
    category: RegistrationCategory | None = None,
    status: RegistrationStatus = RegistrationStatus.APPROVED,
    organisation: str = "",
) -> Registration:
    delegation = None
    if member is not None:
        delegation = db.session.query(Delegation).filter_by(meeting_id=meeting.id, member_id=member.id).first()
        if delegation is None:
            delegation = Delegation(meeting=meeting, member=member)
            db.session.add(delegation)
    registration = Registration(
        meeting=meeting,
        delegation=delegation,
        category=category or (RegistrationCategory.DELEGATE if member else RegistrationCategory.CIVIL_SOCIETY),
        status=status,
        given_name=given,
        family_name=family,
        organisation=organisation,
        email=f"{given}.{family}.{db.session.query(Registration).count()}@example.org".lower(),
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def badge_for(registration: Registration) -> str:
    """Issue the registrant's badge and return the token its QR holds."""
    badge = issue_badge(registration)
    db.session.commit()
    return badge_token(badge)


def device_token(meeting: Meeting, name: str = "door-1") -> str:
    _, plain = create_device_token(meeting, name)
    db.session.commit()
    return plain
