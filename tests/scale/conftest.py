"""Two scale meetings built once per test session by the seed-scale service: N=100 and N=10,000.

Each lives in its own database (a file SQLite database, or a throwaway PostgreSQL database when
TEST_DATABASE_URL is set) with its own app, so the function-scoped `app` fixture is untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from eventapp.api.auth import create_device_token
from eventapp.config import normalise_database_url
from eventapp.demo.scale import ScaleReport, seed_scale
from eventapp.extensions import db
from eventapp.models import Base, Delegation, Meeting, Member, Registration, Role
from eventapp.registration.tokens import make_manage_token
from tests.conftest import PASSWORD, add_user, make_app

SLUG = "scale-test"

#: (participants, sessions, members) of the two sizes compared.
SIZES = {"small": (100, 5, 10), "large": (10_000, 500, 100)}


@dataclass
class ScaleSite:
    app: Flask
    report: ScaleReport
    #: Wall time of the seed-scale build, in seconds.
    build_seconds: float
    device_token: str
    manage_token: str
    member_code: str

    def client(self, email: str | None = None) -> FlaskClient:
        """A test client, signed in as `email` when given."""
        client = self.app.test_client()
        if email:
            with self.app.app_context():
                response = client.post("/login", data={"email": email, "password": PASSWORD})
            assert response.status_code == 302, f"login of {email} failed"
        return client


def _build(url: str, participants: int, sessions: int, members: int) -> ScaleSite:
    engine = sa.create_engine(normalise_database_url(url))
    Base.metadata.create_all(engine)
    engine.dispose()
    app = make_app(url)
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("eventapp.models.users.PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
        started = time.perf_counter()
        report = seed_scale(participants=participants, sessions=sessions, members=members, slug=SLUG)
        build_seconds = time.perf_counter() - started
        meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == SLUG))
        delegation = db.session.scalar(
            sa.select(Delegation).where(Delegation.meeting_id == meeting.id).order_by(Delegation.id).limit(1)
        )
        head = db.session.get(Registration, delegation.head_registration_id)
        member = db.session.get(Member, delegation.member_id)
        add_user("admin@example.org", Role.ADMIN)
        add_user("host@example.org", Role.HOST)
        add_user("fp@example.org", Role.FOCAL_POINT, member)
        _, device_token = create_device_token(meeting, "scale test tablet")
        db.session.commit()
        site = ScaleSite(app, report, build_seconds, device_token, make_manage_token(head), member.code)
        db.session.remove()
    return site


@pytest.fixture(scope="session")
def scale_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], ScaleSite]:
    """`scale_site("large")`: the site of that size, built the first time it is asked for."""
    built: dict[str, ScaleSite] = {}
    make_pg = request.getfixturevalue("pg_database_factory") if os.environ.get("TEST_DATABASE_URL") else None

    def get(size: str) -> ScaleSite:
        if size not in built:
            participants, sessions, members = SIZES[size]
            url = make_pg() if make_pg else f"sqlite:///{tmp_path_factory.mktemp('scale') / (size + '.sqlite3')}"
            built[size] = _build(url, participants, sessions, members)
        return built[size]

    return get
