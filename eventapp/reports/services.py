"""What hosts read about a meeting's registrations: filtered lists, counts, delegations, catering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from eventapp.extensions import db
from eventapp.models import (
    Delegation,
    Meeting,
    Member,
    MemberKind,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from eventapp.models.registration import FULL_NAME_SQL
from eventapp.web.pagination import paginate

#: Needs a host can filter on: key -> label.
NEEDS = {
    "accessibility": _l("Accessibility needs"),
    "dietary": _l("Dietary needs"),
    "visa": _l("Visa letter requested"),
}

#: Registrations that hold or claim a place (declined and withdrawn ones do not count against a quota).
ACTIVE_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED)


@dataclass
class RegistrationFilters:
    """What the host typed or picked above the list; empty strings mean "any"."""

    q: str = ""
    category: str = ""
    status: str = ""
    member: str = ""
    need: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> RegistrationFilters:
        """Read the query string, dropping values that are not known choices."""
        category = args.get("category", "")
        status = args.get("status", "")
        need = args.get("need", "")
        return cls(
            q=" ".join(args.get("q", "").split())[:200],
            category=category if category in {c.value for c in RegistrationCategory} else "",
            status=status if status in {s.value for s in RegistrationStatus} else "",
            member=args.get("member", "").strip().upper()[:16],
            need=need if need in NEEDS else "",
        )

    def as_args(self) -> dict[str, str]:
        """The non-empty filters, for links that keep them (exports, count links)."""
        return {k: v for k, v in vars(self).items() if v}


def _filtered(meeting: Meeting, filters: RegistrationFilters) -> sa.Select[tuple[Registration]]:
    query = select(Registration).where(Registration.meeting_id == meeting.id)
    if filters.q:
        pattern = f"%{filters.q}%"
        # The full name holds the given and the family name, so it alone finds either of them.
        query = query.where(
            sa.or_(
                FULL_NAME_SQL.ilike(pattern),
                Registration.email.ilike(pattern),
                Registration.organisation.ilike(pattern),
            )
        )
    if filters.category:
        query = query.where(Registration.category == RegistrationCategory(filters.category))
    if filters.status:
        query = query.where(Registration.status == RegistrationStatus(filters.status))
    if filters.member:
        query = query.where(
            Registration.delegation_id.in_(
                select(Delegation.id)
                .join(Member)
                .where(Delegation.meeting_id == meeting.id, Member.code == filters.member)
            )
        )
    if filters.need == "accessibility":
        query = query.where(Registration.accessibility_needs != "")
    elif filters.need == "dietary":
        query = query.where(Registration.dietary_needs != "")
    elif filters.need == "visa":
        query = query.where(Registration.needs_visa_letter.is_(True))
    return query


def _listed(meeting: Meeting, filters: RegistrationFilters) -> sa.Select[tuple[Registration]]:
    """The filtered registrations by name; their delegations and members come in one more query, not one per row."""
    return (
        _filtered(meeting, filters)
        .options(selectinload(Registration.delegation).joinedload(Delegation.member))
        # By family name in each script's own collation (eventapp.names.collation).
        .order_by(Registration.name_sort_key, Registration.id)
    )


def list_registrations(meeting: Meeting, filters: RegistrationFilters) -> list[Registration]:
    """Every registration matching the filters, for the exports."""
    return list(db.session.scalars(_listed(meeting, filters)))


def registration_page(meeting: Meeting, filters: RegistrationFilters, args: Mapping[str, str]) -> Pagination:
    """The page of matching registrations that `args` asks for, with how many match in all."""
    return paginate(_listed(meeting, filters), args)


@dataclass
class Counts:
    by_status: dict[RegistrationStatus, int] = field(default_factory=dict)
    by_category: dict[RegistrationCategory, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def registration_counts(meeting: Meeting) -> Counts:
    """Registrations of the whole meeting per status and per category (one grouped query)."""
    found = db.session.execute(
        select(Registration.status, Registration.category, func.count())
        .where(Registration.meeting_id == meeting.id)
        .group_by(Registration.status, Registration.category)
    ).tuples()
    by_status: Counter[RegistrationStatus] = Counter()
    by_category: Counter[RegistrationCategory] = Counter()
    for status, category, n in found:
        by_status[status] += n
        by_category[category] += n
    counts = Counts()
    counts.by_status = {s: by_status[s] for s in RegistrationStatus}
    counts.by_category = {c: by_category[c] for c in RegistrationCategory if by_category[c]}
    return counts


def meeting_members(meeting: Meeting) -> list[Member]:
    """Members that have a delegation at this meeting, for the member filter."""
    query = (
        select(Member)
        .join(Delegation, Delegation.member_id == Member.id)
        .where(Delegation.meeting_id == meeting.id)
        .order_by(Member.kind != MemberKind.STATE, Member.sort_name)
    )
    return list(db.session.scalars(query))


@dataclass
class DelegationRow:
    member: Member
    delegation: Delegation | None
    registered: int
    quota: int

    @property
    def head_name(self) -> str:
        head = self.delegation.head if self.delegation else None
        return head.full_name if head else ""

    @property
    def invitation_used(self) -> bool:
        return bool(self.delegation and self.delegation.invitation_used_at)

    @property
    def invited(self) -> bool:
        return bool(self.delegation and self.delegation.invited_at)


def delegation_overview(meeting: Meeting) -> list[DelegationRow]:
    """One row per member of the network: Member States, then regional organisations, by sort name."""
    members = db.session.scalars(
        select(Member).order_by(Member.kind != MemberKind.STATE, func.lower(Member.sort_name), Member.id)
    ).all()
    delegations = {
        d.member_id: d
        for d in db.session.scalars(
            select(Delegation).where(Delegation.meeting_id == meeting.id).options(selectinload(Delegation.head))
        )
    }
    registered = dict(
        db.session.execute(
            select(Registration.delegation_id, func.count())
            .where(Registration.meeting_id == meeting.id, Registration.status.in_(ACTIVE_STATUSES))
            .where(Registration.delegation_id.is_not(None))
            .group_by(Registration.delegation_id)
        )
        .tuples()
        .all()
    )
    rows = []
    for member in members:
        delegation = delegations.get(member.id)
        quota = meeting.delegation_quota
        if delegation is not None and delegation.quota_override is not None:
            quota = delegation.quota_override
        count = registered.get(delegation.id, 0) if delegation is not None else 0
        rows.append(DelegationRow(member, delegation, count, quota))
    return rows


@dataclass
class CateringSummary:
    participants: int
    #: (need as first written, how many people) most frequent first.
    dietary: list[tuple[str, int]]
    #: People with accessibility needs and what they asked for.
    accessibility: list[Registration]


def catering_summary(meeting: Meeting) -> CateringSummary:
    """Dietary needs grouped (case and spacing ignored) and accessibility needs of approved participants."""
    approved = (Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.APPROVED)
    by_name = (func.lower(Registration.family_name), Registration.id)
    participants = db.session.scalar(select(func.count()).select_from(Registration).where(*approved)) or 0
    # Only rows with a need are read; a need of nothing but spaces is dropped below, as if empty.
    needs = db.session.scalars(
        select(Registration.dietary_needs).where(*approved, Registration.dietary_needs != "").order_by(*by_name)
    )
    counter: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for written in needs:
        need = " ".join(written.split())
        if not need:
            continue
        key = need.casefold().rstrip(".")
        shown.setdefault(key, need)
        counter[key] += 1
    dietary = sorted(((shown[k], n) for k, n in counter.items()), key=lambda item: (-item[1], item[0].casefold()))
    accessibility = db.session.scalars(
        select(Registration).where(*approved, Registration.accessibility_needs != "").order_by(*by_name)
    )
    return CateringSummary(
        participants=participants,
        dietary=dietary,
        accessibility=[r for r in accessibility if r.accessibility_needs.strip()],
    )
