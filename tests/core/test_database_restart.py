"""A database restart under the app: the next request gets a fresh connection, not an error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from eventapp.extensions import db
from tests.conftest import make_app

TERMINATE_OTHERS = sa.text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _terminate_app_connections(url: sa.URL) -> int:
    """What a database restart does to the app's pooled connections: every backend ends."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            return int(conn.execute(TERMINATE_OTHERS).scalar_one())
    finally:
        admin.dispose()


@pytest.fixture
def database_url_of_app(app: Flask) -> str:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (TEST_DATABASE_URL): it terminates the server's connections")
    return db.engine.url.render_as_string(hide_password=False)


def _restart_under(served: Flask) -> FlaskClient:
    """A client of `served` whose pooled connections the database has just dropped.

    `served` has no app context pushed around its requests, as under a WSGI server, so each
    request checks a connection out of the pool and gives it back.
    """
    client = served.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    with served.app_context():
        assert _terminate_app_connections(db.engine.url) >= 1
    return client


def test_the_request_after_the_database_dropped_every_connection_succeeds(database_url_of_app: str) -> None:
    served = make_app(database_url_of_app)
    client = _restart_under(served)
    met: list[bool] = []  # for each database error: whether the ping met it
    with served.app_context():
        event.listen(db.engine, "handle_error", lambda context: met.append(context.is_pre_ping))
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    # The ping met the dead connection (and the pool replaced it) before any statement did.
    assert met and all(pre_ping for pre_ping in met)
    with served.app_context():
        db.engine.dispose()


def test_without_the_ping_the_same_restart_meets_a_dead_connection(database_url_of_app: str) -> None:
    """The restart above is real: an app that does not ping its connections meets a dead one.

    (It still answers: a page that met a lost connection runs once more, see
    eventapp/web/database_faults.py.)
    """
    served = make_app(database_url_of_app, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    client = _restart_under(served)
    met: list[bool] = []
    with served.app_context():
        engine = db.engine
    event.listen(engine, "handle_error", lambda context: met.append(context.is_disconnect))
    assert client.get("/healthz").status_code == 200
    assert met == [True]
    with served.app_context():
        db.engine.dispose()
