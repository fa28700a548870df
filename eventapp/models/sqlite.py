"""SQLite connections set up for a web server: write-ahead log, fewer syncs, waiting for locks.

In WAL mode readers never wait for the writer and a commit appends to the log instead of
rewriting pages and syncing twice; synchronous=NORMAL syncs at checkpoints (a power cut may
lose the last commits, never corrupt the file). busy_timeout makes a second worker wait for the
write lock instead of failing with "database is locked". Server deployments use PostgreSQL;
this is for `make run`, small installations and the tests.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000")


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
