"""A scan's commit does not wait for the disk (SCAN_SYNCHRONOUS_COMMIT), and only that commit.

PostgreSQL's synchronous_commit is set by the scan's own statement for its own transaction: the
pooled connection, and whatever it runs next (a registration, say), keep the server's setting.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.test import Client

from eventapp.checkin.recording import record_scan
from eventapp.extensions import db
from eventapp.models import Base, CheckIn, DeviceToken, Direction, ScanResult
from eventapp.models.base import utcnow
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import add_meeting, make_app

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(pg_database_factory) -> Iterator[Flask]:
    app = make_app(pg_database_factory(), SCAN_SYNCHRONOUS_COMMIT="local")
    with app.app_context():
        Base.metadata.create_all(db.engine)
        yield app
        db.session.remove()
        db.engine.dispose()


def _values(registration_id: int, meeting_id: int) -> dict[str, Any]:
    now = utcnow()
    return {
        "meeting_id": meeting_id,
        "badge_id": None,
        "registration_id": registration_id,
        "checkpoint": "entrance",
        "session_id": None,
        "direction": Direction.IN,
        "nonce": uuid.uuid4().hex,
        "scanned_at": now,
        "recorded_at": now,
        "device": "door-1",
        "scanned_by_id": None,
    }


def _show(conn: sa.Connection) -> str:
    return str(conn.exec_driver_sql("SHOW synchronous_commit").scalar_one())


@pytest.mark.parametrize("mode", ["off", "local"])
@pytest.mark.parametrize("moves", [True, False])
def test_the_scan_statement_sets_its_transactions_commit_mode_and_no_more(app: Flask, mode: str, moves: bool) -> None:
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    db.session.commit()
    with db.engine.connect() as conn:
        server_default = _show(conn)
        conn.rollback()
        transaction = conn.begin()
        stored = record_scan(
            conn,
            _values(person.id, meeting.id),
            result=ScanResult.ADMITTED,
            reason="",
            moves=moves,
            reason_already_inside="inside",
            config={"SCAN_SYNCHRONOUS_COMMIT": mode},
        )
        assert stored is not None and stored[1] == ScanResult.ADMITTED
        assert _show(conn) == mode  # within the scan's transaction
        transaction.commit()
        assert _show(conn) == server_default  # gone with it
        conn.rollback()
    assert db.session.query(CheckIn).count() == 1


def test_door_scans_send_the_configured_mode_through_the_fast_path_and_flask(app: Flask) -> None:
    meeting = add_meeting()
    ana = badge_for(add_registration(meeting, "Ana", "Pop"))
    amina = badge_for(add_registration(meeting, "Amina", "Diallo"))
    bearer = device_token(meeting)
    db.session.query(DeviceToken).update({"last_used_at": utcnow() - timedelta(minutes=1)})
    db.session.commit()
    sent: list[tuple[str, Any]] = []

    def listener(conn: object, cursor: object, statement: str, parameters: Any, *args: object) -> None:
        if "INSERT INTO checkins" in statement:
            sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for client, token in ((Client(app.wsgi_app), ana), (Client(app.wsgi_app.inner), amina)):  # type: ignore[attr-defined]
            response = client.post(
                f"/api/v1/meetings/{meeting.slug}/scans",
                data=json.dumps(
                    {"token": token, "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex}
                ),
                headers={"Authorization": f"Bearer {bearer}"},
                content_type="application/json",
            )
            assert response.get_json()["result"] == "admitted"
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(sent) == 2, "one storing statement through the fast path, one through Flask"
    for statement, parameters in sent:
        assert "set_config('synchronous_commit'" in statement
        assert parameters["synchronous_commit"] == "local"
