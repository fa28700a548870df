"""Builders shared by the registration tests."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Meeting, OutboxMessage, Registration
from eventapp.models.base import utcnow
from eventapp.registration.applications import submit_application
from eventapp.registration.people import PersonData
from tests.conftest import add_meeting

# A real 1x1 PNG (signature, IHDR, IDAT, IEND).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


def open_meeting(slug: str = "2030-geneva", **values: object) -> Meeting:
    """A published meeting whose registration opened yesterday and closes in a month."""
    now = utcnow()
    fields: dict[str, object] = {
        "registration_opens_at": now - timedelta(days=1),
        "registration_closes_at": now + timedelta(days=30),
    }
    fields.update(values)
    return add_meeting(slug, **fields)


def person(email: str = "amina@example.org", **values: object) -> PersonData:
    fields: dict[str, object] = {
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": email,
        "organisation": "Femmes pour la paix",
        "country": "SEN",
        "motivation": "Twenty years of mediation work in the Sahel.",
    }
    fields.update(values)
    return PersonData(**fields)  # type: ignore[arg-type]


def applicant(meeting: Meeting, email: str, category: str = "civil_society", **values: object) -> Registration:
    return submit_application(
        meeting, category, person(email, **values), consent_data_processing=True, consent_participant_list=False
    ).registration


def form_data(**overrides: object) -> dict[str, object]:
    """What the application form posts."""
    data: dict[str, object] = {
        "category": "civil_society",
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": "amina@example.org",
        "organisation": "Femmes pour la paix",
        "country": "SEN",
        "nationality": "SEN",
        "motivation": "Twenty years of mediation work in the Sahel.",
        "consent_data_processing": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def outbox(to: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.to == to)
    return list(db.session.scalars(query))


def fresh(registration: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration.id)  # type: ignore[return-value]
