"""The focal-point directory: each member's focal points, current and former, and its participation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from eventapp.audit.services import changes, record
from eventapp.extensions import db
from eventapp.members.services import MemberError
from eventapp.models import (
    CheckIn,
    Delegation,
    FocalPointContact,
    InscriptionStatus,
    Meeting,
    Member,
    Registration,
    RegistrationStatus,
    ScanResult,
    SpeakerInscription,
    User,
)


@dataclass
class ContactData:
    """The editable fields of a focal point, as the form gives them."""

    name: str
    title: str = ""
    office: str = ""
    email: str = ""
    phone: str = ""
    since: date | None = None
    until: date | None = None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def clean_contact(data: ContactData) -> dict[str, object]:
    """Check the rules for a focal point and return column values; raise MemberError."""
    name = _one_line(data.name)
    if not name:
        raise MemberError(_("Give the focal point's name."), field="name")
    email = (data.email or "").strip()
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            raise MemberError(_("Enter an email address such as name@example.org."), field="email") from None
    phone = _one_line(data.phone)
    if phone and not all(ch.isdigit() or ch in "+-() ./" for ch in phone):
        raise MemberError(_("A phone number has digits, spaces and + - ( ) only."), field="phone")
    if data.since and data.until and data.until < data.since:
        raise MemberError(_("The end date comes after the start date."), field="until")
    return {
        "name": name,
        "title": _one_line(data.title),
        "office": _one_line(data.office),
        "email": email,
        "phone": phone,
        "since": data.since,
        "until": data.until,
    }


def contacts_of(member: Member) -> tuple[list[FocalPointContact], list[FocalPointContact]]:
    """(current, former) focal points: current by start date, former latest first."""
    rows = db.session.scalars(sa.select(FocalPointContact).where(FocalPointContact.member_id == member.id)).all()
    current = sorted((c for c in rows if c.is_current), key=lambda c: (c.since or date.min, c.name))
    former = sorted((c for c in rows if not c.is_current), key=lambda c: c.until or date.min, reverse=True)
    return current, former


def get_contact(member: Member, contact_id: int) -> FocalPointContact | None:
    contact = db.session.get(FocalPointContact, contact_id)
    return contact if contact is not None and contact.member_id == member.id else None


def add_contact(member: Member, data: ContactData, *, actor: User) -> FocalPointContact:
    values = clean_contact(data)
    contact = FocalPointContact(member_id=member.id, **values)
    db.session.add(contact)
    record("focal_point.add", contact, actor=actor, details={"member": member.code, "name": contact.name})
    db.session.commit()
    return contact


def update_contact(contact: FocalPointContact, data: ContactData, *, actor: User) -> None:
    values = clean_contact(data)
    changed = changes(contact, values)
    if changed:
        record("focal_point.update", contact, actor=actor, details={"member": contact.member.code, **changed})
    db.session.commit()


@dataclass
class DirectoryRow:
    member: Member
    current: list[FocalPointContact] = field(default_factory=list)


def directory() -> list[DirectoryRow]:
    """Every member with its current focal points, Member States first, each alphabetically."""
    members = db.session.scalars(sa.select(Member)).all()
    rows = {m.id: DirectoryRow(m) for m in members}
    current = db.session.scalars(
        sa.select(FocalPointContact).where(FocalPointContact.until.is_(None)).order_by(FocalPointContact.name)
    )
    for contact in current:
        rows[contact.member_id].current.append(contact)
    return sorted(rows.values(), key=lambda r: (not r.member.is_state, r.member.sort_name.casefold()))


@dataclass
class Attendance:
    """A member's delegation at one meeting."""

    meeting: Meeting
    delegation: Delegation
    people: list[Registration]
    checked_in: set[int]
    #: Times the delegation spoke from a speakers' list at the meeting.
    spoke: int = 0

    @property
    def size(self) -> int:
        return len(self.people)

    @property
    def any_checked_in(self) -> bool:
        return bool(self.checked_in)


def participation(member: Member) -> list[Attendance]:
    """Each meeting the member was invited to: approved delegates, who checked in, whether it spoke; latest first."""
    delegations = db.session.scalars(
        sa.select(Delegation).where(Delegation.member_id == member.id).options(selectinload(Delegation.meeting))
    ).all()
    if not delegations:
        return []
    people = db.session.scalars(
        sa.select(Registration).where(
            Registration.delegation_id.in_([d.id for d in delegations]),
            Registration.status == RegistrationStatus.APPROVED,
        )
    ).all()
    admitted = (
        set(
            db.session.scalars(
                sa.select(CheckIn.registration_id)
                .where(CheckIn.registration_id.in_([p.id for p in people]), CheckIn.result == ScanResult.ADMITTED)
                .distinct()
            )
        )
        if people
        else set()
    )
    spoke = dict(
        db.session.execute(
            sa.select(SpeakerInscription.delegation_id, sa.func.count(SpeakerInscription.id))
            .where(
                SpeakerInscription.delegation_id.in_([d.id for d in delegations]),
                SpeakerInscription.status == InscriptionStatus.SPOKE,
            )
            .group_by(SpeakerInscription.delegation_id)
        )
        .tuples()
        .all()
    )
    by_delegation: dict[int, list[Registration]] = {}
    for person in people:
        by_delegation.setdefault(person.delegation_id or 0, []).append(person)
    result = []
    for delegation in delegations:
        members_people = sorted(by_delegation.get(delegation.id, []), key=lambda r: (r.family_name, r.given_name))
        result.append(
            Attendance(
                delegation.meeting,
                delegation,
                members_people,
                {p.id for p in members_people if p.id in admitted},
                spoke.get(delegation.id, 0),
            )
        )
    return sorted(result, key=lambda a: a.meeting.starts_on, reverse=True)
