"""The first badges of a meeting, made at once on PostgreSQL: one stored key signs them all, one live badge a person."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from eventapp.badges.tokens import parse_token, signature_valid
from eventapp.checkin.attendance import scanner_bundle
from eventapp.checkin.services import scan
from eventapp.extensions import db
from eventapp.models import Badge, Base, Direction, Meeting, ScanResult
from tests.badges.test_pdf import decode_qr_codes
from tests.checkin.builders import add_registration, device_token
from tests.conftest import add_meeting, make_app

THREADS = 8


@pytest.fixture
def world(pg_database_factory: Any) -> Iterator[tuple[Flask, str, str, list[int]]]:
    """A fresh PostgreSQL database with a meeting that has no signing key yet and 8 approved people."""
    app = make_app(pg_database_factory())
    with app.app_context():
        Base.metadata.create_all(db.engine)
        meeting = add_meeting()
        people = [add_registration(meeting, f"Person{i}", "Racer").id for i in range(THREADS)]
        bearer = device_token(meeting)
        assert meeting.badge_public_key is None
        slug = meeting.slug
        db.session.remove()
    yield app, slug, bearer, people
    with app.app_context():
        db.engine.dispose()


def fetch_at_once(app: Flask, slug: str, bearer: str, registration_ids: list[int]) -> list[bytes]:
    """getBadgePdf for each id, every request started at the same moment from its own thread."""
    barrier = threading.Barrier(len(registration_ids))
    pdfs: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def fetch(i: int, registration_id: int) -> None:
        try:
            client = app.test_client()
            barrier.wait(timeout=30)
            response = client.get(
                f"/api/v1/meetings/{slug}/participants/{registration_id}/badge.pdf",
                headers={"Authorization": f"Bearer {bearer}"},
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            pdfs[i] = response.data
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=fetch, args=(i, r)) for i, r in enumerate(registration_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return [pdfs[i] for i in range(len(registration_ids))]


def printed_token(pdf: bytes) -> str:
    (token,) = decode_qr_codes(pdf)
    return token


@pytest.mark.postgres
def test_first_badges_made_at_once_are_all_signed_with_the_stored_key(world):
    app, slug, bearer, people = world
    tokens = [printed_token(pdf) for pdf in fetch_at_once(app, slug, bearer, people)]
    with app.app_context():
        meeting = db.session.scalars(sa.select(Meeting).where(Meeting.slug == slug)).one()
        unsigned = [t for t in tokens if not signature_valid(meeting, parse_token(t))]
        assert unsigned == [], f"{len(unsigned)} of {THREADS} badges were signed with a key that was not kept"
        results = [
            scan(meeting, token=t, checkpoint="entrance", direction=Direction.IN, nonce=f"door-{i}").result
            for i, t in enumerate(tokens)
        ]
        assert results == [ScanResult.ADMITTED] * THREADS
        bundle = scanner_bundle(meeting)
        assert bundle["public_key"] == meeting.badge_public_key
        assert sorted(p["token_id"] for p in bundle["roster"]) == sorted(parse_token(t).token_id for t in tokens)


@pytest.mark.postgres
def test_one_persons_first_badge_fetched_at_once_is_one_live_badge(world):
    app, slug, bearer, people = world
    person = people[0]
    tokens = {printed_token(pdf) for pdf in fetch_at_once(app, slug, bearer, [person] * THREADS)}
    with app.app_context():
        live = db.session.scalars(sa.select(Badge).where(Badge.registration_id == person, Badge.revoked_at.is_(None)))
        assert len(live.all()) == 1
        assert len(tokens) == 1, "every download of the badge prints the one live token"
        meeting = db.session.scalars(sa.select(Meeting).where(Meeting.slug == slug)).one()
        assert scan(meeting, token=tokens.pop(), checkpoint="entrance", direction=Direction.IN, nonce="n").result == (
            ScanResult.ADMITTED
        )
        roster = scanner_bundle(meeting)["roster"]
        assert [p["id"] for p in roster].count(person) == 1
