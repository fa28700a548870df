"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from eventapp.extensions import db
from tests.conftest import make_app


def _drift(url: str) -> list[object]:
    app = make_app(url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        tables = set(sa.inspect(db.engine).get_table_names())
        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert {"members", "meetings", "registrations", "sessions", "checkins", "audit_log"} <= tables
    assert left == set(), f"downgrade left tables behind: {left}"
    return diff


def test_sqlite_migrations_match_models(tmp_path: Path) -> None:
    diff = _drift(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"


@pytest.mark.postgres
def test_postgresql_migrations_match_models(pg_database_factory: Callable[[], str]) -> None:
    diff = _drift(pg_database_factory())
    assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff}"
