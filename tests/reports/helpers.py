"""Builders for registrations and delegations, made straight through the models."""

from __future__ import annotations

from itertools import count

from eventapp.extensions import db
from eventapp.models import Delegation, Meeting, Member, Registration, RegistrationCategory, RegistrationStatus
from eventapp.privacy.crypto import encrypt_text

_serial = count(1)


def add_registration(
    meeting: Meeting,
    *,
    given_name: str = "Ana",
    family_name: str | None = None,
    category: RegistrationCategory = RegistrationCategory.CIVIL_SOCIETY,
    status: RegistrationStatus = RegistrationStatus.SUBMITTED,
    delegation: Delegation | None = None,
    passport_number: str | None = None,
    commit: bool = True,
    **fields: object,
) -> Registration:
    n = next(_serial)
    values: dict[str, object] = {
        "email": f"person{n}@example.org",
        "consent_data_processing": True,
    }
    values.update(fields)
    registration = Registration(
        meeting=meeting,
        delegation=delegation,
        category=RegistrationCategory.DELEGATE if delegation is not None else category,
        status=status,
        given_name=given_name,
        family_name=family_name if family_name is not None else f"Person{n}",
        **values,
    )
    if passport_number is not None:
        registration.passport_number_encrypted = encrypt_text(passport_number)
    db.session.add(registration)
    if commit:
        db.session.commit()
    return registration


def add_delegation(meeting: Meeting, member: Member, **fields: object) -> Delegation:
    delegation = Delegation(meeting=meeting, member=member, **fields)
    db.session.add(delegation)
    db.session.commit()
    return delegation
