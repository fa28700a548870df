"""A database connection lost mid-request: reads run again and succeed, writes answer 503, never 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event

from eventapp.extensions import db
from eventapp.models import Registration
from tests.conftest import make_app
from tests.registration.conftest import form_data, open_meeting


@pytest.fixture
def served(app: Flask) -> Iterator[Flask]:
    """An app with no app context around its requests, as under a WSGI server, on PostgreSQL."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (TEST_DATABASE_URL): it terminates the app's connection")
    open_meeting("2030-geneva")
    db.session.commit()
    application = make_app(db.engine.url.render_as_string(hide_password=False))
    yield application
    with application.app_context():
        db.engine.dispose()


@contextmanager
def connection_dies_before(served: Flask, fragment: str, times: int = 1) -> Iterator[list[str]]:
    """The database ends the app's connection just before a statement containing `fragment`."""
    killed: list[str] = []
    with served.app_context():
        engine = db.engine
    admin = sa.create_engine(engine.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)

    def terminate(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if fragment in statement and len(killed) < times:
            killed.append(statement)
            with admin.connect() as other:
                other.execute(
                    sa.text("SELECT pg_terminate_backend(:pid)"),
                    {"pid": conn.connection.dbapi_connection.info.backend_pid},
                )

    event.listen(engine, "before_cursor_execute", terminate)
    try:
        yield killed
    finally:
        event.remove(engine, "before_cursor_execute", terminate)
        admin.dispose()


def test_a_page_whose_connection_dies_is_read_again(served: Flask) -> None:
    client = served.test_client()
    with connection_dies_before(served, "FROM meetings") as killed:
        page = client.get("/meetings/2030-geneva")
    assert killed, "the connection was not ended: the test proves nothing"
    assert page.status_code == 200
    assert "/meetings/2030-geneva/apply" in page.get_data(as_text=True)


def test_a_page_whose_connection_dies_twice_is_503_not_500(served: Flask) -> None:
    client = served.test_client()
    with connection_dies_before(served, "FROM meetings", times=2) as killed:
        page = client.get("/meetings/2030-geneva")
    assert len(killed) == 2
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "1"
    assert client.get("/meetings/2030-geneva").status_code == 200


def test_a_write_whose_connection_dies_is_503_and_stores_nothing(served: Flask) -> None:
    client = served.test_client()
    with connection_dies_before(served, "INSERT INTO registrations") as killed:
        answer = client.post("/meetings/2030-geneva/apply", data=form_data())
    assert killed
    assert answer.status_code == 503
    with served.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    again = client.post("/meetings/2030-geneva/apply", data=form_data())
    assert again.status_code == 302


def test_the_api_answers_json_503(served: Flask) -> None:
    client = served.test_client()
    with connection_dies_before(served, "FROM device_tokens", times=2):
        answer = client.post("/api/v1/meetings/2030-geneva/scans", json={}, headers={"Authorization": "Bearer x"})
    assert (answer.status_code, answer.mimetype) == (503, "application/json")


def test_a_connection_lost_after_the_answer_was_made_does_not_spoil_it(served: Flask) -> None:
    with served.app_context():
        admin = sa.create_engine(db.engine.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)

    @served.teardown_request
    def end_the_connection(error: BaseException | None) -> None:
        pid = db.session.connection().connection.dbapi_connection.info.backend_pid
        with admin.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    client = served.test_client()
    assert client.get("/meetings/2030-geneva").status_code == 200
    served.teardown_request_funcs[None].remove(end_the_connection)
    assert client.get("/meetings/2030-geneva").status_code == 200
    admin.dispose()
