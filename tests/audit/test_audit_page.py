"""The audit log page: filters, what changed, CSV export; opening passport details is audited."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import AuditLog, Member, User
from eventapp.models.base import utcnow
from tests.conftest import PASSWORD, make_app
from tests.security.world import build_world, remove_files


@pytest.fixture
def world_app(app: Flask) -> Flask:
    build_world()
    yield make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    remove_files()


def _admin(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": "admin@example.org", "password": PASSWORD}).status_code == 302
    return client


def test_filters_and_what_changed(world_app: Flask) -> None:
    admin = _admin(world_app)
    assert (
        admin.post(
            "/members/ROU/edit", data={"kind": "state", "name": "Romania", "iso3": "ROU", "joined_on": "2016-09-23"}
        ).status_code
        == 302
    )
    host = world_app.test_client()
    host.post("/login", data={"email": "host@example.org", "password": PASSWORD})
    x = db.session.scalar(sa.text("SELECT id FROM registrations WHERE email = 'xenia@example.org'"))
    letter = host.get(f"/meetings/2031-matrix/registrations/{x}/visa-letter.pdf")
    assert letter.status_code == 200
    page = admin.get("/audit/").get_data(as_text=True)
    assert "member.update" in page and "joined_on:" in page and "— → 2016-09-23" in page
    assert "passport.opened" in page and "visa letter" in page
    only = admin.get("/audit/?action=passport.opened").get_data(as_text=True)
    assert "1 entry." in only and "member.update</code>" not in only
    by_person = admin.get("/audit/?person=XENIA").get_data(as_text=True)
    assert "passport.opened" in by_person and "member.update</code>" not in by_person
    host_id = db.session.scalar(sa.text("SELECT id FROM users WHERE email = 'host@example.org'"))
    by_actor = admin.get(f"/audit/?actor={host_id}").get_data(as_text=True)
    assert "passport.opened" in by_actor and "member.update</code>" not in by_actor
    by_meeting = admin.get("/audit/?meeting=2031-matrix").get_data(as_text=True)
    assert "passport.opened" in by_meeting and "member.update</code>" not in by_meeting
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    assert "0 entries." in admin.get(f"/audit/?since={tomorrow}").get_data(as_text=True)
    bad = admin.get("/audit/?since=yesterday").get_data(as_text=True)
    assert 'id="since-error"' in bad


def test_csv_export_follows_the_filters_and_defuses_formulas(world_app: Flask) -> None:
    member = db.session.scalar(sa.select(Member).where(Member.code == "ROU"))
    record("member.update", member, reason='=HYPERLINK("http://evil")', details={"name": ["A", "B"]})
    record("member.note", member, details={"note": "kept"})
    db.session.commit()
    answer = _admin(world_app).get("/audit/export.csv?action=member.update")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0][:3] == ["at_utc", "actor", "action"]
    assert len(rows) == 2 and rows[1][2] == "member.update"
    assert rows[1][6].startswith("'=") and rows[1][7] == "name: A → B"


def test_the_staff_person_form_showing_a_passport_number_is_audited(world_app: Flask) -> None:
    host = world_app.test_client()
    host.post("/login", data={"email": "host@example.org", "password": PASSWORD})
    x = db.session.scalar(sa.text("SELECT id FROM registrations WHERE email = 'xenia@example.org'"))
    if "workspace.participant_edit" not in world_app.view_functions:
        pytest.skip("the workspace's person form is not there")
    assert "P1234567" in host.get(f"/meetings/2031-matrix/people/{x}/edit").get_data(as_text=True)
    db.session.expire_all()
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "passport.opened"))
    assert entry.entity_id == x and entry.details["where"] == "person form"


def test_the_page_reads_a_fixed_number_of_statements(world_app: Flask) -> None:
    """No statement per entry: a page of 100 entries costs the same as a page of 20 (one query per kind of entity)."""
    admin = _admin(world_app)
    member = db.session.scalar(sa.select(Member).where(Member.code == "ROU"))
    actor = db.session.scalar(sa.select(User).where(User.email == "host@example.org"))
    with world_app.app_context():
        engine = db.engine  # the engine of the app that answers the requests

    def cost() -> int:
        statements: list[str] = []

        def listener(conn: object, cursor: object, statement: str, *args: object) -> None:
            statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            assert admin.get("/audit/").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    cost()  # the first request also opens the connection
    db.session.execute(sa.delete(AuditLog))
    for _ in range(20):
        record("member.update", member, actor=actor, details={"name": ["A", "B"]})
    db.session.commit()
    few = cost()
    for _ in range(100):
        record("member.update", member, actor=actor, details={"name": ["A", "B"]})
    db.session.commit()
    assert cost() == few


def test_pages_of_the_log_keep_the_filters(world_app: Flask) -> None:
    """Past 100 entries the shared pager links to the next page with the same filters; it holds the older rest."""
    admin = _admin(world_app)
    member = db.session.scalar(sa.select(Member).where(Member.code == "ROU"))
    db.session.execute(sa.delete(AuditLog))
    for number in range(105):
        record("member.update", member, details={"name": [str(number), str(number + 1)]})
    db.session.commit()
    first = admin.get("/audit/?action=member.update").get_data(as_text=True)
    assert "105 entries." in first and "104 → 105" in first and "</span> 0 → 1</li>" not in first
    assert 'href="/audit/?page=2&amp;action=member.update" rel="next"' in first
    second = admin.get("/audit/?page=2&action=member.update").get_data(as_text=True)
    assert "</span> 0 → 1</li>" in second and "104 → 105" not in second
    assert 'href="/audit/?action=member.update" rel="prev"' in second
