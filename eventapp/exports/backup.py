"""Backups: a consistent copy of a SQLite database while the app runs; PostgreSQL uses pg_dump."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    """The backup cannot be made (wrong database kind, bad target, failed copy)."""


@dataclass
class BackupReport:
    source: Path
    target: Path
    size: int
    seconds: float


def pg_dump_command(url: sa.URL, target: str) -> str:
    """The pg_dump command for this PostgreSQL database; the password is left to PGPASSWORD or ~/.pgpass."""
    parts = ["pg_dump", "--format=custom"]
    if url.host:
        parts.append(f"--host={url.host}")
    if url.port:
        parts.append(f"--port={url.port}")
    if url.username:
        parts.append(f"--username={url.username}")
    parts += [f"--file={target}", url.database or ""]
    return " ".join(parts)


def backup_sqlite(url: sa.URL, target: Path) -> BackupReport:
    """Copy the SQLite database at `url` to `target` with SQLite's online backup API.

    The copy is one consistent snapshot even while workers write: the API reads every page
    under one read transaction (a write committed meanwhile is left for the next backup). It is
    written next to the target and renamed into place, so a failed run leaves no half file.
    """
    if url.get_backend_name() != "sqlite":
        raise BackupError("not a SQLite database")
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise BackupError(f"the SQLite database file {url.database or ':memory:'} does not exist")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name (backups are never overwritten)")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    if target.resolve() == source.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    started = time.perf_counter()
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    try:
        with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the copy failed its integrity check: {check}")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"the copy failed: {exc}") from exc
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return BackupReport(source, target, target.stat().st_size, time.perf_counter() - started)
