"""Hosts register people by hand (walk-ins, guests, host staff) with the checks of every registration."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import AuditLog, OutboxMessage, Registration, RegistrationCategory, RegistrationStatus
from tests.security.world import World


def _form(**changes: str) -> dict[str, str]:
    data = {
        "category": "secretariat",
        "locale": "fr",
        "approve": "y",
        "honorific": "Mme",
        "given_name": "Aïssatou",
        "family_name": "Bâ",
        "email": "Aissatou.Ba@Example.org",
        "organisation": "Ministère des Affaires étrangères",
        "consent_data_processing": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_walk_in_is_registered_approved_and_told_in_their_language(host: FlaskClient, world: World) -> None:
    answer = host.post(f"/meetings/{world.slug}/people/new", data=_form())
    assert answer.status_code == 302
    person = db.session.scalar(sa.select(Registration).where(Registration.email == "aissatou.ba@example.org"))
    assert person is not None
    assert answer.headers["Location"].endswith(f"/meetings/{world.slug}/people/{person.id}")
    assert person.status == RegistrationStatus.APPROVED
    assert person.category == RegistrationCategory.SECRETARIAT
    assert person.family_name == "Bâ" and person.locale == "fr"
    actions = db.session.scalars(sa.select(AuditLog.action).where(AuditLog.entity_id == person.id)).all()
    assert "registration.staff_add" in actions and "registration.approved" in actions
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.registration_id == person.id))
    assert mail is not None and "Bâ" in mail.body_text


def test_not_approving_at_once_leaves_the_person_for_review(host: FlaskClient, world: World) -> None:
    host.post(f"/meetings/{world.slug}/people/new", data=_form(approve=None, category="media"))
    person = db.session.scalar(sa.select(Registration).where(Registration.email == "aissatou.ba@example.org"))
    assert person.status == RegistrationStatus.SUBMITTED


def test_the_same_checks_as_the_public_form_with_errors_next_to_the_field(host: FlaskClient, world: World) -> None:
    url = f"/meetings/{world.slug}/people/new"
    before = db.session.scalar(sa.select(sa.func.count(Registration.id)))
    cases = {
        "email": _form(email="xenia@example.org"),  # already registered for this meeting
        "given_name": _form(given_name="1234"),  # a name needs a letter
        "consent_data_processing": _form(consent_data_processing=None),
        "category": _form(category="delegate"),  # delegates come through their delegation
        "passport_number": _form(needs_visa_letter="y", passport_number=""),
    }
    for field, data in cases.items():
        answer = host.post(url, data=data)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 422, field
        assert f'id="{field}-error"' in html, field
        assert 'value="Ministère des Affaires étrangères"' in html, f"{field}: the form keeps what was typed"
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == before
