"""On PostgreSQL, migrated as in production, each host list reads its page through an index in its order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from eventapp.extensions import db
from eventapp.models import Registration, RegistrationCategory, Role
from eventapp.models.registration import FULL_NAME_SQL
from eventapp.web.pagination import PER_PAGE
from tests.conftest import PASSWORD, add_meeting, add_user, make_app
from tests.reports.helpers import crowd

pytestmark = pytest.mark.postgres

SLUG = "2030-geneva"
LARGER = 5000


@pytest.fixture(scope="module")
def migrated(pg_database_factory: Callable[[], str]) -> Iterator[Flask]:
    """A database built by the migrations: three pages of people, a larger meeting, statistics up to date."""
    app = make_app(pg_database_factory())
    with app.app_context():
        upgrade()
        add_user("host@example.org", Role.HOST)
        crowd(add_meeting(SLUG), 3 * PER_PAGE)
        # Enough rows elsewhere that PostgreSQL prefers an index to reading everything.
        other = add_meeting("2031-nairobi")
        rows = [
            {
                "meeting_id": other.id,
                "category": RegistrationCategory.CIVIL_SOCIETY,
                "given_name": f"Given{n}",
                "family_name": f"Family{n}",
                "email": f"other{n}@example.org",
                "organisation": f"Organisation {n % 500}",
            }
            for n in range(LARGER)
        ]
        db.session.execute(sa.insert(Registration), rows)
        db.session.commit()
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE registrations")
        db.session.remove()
        yield app
        db.engine.dispose()


def _plan(statement: str, parameters: Any) -> str:
    """The plan PostgreSQL picks when reading the whole table is not an option, nor sorting it."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))


def _page_query(app: Flask, path: str) -> tuple[str, Any]:
    """The statement that reads the rows of the page (the one with a LIMIT) and its parameters."""
    seen: list[tuple[str, Any]] = []

    def listener(conn: object, cursor: object, statement: str, parameters: Any, *args: object) -> None:
        seen.append((statement, parameters))

    client = app.test_client()
    client.post("/login", data={"email": "host@example.org", "password": PASSWORD})
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
    (found,) = [(s, p) for s, p in seen if "LIMIT" in s and "FROM registrations" in s]
    return found


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("registrations?page=2", "ix_registrations_meeting_sort_key"),
        ("registrations?status=approved&page=2", "ix_registrations_meeting_status_sort_key"),
        ("review?page=2", "ix_registrations_meeting_created"),
        ("review?status=submitted", "ix_registrations_meeting_created"),
        ("badges?page=2", "ix_registrations_meeting_status_sort_key"),
    ],
)
def test_a_page_is_read_in_order_from_its_index(migrated: Flask, path: str, index: str) -> None:
    statement, parameters = _page_query(migrated, f"/meetings/{SLUG}/{path}")
    with migrated.app_context():
        plan = _plan(statement, parameters)
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.parametrize(
    "searched",
    [FULL_NAME_SQL, Registration.email, Registration.organisation],
    ids=["full name", "email", "organisation"],
)
def test_the_search_reads_the_trigram_indexes(migrated: Flask, searched: sa.ColumnElement[str]) -> None:
    query = sa.select(sa.func.count()).select_from(Registration).where(searched.ilike("%fam0123%"))
    with migrated.app_context():
        compiled = query.compile(db.engine)
        plan = _plan(str(compiled), compiled.params)
    assert "_trgm" in plan, plan
