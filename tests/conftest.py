"""Fixtures: a fresh database per test, on SQLite by default or PostgreSQL with TEST_DATABASE_URL.

Set REQUIRE_SERVICES=1 (CI does) to turn a missing PostgreSQL or Redis into a failure instead of a skip.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.serving import make_server

from eventapp import create_app
from eventapp.config import normalise_database_url
from eventapp.extensions import db
from eventapp.models import Base, Meeting, MeetingKind, MeetingStatus, Member, MemberKind, Role, User
from eventapp.models.base import utcnow

PASSWORD = "correct horse battery"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the language catalogues when their .mo files are missing or older (they are not committed)."""
    from eventapp.i18n.catalogues import compile_catalogues

    compile_catalogues()


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") not in ("", "0")


def _pg_admin_url() -> str:
    return normalise_database_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        engine = sa.create_engine(_pg_admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any driver or network error means "not here"
        return f"PostgreSQL not reachable at {_pg_admin_url()}: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def pg_database_factory() -> Iterator[object]:
    """Make throwaway PostgreSQL databases; skip (or fail under REQUIRE_SERVICES) when there is none."""
    reason = postgres_available()
    if reason:
        if services_required():
            pytest.fail(reason + " (REQUIRE_SERVICES is set)")
        pytest.skip(reason)
    admin = sa.create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"eventapp_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return admin.url.set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt is slow on purpose; tests that do not check hashing use a fast method."""
    monkeypatch.setattr("eventapp.models.users.PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")


def _use_postgres() -> bool:
    return bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    if _use_postgres():
        factory = request.getfixturevalue("pg_database_factory")
        return factory()  # type: ignore[operator]
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _schema(database_url: str) -> str:
    engine = sa.create_engine(normalise_database_url(database_url))
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def make_app(database_url: str, **extra: object) -> Flask:
    config: dict[str, object] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATA_ENCRYPTION_KEY": "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k=",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "outbox",
        "REDIS_URL": None,  # tests that use Redis ask for it
        "RATELIMIT_ENABLED": False,  # tests of rate limits turn them on
        "RATELIMIT_STORAGE_URI": "memory://",
        # Tests sign staff in with a password alone; tests of two-factor sign-in turn it back on.
        "TWO_FACTOR_FOR_STAFF": False,
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app_config() -> dict[str, object]:
    """Override in a test module to change the app's config."""
    return {}


@pytest.fixture
def app(_schema: str, app_config: dict[str, object]) -> Iterator[Flask]:
    application = make_app(_schema, **app_config)
    with application.app_context():
        yield application
        db.session.remove()
        _empty_all_tables()
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served over HTTP in a thread, for a real browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# --- data builders -----------------------------------------------------------------------------


@pytest.fixture
def member(app: Flask) -> Member:
    m = Member(kind=MemberKind.STATE, iso3="ROU", code="ROU", name="Romania", sort_name="Romania")
    db.session.add(m)
    db.session.commit()
    return m


def add_member(code: str, name: str, kind: MemberKind = MemberKind.STATE) -> Member:
    m = Member(
        kind=kind,
        iso3=code if kind == MemberKind.STATE else None,
        code=code,
        name=name,
        sort_name=name.removeprefix("the "),
    )
    db.session.add(m)
    db.session.commit()
    return m


def add_user(email: str, role: Role, member: Member | None = None) -> User:
    user = User(email=email, role=role, member=member, name=email.split("@")[0])
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def add_meeting(slug: str = "2030-geneva", *, days_ahead: int = 60, **values: object) -> Meeting:
    start = utcnow().date() + timedelta(days=days_ahead)
    fields: dict[str, object] = {
        "kind": MeetingKind.CAPITAL_LEVEL,
        "title": f"Meeting {slug}",
        "city": "Geneva",
        "timezone": "Europe/Zurich",
        "starts_on": start,
        "ends_on": start + timedelta(days=1),
        "status": MeetingStatus.PUBLISHED,
    }
    fields.update(values)
    meeting = Meeting(slug=slug, **fields)
    db.session.add(meeting)
    db.session.commit()
    return meeting


@contextmanager
def count_statements() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block (for N+1 checks)."""
    statements: list[str] = []

    def listener(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


@dataclass
class Users:
    admin: User
    host: User
    focal_point: User
    scanner: User


@pytest.fixture
def users(app: Flask, member: Member) -> Users:
    return Users(
        admin=add_user("admin@example.org", Role.ADMIN),
        host=add_user("host@example.org", Role.HOST),
        focal_point=add_user("fp@example.org", Role.FOCAL_POINT, member),
        scanner=add_user("scanner@example.org", Role.SCANNER),
    )


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str, password: str = PASSWORD, next_url: str = "") -> object:
        return self._client.post("/login", data={"email": email, "password": password, "next": next_url})

    def logout(self) -> object:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def today() -> date:
    return utcnow().date()
