"""Builders for registrations and delegations, made straight through the models."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import count

from eventapp.extensions import db
from eventapp.models import Delegation, Meeting, Member, Registration, RegistrationCategory, RegistrationStatus
from eventapp.models.base import utcnow
from eventapp.privacy.crypto import encrypt_text
from tests.conftest import add_member

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


def crowd(meeting: Meeting, size: int, *, members: int = 3, delegated_every: int = 4) -> list[str]:
    """`size` registrations made in random order, every third approved, some in delegations; their family names."""
    delegations = [add_delegation(meeting, add_member(f"M{i:02d}", f"Member {i:02d}")) for i in range(members)]
    names = [f"Fam{i:04d}" for i in range(size)]
    shuffled = random.Random(18).sample(names, size)
    start = utcnow() - timedelta(days=1)
    for n, name in enumerate(shuffled):
        add_registration(
            meeting,
            given_name="Ana" if n % 2 else "bruno",
            family_name=name.lower() if n % 5 == 0 else name,  # the registration list sorts ignoring case
            status=RegistrationStatus.APPROVED if n % 3 == 0 else RegistrationStatus.SUBMITTED,
            delegation=delegations[n % members] if members and n % delegated_every == 0 else None,
            created_at=start + timedelta(seconds=n),
            commit=False,
        )
    db.session.commit()
    return shuffled
