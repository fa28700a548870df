"""Bulk inserts for generated data: one executemany per table, new ids read back by a unique key."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from eventapp.extensions import db


def insert_rows(model: type, rows: list[dict[str, Any]]) -> None:
    """One Core executemany (the ORM's bulk path with RETURNING is far slower at this size)."""
    if rows:
        db.session.execute(sa.insert(model.__table__), rows)  # type: ignore[attr-defined]


def insert_with_ids(model: type, rows: list[dict[str, Any]], *key: str, where: Any = None) -> list[int]:
    """Insert rows, then read their new ids back by a unique key (within `where`), in row order."""
    insert_rows(model, rows)
    if not rows:
        return []
    query = sa.select(model.id, *(getattr(model, k) for k in key))  # type: ignore[attr-defined]
    if where is not None:
        query = query.where(where)
    found = {tuple(values): id_ for id_, *values in db.session.execute(query)}
    return [found[tuple(row[k] for k in key)] for row in rows]
