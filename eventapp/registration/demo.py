"""Demo registrations for the upcoming meeting: every member invited, a few applications in several scripts."""

from __future__ import annotations

from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import Delegation, Meeting, Registration, RegistrationCategory, RegistrationStatus
from eventapp.models.base import utcnow
from eventapp.registration.delegations import invite_all_members

#: (category, given, family, organisation, country, email, motivation)
DEMO_APPLICATIONS = [
    (
        RegistrationCategory.WOMEN_PEACEBUILDER,
        "فاطمة",
        "الحسن",
        "شبكة النساء للسلام",
        "JOR",
        "fatima.alhassan@example.org",
        "Mediation between host and refugee communities; twelve years of local peace committees.",
    ),
    (
        RegistrationCategory.ACADEMIA,
        "秀英",
        "王",
        "Institute for Peace and Security Studies",
        "CHN",
        "wang.xiuying@example.org",
        "Research on national action plans in Asia and the Pacific.",
    ),
    (
        RegistrationCategory.PARLIAMENTARIAN,
        "प्रिया",
        "शर्मा",
        "Parliamentary Forum on Gender Equality",
        "IND",
        "priya.sharma@example.org",
        "Chairs the committee drafting the gender-responsive security budget.",
    ),
    (
        RegistrationCategory.CIVIL_SOCIETY,
        "Zoë",
        "Nguyễn",
        "Women's Voices for Peace",
        "VNM",
        "zoe.nguyen@example.org",
        "Youth and women's participation in post-conflict reconstruction.",
    ),
    (
        RegistrationCategory.MEDIA,
        "Amina",
        "Diallo",
        "Radio Paix Sahel",
        "SEN",
        "amina.diallo@example.org",
        "Covers the Network's work for francophone West African radio.",
    ),
]


def seed_demo_registrations(meeting_slug: str) -> bool:
    """Invite every member and add example applications, once; True when something was added."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == meeting_slug))
    if meeting is None:
        return False
    added = False
    if not db.session.scalar(select(func.count(Delegation.id)).where(Delegation.meeting_id == meeting.id)):
        invite_all_members(meeting, actor=None)
        added = True
    if not db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.meeting_id == meeting.id, Registration.delegation_id.is_(None)
        )
    ):
        for index, (category, given, family, organisation, country, email, motivation) in enumerate(DEMO_APPLICATIONS):
            # The first one approved, so the demo shows both a decided and an open application.
            status = RegistrationStatus.APPROVED if index == 0 else RegistrationStatus.SUBMITTED
            db.session.add(
                Registration(
                    meeting_id=meeting.id,
                    category=category,
                    status=status,
                    decided_at=utcnow() if index == 0 else None,
                    given_name=given,
                    family_name=family,
                    organisation=organisation,
                    country=country,
                    nationality=country,
                    email=email,
                    motivation=motivation,
                    consent_data_processing=True,
                    consent_participant_list=index % 2 == 0,
                )
            )
        db.session.commit()
        added = True
    return added
