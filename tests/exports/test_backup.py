"""Backups: `backup-db` on SQLite, and the README's pg_dump / pg_restore procedure on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskCliRunner
from flask_migrate import upgrade

from eventapp.config import normalise_database_url
from eventapp.demo.scale import seed_scale
from eventapp.exports.backup import pg_dump_command
from eventapp.extensions import db
from tests.conftest import make_app

TABLES = ("meetings", "members", "registrations", "badges", "sessions", "checkins", "outbox_messages")


def _counts(url: str | sa.URL) -> dict[str, int]:
    engine = sa.create_engine(normalise_database_url(url) if isinstance(url, str) else url)
    with engine.connect() as conn:
        counts = {t: conn.scalar(sa.select(sa.func.count()).select_from(sa.table(t))) or 0 for t in TABLES}
    engine.dispose()
    return counts


def _sqlite_only() -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("backup-db copies SQLite databases; the PostgreSQL run tests its refusal instead")


def test_backup_copies_a_consistent_snapshot(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _sqlite_only()
    seed_scale(participants=200, sessions=10, members=70, slug="backed-up")
    db.session.remove()
    source = db.engine.url.database
    # A worker in the middle of a write: its uncommitted row must not be in the copy, nor block it.
    writer = sqlite3.connect(source, timeout=5)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE meetings SET title = 'half-written' WHERE slug = 'backed-up'")
    target = tmp_path / "copy.sqlite3"
    try:
        result = runner.invoke(args=["backup-db", str(target)])
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    copy = _counts(f"sqlite:///{target}")
    assert copy == _counts(db.engine.url)
    assert copy["registrations"] == 200 and copy["badges"] > 150
    title = sqlite3.connect(target).execute("SELECT title FROM meetings WHERE slug = 'backed-up'").fetchone()[0]
    assert title != "half-written"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_backup_never_overwrites(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _sqlite_only()
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"precious")
    result = runner.invoke(args=["backup-db", str(target)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert target.read_bytes() == b"precious"
    missing_folder = runner.invoke(args=["backup-db", str(tmp_path / "nowhere" / "copy.sqlite3")])
    assert missing_folder.exit_code != 0 and "does not exist" in missing_folder.output


def test_postgresql_gets_the_pg_dump_command_without_the_password() -> None:
    url = sa.make_url("postgresql+psycopg://wps:s3cret@db.internal:5433/wps")
    command = pg_dump_command(url, "/backups/wps.dump")
    assert command == (
        "pg_dump --format=custom --host=db.internal --port=5433 --username=wps --file=/backups/wps.dump wps"
    )
    assert "s3cret" not in command


def test_backup_db_refuses_postgresql(runner: FlaskCliRunner, tmp_path: Path) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (TEST_DATABASE_URL)")
    result = runner.invoke(args=["backup-db", str(tmp_path / "x.dump")])
    assert result.exit_code != 0
    assert "pg_dump --format=custom" in result.output
    assert not (tmp_path / "x.dump").exists()


def test_the_documented_postgresql_backup_and_restore(pg_database_factory: Callable[[], str], tmp_path: Path) -> None:
    """pg_dump -Fc, lose data, pg_restore --clean --if-exists, flask db upgrade: all is back."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore not installed (Debian: postgresql-client)")
    url = pg_database_factory()
    app = make_app(url)
    with app.app_context():
        upgrade()
        seed_scale(participants=150, sessions=8, members=70, slug="pg-backup")
        db.session.remove()
        before = _counts(db.engine.url)
        dump = tmp_path / "wps.dump"
        plain = sa.make_url(url)
        env = {**os.environ, "PGPASSWORD": plain.password or ""}
        subprocess.run(pg_dump_command(plain, str(dump)).split(), check=True, env=env)
        with db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM meetings"))
        assert _counts(db.engine.url)["registrations"] == 0
        db.engine.dispose()  # pg_restore --clean drops tables: no idle connection may hold them
        target = [f"--host={plain.host}", f"--port={plain.port}", f"--username={plain.username}"]
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", *target, f"--dbname={plain.database}", str(dump)],
            check=True,
            env=env,
        )
        upgrade()
        assert _counts(db.engine.url) == before
