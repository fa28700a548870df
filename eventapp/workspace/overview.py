"""The Overview of a meeting's workspace: the counts that matter and what needs doing."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from eventapp.extensions import db
from eventapp.models import (
    Badge,
    Delegation,
    Meeting,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from eventapp.registration.store import ACTIVE
from eventapp.workspace.desk import inside_count

#: The statuses the Overview's table shows, in the order a host reads them.
SHOWN_STATUSES = (
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.APPROVED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.DECLINED,
)


@dataclass
class Overview:
    #: {category: {status: count}} for the categories with anyone registered.
    by_category: dict[RegistrationCategory, dict[RegistrationStatus, int]] = field(default_factory=dict)
    totals: dict[RegistrationStatus, int] = field(default_factory=dict)
    delegations_invited: int = 0
    delegations_registered: int = 0
    invitations_unused: int = 0
    approved: int = 0
    #: Live badges of approved people: a badge is made the first time its PDF is rendered.
    badges_made: int = 0
    inside_now: int = 0
    visa_letters_requested: int = 0

    @property
    def waiting(self) -> int:
        return self.totals.get(RegistrationStatus.SUBMITTED, 0)


def meeting_overview(meeting: Meeting) -> Overview:
    """Every figure of the Overview, each from one grouped or counted query."""
    overview = Overview()
    found = db.session.execute(
        sa.select(Registration.category, Registration.status, sa.func.count())
        .where(Registration.meeting_id == meeting.id)
        .group_by(Registration.category, Registration.status)
    ).tuples()
    for category, status, n in found:
        overview.by_category.setdefault(category, dict.fromkeys(SHOWN_STATUSES, 0))
        if status in SHOWN_STATUSES:
            overview.by_category[category][status] = n
    overview.by_category = {c: overview.by_category[c] for c in RegistrationCategory if c in overview.by_category}
    overview.totals = {s: sum(row[s] for row in overview.by_category.values()) for s in SHOWN_STATUSES}
    overview.approved = overview.totals[RegistrationStatus.APPROVED]

    live_invitation = sa.and_(Delegation.invited_at.is_not(None), Delegation.invitation_revoked_at.is_(None))
    of_meeting = Delegation.meeting_id == meeting.id
    overview.delegations_invited = _count(sa.select(sa.func.count(Delegation.id)).where(of_meeting, live_invitation))
    overview.invitations_unused = _count(
        sa.select(sa.func.count(Delegation.id)).where(
            of_meeting, live_invitation, Delegation.invitation_used_at.is_(None)
        )
    )
    overview.delegations_registered = _count(
        sa.select(sa.func.count(sa.distinct(Registration.delegation_id))).where(
            Registration.meeting_id == meeting.id,
            Registration.delegation_id.is_not(None),
            Registration.status.in_(ACTIVE),
        )
    )
    overview.badges_made = _count(
        sa.select(sa.func.count(Badge.id))
        .join(Registration, Registration.id == Badge.registration_id)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
            Badge.revoked_at.is_(None),
        )
    )
    overview.inside_now = inside_count(meeting)
    overview.visa_letters_requested = _count(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.meeting_id == meeting.id, Registration.needs_visa_letter, Registration.status.in_(ACTIVE)
        )
    )
    return overview


def _count(query: sa.Select[tuple[int]]) -> int:
    return db.session.scalar(query) or 0
