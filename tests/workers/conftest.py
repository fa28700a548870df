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
from tests.auth.accounts_helpers import enrol_second_factor
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import PASSWORD, add_member, add_user, make_app, services_required
from tests.registration.conftest import open_meeting
from tests.workers.cluster import BIN, ROOT, Cluster

REDIS_SERVER = os.environ.get("TEST_WORKERS_REDIS", "redis://127.0.0.1:6379")
#: Tried from the top: the other tests use low numbers (badges and mail 5, bench 6).
REDIS_DBS = range(15, 6, -1)
REDIS_MARKER = "eventapp-tests-workers"
REDIS_CLAIM = "eventapp-tests-workers-claim"
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
    #: Every host's address, host_email first (sign-ins from many places need several accounts:
    #: an account's code of one time step is accepted once).
    host_emails: list[str]
    #: The TOTP secret of each staff account: they sign in with a second factor, as in production.
    totp_secrets: dict[str, str]
    password: str = PASSWORD


def _claim_redis_db() -> tuple[Redis, str]:
    """A Redis db of this run's own, emptied: several test runs may share the machine's Redis.

    A db qualifies when it is empty or was used by an earlier run of these tests (marker key);
    SET NX on the claim key makes the choice atomic, and the claim expires if a run dies.
    """
    first = Redis.from_url(f"{REDIS_SERVER}/0", socket_connect_timeout=2)
    try:
        first.ping()
    except Exception as exc:  # any connection error means "no Redis here"
        reason = f"Redis not reachable at {REDIS_SERVER}: {type(exc).__name__}"
        if services_required():
            pytest.fail(reason + " (REQUIRE_SERVICES is set)")
        pytest.skip(reason)
    finally:
        first.close()
    for number in REDIS_DBS:
        url = f"{REDIS_SERVER}/{number}"
        client = Redis.from_url(url)
        if (client.dbsize() == 0 or client.exists(REDIS_MARKER)) and client.set(
            REDIS_CLAIM, os.getpid(), nx=True, ex=900
        ):
            for key in client.scan_iter():  # what a run that died left behind
                if key != REDIS_CLAIM.encode():
                    client.delete(key)
            client.set(REDIS_MARKER, "tests/workers")
            return client, url
        client.close()
    pytest.fail(f"no free Redis db among {REDIS_DBS[-1]}-{REDIS_DBS[0]} on {REDIS_SERVER}")


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


def _build(url: str, hosts: int = 1) -> dict[str, object]:
    """Staff with their second factor, a meeting with a full-able category and 3N applicants, a scan
    meeting with badges."""
    app = make_app(url, SECRET_KEY=SECRET_KEY, DATA_ENCRYPTION_KEY=DATA_KEY)
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("eventapp.models.users.PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
        host, *other_hosts = [
            add_user("host@example.org" if i == 0 else f"host{i + 1}@example.org", Role.HOST) for i in range(hosts)
        ]
        admin = add_user("secretariat@example.org", Role.ADMIN)
        staff = [host, *other_hosts, admin]
        totp_secrets = {user.email: enrol_second_factor(user) for user in staff}
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
            "host_emails": [user.email for user in (host, *other_hosts)],
            "totp_secrets": totp_secrets,
        }
        db.session.remove()
        db.engine.dispose()
    return built


def production_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of `gunicorn -w 4` as deployed: production settings, mail to the outbox."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "DATA_ENCRYPTION_KEY": DATA_KEY,
        "REDIS_URL": redis_url,
        "MAIL_BACKEND": "outbox",
        **extra,
    }


@pytest.fixture(scope="module")
def served(
    pg_database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Cluster, World]]:
    redis, redis_url = _claim_redis_db()
    cluster: Cluster | None = None
    try:
        url = pg_database_factory()
        _migrate(url)
        built = _build(url)
        # TRUSTED_PROXIES: each test is its own client address, as behind a proxy.
        env = production_env(url, redis_url, TRUSTED_PROXIES="1", RATELIMIT_LOGIN=f"{LOGIN_LIMIT} per minute")
        cluster = Cluster(env, tmp_path_factory.mktemp("gunicorn"))
        engine = sa.create_engine(normalise_database_url(url))
        try:
            cluster.start()
            yield cluster, World(engine=engine, **built)  # type: ignore[arg-type]
        finally:
            engine.dispose()
    finally:
        if cluster is not None:
            cluster.stop()
        redis.flushdb()  # this run's db only: the limiter's counters, the job queue, the claim
        redis.close()
