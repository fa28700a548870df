"""One `gunicorn -w 4` server for the module: a fresh, migrated PostgreSQL database, its own Redis db.

The data is written in-process before the server starts; the tests then drive the server over
HTTP from many threads at once and read the outcome back from the database.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from redis import Redis

from eventapp.config import normalise_database_url
from eventapp.extensions import db
from eventapp.models import CategoryCapacity, Registration, RegistrationCategory, RegistrationStatus, Role
from tests.agenda.builders import add_session
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import PASSWORD, add_member, add_user, make_app, services_required
from tests.registration.conftest import open_meeting
from tests.workers.cluster import BIN, ROOT, Cluster

REDIS_URL = os.environ.get("TEST_WORKERS_REDIS_URL", "redis://127.0.0.1:6379/7")
SECRET_KEY = "workers-test-secret-key"
DATA_KEY = "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k="
LOGIN_LIMIT = 5
CATEGORY_CAPACITY = 5


@dataclass(frozen=True)
class World:
    """What the tests need to know about the data behind the server."""

    engine: sa.Engine
    meeting_slug: str
    meeting_title: str
    applicant_ids: list[int]
    scan_slug: str
    device_token: str
    badges: list[str]
    session_id: int
    host_email: str
    admin_email: str
    password: str = PASSWORD


def _redis_or_skip() -> Redis:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:  # any connection error means "no Redis here"
        reason = f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"
        if services_required():
            pytest.fail(reason + " (REQUIRE_SERVICES is set)")
        pytest.skip(reason)
    return client


def _migrate(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "DATA_ENCRYPTION_KEY": DATA_KEY}
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "eventapp", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _build(url: str) -> dict[str, object]:
    """Users, a meeting with a full-able category and 3N applicants, a scan meeting with badges."""
    app = make_app(url, SECRET_KEY=SECRET_KEY, DATA_ENCRYPTION_KEY=DATA_KEY)
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("eventapp.models.users.PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
        host = add_user("host@example.org", Role.HOST)
        admin = add_user("secretariat@example.org", Role.ADMIN)
        meeting = open_meeting(
            "2030-workers", starts_on=date(2030, 10, 28), ends_on=date(2030, 10, 29), agenda_published=True
        )
        db.session.add(CategoryCapacity(meeting_id=meeting.id, category="civil_society", capacity=CATEGORY_CAPACITY))
        applicants = [
            Registration(
                meeting_id=meeting.id,
                category=RegistrationCategory.CIVIL_SOCIETY,
                status=RegistrationStatus.SUBMITTED,
                given_name="Applicant",
                family_name=str(i),
                email=f"applicant{i}@example.org",
            )
            for i in range(3 * CATEGORY_CAPACITY)
        ]
        db.session.add_all(applicants)
        db.session.commit()
        session = add_session(meeting, "Opening plenary", "2030-10-28 09:00", "2030-10-28 10:00")
        scan_meeting = open_meeting("2030-scans")
        romania = add_member("ROU", "Romania")
        badges = [badge_for(add_registration(scan_meeting, "Ana", f"Pop{i}", member=romania)) for i in range(2)]
        built = {
            "meeting_slug": meeting.slug,
            "meeting_title": meeting.title,
            "applicant_ids": [a.id for a in applicants],
            "scan_slug": scan_meeting.slug,
            "device_token": device_token(scan_meeting),
            "badges": badges,
            "session_id": session.id,
            "host_email": host.email,
            "admin_email": admin.email,
        }
        db.session.remove()
        db.engine.dispose()
    return built


@pytest.fixture(scope="module")
def served(
    pg_database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Cluster, World]]:
    redis = _redis_or_skip()
    url = pg_database_factory()
    _migrate(url)
    built = _build(url)
    redis.flushdb()  # this db only: the limiter's counters and the job queue of this server
    env = {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET_KEY,
        "DATA_ENCRYPTION_KEY": DATA_KEY,
        "REDIS_URL": REDIS_URL,
        "MAIL_BACKEND": "outbox",
        "TRUSTED_PROXIES": "1",  # each test is its own client address, as behind a proxy
        "RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per minute",
    }
    cluster = Cluster(env, tmp_path_factory.mktemp("gunicorn"))
    engine = sa.create_engine(normalise_database_url(url))
    try:
        cluster.start()
        yield cluster, World(engine=engine, **built)  # type: ignore[arg-type]
    finally:
        cluster.stop()
        engine.dispose()
        redis.flushdb()
        redis.close()
