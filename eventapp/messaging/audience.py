"""Who a group message goes to: the filter a host picks, and the registrations it matches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.i18n.translated import list_entry, member_name
from eventapp.models import (
    Delegation,
    Meeting,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from eventapp.workspace.desk import arrived_at_entrance

#: Arrival at the venue: key -> label.
PRESENCE = {
    "arrived": _l("Checked in at the entrance"),
    "not_arrived": _l("Not checked in yet"),
}
#: Needs a host can narrow the group to: key -> label.
NEEDS = {
    "visa": _l("Asked for a visa letter"),
    "accessibility": _l("Gave accessibility needs"),
    "dietary": _l("Gave dietary needs"),
}


@dataclass(frozen=True)
class Audience:
    """The group as chosen: empty categories mean every category; at least one status."""

    statuses: tuple[str, ...] = (RegistrationStatus.APPROVED.value,)
    categories: tuple[str, ...] = ()
    member: str = ""
    presence: str = ""
    need: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Audience:
        """From the form's (or the stored) values, keeping only known choices."""
        statuses = {s.value for s in RegistrationStatus}
        categories = {c.value for c in RegistrationCategory}
        return cls(
            statuses=tuple(s for s in data.get("statuses") or () if s in statuses),
            categories=tuple(c for c in data.get("categories") or () if c in categories),
            member=str(data.get("member") or "").strip().upper()[:16],
            presence=data.get("presence") if data.get("presence") in PRESENCE else "",
            need=data.get("need") if data.get("need") in NEEDS else "",
        )

    def as_data(self) -> dict[str, Any]:
        values = asdict(self)
        values["statuses"], values["categories"] = list(self.statuses), list(self.categories)
        return values

    def describe(self) -> str:
        """'Approved · Civil society, Media · Romania · Checked in at the entrance', in the reader's language."""
        parts = [", ".join(RegistrationStatus(s).label for s in self.statuses)]
        parts.append(", ".join(RegistrationCategory(c).label for c in self.categories) or _("every category"))
        if self.member:
            member = db.session.scalar(select(Member).where(Member.code == self.member))
            parts.append(list_entry(member_name(member)) if member else self.member)
        if self.presence:
            parts.append(str(PRESENCE[self.presence]))
        if self.need:
            parts.append(str(NEEDS[self.need]))
        return " · ".join(parts)


def _matching(meeting: Meeting, audience: Audience) -> sa.Select[tuple[Registration]]:
    statuses = [RegistrationStatus(s) for s in audience.statuses]
    # Anonymised people have no address left to write to.
    query = select(Registration).where(
        Registration.meeting_id == meeting.id,
        Registration.status.in_(statuses),
        Registration.anonymised_at.is_(None),
    )
    if audience.categories:
        query = query.where(Registration.category.in_([RegistrationCategory(c) for c in audience.categories]))
    if audience.member:
        query = query.where(
            Registration.delegation_id.in_(
                select(Delegation.id)
                .join(Member)
                .where(Delegation.meeting_id == meeting.id, Member.code == audience.member)
            )
        )
    if audience.presence:
        arrived = arrived_at_entrance()
        query = query.where(arrived if audience.presence == "arrived" else ~arrived)
    if audience.need == "visa":
        query = query.where(Registration.needs_visa_letter.is_(True))
    elif audience.need == "accessibility":
        query = query.where(Registration.accessibility_needs != "")
    elif audience.need == "dietary":
        query = query.where(Registration.dietary_needs != "")
    return query


def recipients(meeting: Meeting, audience: Audience) -> list[Registration]:
    """Everyone the group holds now, by family name."""
    if not audience.statuses:
        return []
    query = _matching(meeting, audience).order_by(Registration.name_sort_key, Registration.id)
    return list(db.session.scalars(query))
