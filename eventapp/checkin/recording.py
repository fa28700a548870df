"""Writing a scan on PostgreSQL: the presence change and the CheckIn row in one statement.

One data-modifying statement in autocommit is atomic on its own, so a scan writes with a single
round trip instead of BEGIN, an upsert, an insert and COMMIT. Correctness under concurrency is
the same as with the two-statement transaction in services.py:

- the presence upsert (ON CONFLICT DO UPDATE ... WHERE) locks the person's row for this
  checkpoint and judges against the latest committed version, so of two concurrent scans of one
  badge only one flips it (admitted) and the other sees it inside (already inside);
- a nonce already stored moves nobody (the NOT EXISTS guard) and the CheckIn insert does nothing
  (ON CONFLICT (nonce)), so a retried sync changes nothing; a concurrent scan with the same
  nonce waits for the first on the unique index and then finds the person already moved.
"""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from eventapp.models import CheckIn, Direction, Presence, ScanResult

_COLUMNS = [c.name for c in CheckIn.__table__.c if c.name not in ("id", "result", "reason")]

# The person moves only when this nonce is new and the move changes something. For an entry the
# CheckIn's result and reason then follow from whether the row moved.
_MOVE_AND_RECORD = """
WITH fresh AS (
    SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM checkins WHERE nonce = :nonce)
), moved AS (
    INSERT INTO presences (registration_id, checkpoint, meeting_id, inside, updated_at)
    SELECT CAST(:registration_id AS INTEGER), CAST(:checkpoint AS VARCHAR), CAST(:meeting_id AS INTEGER),
        CAST(:inside AS BOOLEAN), CAST(:recorded_at AS TIMESTAMP WITH TIME ZONE) FROM fresh
    ON CONFLICT (registration_id, checkpoint)
    DO UPDATE SET inside = excluded.inside, updated_at = excluded.updated_at
    WHERE presences.inside IS DISTINCT FROM excluded.inside OR NOT CAST(:entering AS BOOLEAN)
    RETURNING 1
)
INSERT INTO checkins ({columns}, result, reason)
SELECT {values},
    CASE WHEN CAST(:entering AS BOOLEAN) AND NOT EXISTS (SELECT 1 FROM moved)
        THEN CAST(:result_unmoved AS VARCHAR) ELSE CAST(:result AS VARCHAR) END,
    CASE WHEN CAST(:entering AS BOOLEAN) AND NOT EXISTS (SELECT 1 FROM moved)
        THEN CAST(:reason_unmoved AS VARCHAR) ELSE CAST(:reason AS VARCHAR) END
ON CONFLICT (nonce) DO NOTHING
RETURNING id, result, reason
"""

_RECORD_ONLY = """
INSERT INTO checkins ({columns}, result, reason) VALUES ({values}, :result, :reason)
ON CONFLICT (nonce) DO NOTHING
RETURNING id, result, reason
"""


def _cast(column: str) -> str:
    """`CAST(:column AS type)`: parameters in a SELECT list need their type spelled out."""
    column_type = CheckIn.__table__.c[column].type
    # Plain VARCHAR: a cast to VARCHAR(n) would cut a longer value short instead of refusing it.
    sql_type = "VARCHAR" if isinstance(column_type, sa.String) else column_type.compile(dialect=postgresql.dialect())
    return f"CAST(:{column} AS {sql_type})"


def _typed(sql: str) -> sa.TextClause:
    table = CheckIn.__table__
    joined = sql.format(columns=", ".join(_COLUMNS), values=", ".join(_cast(c) for c in _COLUMNS))
    params = [sa.bindparam(c, type_=table.c[c].type) for c in _COLUMNS]
    result_type = table.c.result.type
    params += [sa.bindparam("result", type_=result_type), sa.bindparam("reason", type_=sa.String())]
    if "moved" in sql:
        params += [
            sa.bindparam("result_unmoved", type_=result_type),
            sa.bindparam("reason_unmoved", type_=sa.String()),
            sa.bindparam("inside", type_=Presence.__table__.c.inside.type),
            sa.bindparam("entering", type_=sa.Boolean()),
        ]
    statement = sa.text(joined).bindparams(*params)
    return statement.columns(id=sa.Integer(), result=result_type, reason=sa.String())


MOVE_AND_RECORD = _typed(_MOVE_AND_RECORD)
RECORD_ONLY = _typed(_RECORD_ONLY)
#: The same statements as psycopg takes them, for callers that use the driver's connection directly.
_PSYCOPG = postgresql.psycopg.dialect()
MOVE_AND_RECORD_SQL = str(MOVE_AND_RECORD.compile(dialect=_PSYCOPG))
RECORD_ONLY_SQL = str(RECORD_ONLY.compile(dialect=_PSYCOPG))


def _params(
    values: dict[str, Any], result: ScanResult, reason: str, moves: bool, reason_already_inside: str
) -> dict[str, Any]:
    params = values | {"result": result, "reason": reason}
    if moves:
        entering = values["direction"] == Direction.IN
        params |= {
            "inside": entering,
            "entering": entering,
            "result_unmoved": ScanResult.ALREADY_INSIDE,
            "reason_unmoved": reason_already_inside,
        }
    return params


def record_scan(
    conn: Connection,
    values: dict[str, Any],
    *,
    result: ScanResult,
    reason: str,
    moves: bool,
    reason_already_inside: str,
) -> tuple[int, ScanResult, str] | None:
    """Store the scan (and move the person when `moves`); None when the nonce was already stored.

    `conn` must be in autocommit: the statement is its own transaction.
    """
    params = _params(values, result, reason, moves, reason_already_inside)
    row = conn.execute(MOVE_AND_RECORD if moves else RECORD_ONLY, params).first()
    if row is None:
        return None
    return row.id, ScanResult(row.result), row.reason


def record_scan_with_driver(
    driver: Any,
    values: dict[str, Any],
    *,
    result: ScanResult,
    reason: str,
    moves: bool,
    reason_already_inside: str,
) -> tuple[int, ScanResult, str] | None:
    """record_scan on a psycopg connection in autocommit (no SQLAlchemy layer in between)."""
    params = _params(values, result, reason, moves, reason_already_inside)
    # Enums go to the driver as their stored values; the rest are plain Python values.
    params = {k: (v.value if isinstance(v, enum.Enum) else v) for k, v in params.items()}
    row = driver.execute(MOVE_AND_RECORD_SQL if moves else RECORD_ONLY_SQL, params).fetchone()
    if row is None:
        return None
    return row[0], ScanResult(row[1]), row[2]
