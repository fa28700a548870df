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

Every statement that stores a scan also sets synchronous_commit for its own transaction (the
SCAN_SYNCHRONOUS_COMMIT setting, "off" by default): the answer goes back without waiting for
the disk. A server crash (not an app crash) can then lose the last fraction of a second of
scans, never half of one; registrations and everything else keep waiting for the disk. Flushing
the log was about 30% of PostgreSQL's work per scan.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from eventapp.models import CheckIn, Direction, ScanResult
from eventapp.web.frontpath import fetch_one

_COLUMNS = [c.name for c in CheckIn.__table__.c if c.name not in ("id", "result", "reason")]

# One row that sets the transaction's synchronous_commit; a scan's INSERT selects from it.
_RELAXED = "(SELECT set_config('synchronous_commit', %(synchronous_commit)s, true)) AS relaxed"

# Move the person: rows come from {source}; RETURNING 1 only when the row changed. For an entry
# a person already inside does not move (that scan is then stored as already inside).
_MOVE = """INSERT INTO presences (registration_id, checkpoint, meeting_id, inside, updated_at)
    SELECT {person}, CAST(%(checkpoint)s AS VARCHAR), {meeting},
        CAST(%(inside)s AS BOOLEAN), CAST(%(recorded_at)s AS TIMESTAMP WITH TIME ZONE) FROM {source}
    ON CONFLICT (registration_id, checkpoint)
    DO UPDATE SET inside = excluded.inside, updated_at = excluded.updated_at
    WHERE presences.inside IS DISTINCT FROM excluded.inside OR NOT CAST(%(entering)s AS BOOLEAN)
    RETURNING 1"""

# The stored result and reason: for an entry, whether the `moved` step moved the person.
_OUTCOME = """CASE WHEN CAST(%(entering)s AS BOOLEAN) AND NOT EXISTS (SELECT 1 FROM moved)
        THEN CAST(%(result_unmoved)s AS VARCHAR) ELSE CAST(%(result)s AS VARCHAR) END,
    CASE WHEN CAST(%(entering)s AS BOOLEAN) AND NOT EXISTS (SELECT 1 FROM moved)
        THEN CAST(%(reason_unmoved)s AS VARCHAR) ELSE CAST(%(reason)s AS VARCHAR) END"""


def _with_move(template: str, person: str, meeting: str, source: str) -> str:
    """`template` with its {move} and {outcome} steps written out (its other fields stay for later)."""
    move = _MOVE.replace("{person}", person).replace("{meeting}", meeting).replace("{source}", source)
    return template.replace("{move}", move).replace("{outcome}", _OUTCOME)


# The person moves only when this nonce is new and the move changes something.
_MOVE_AND_RECORD = _with_move(
    """
WITH fresh AS (
    SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM checkins WHERE nonce = %(nonce)s)
), moved AS (
    {move}
)
INSERT INTO checkins ({columns}, result, reason)
SELECT {values},
    {outcome}
FROM RELAXED
ON CONFLICT (nonce) DO NOTHING
RETURNING id, result, reason
""",
    person="CAST(%(registration_id)s AS INTEGER)",
    meeting="CAST(%(meeting_id)s AS INTEGER)",
    source="fresh",
)

_RECORD_ONLY = """
INSERT INTO checkins ({columns}, result, reason)
SELECT {values}, CAST(%(result)s AS VARCHAR), CAST(%(reason)s AS VARCHAR) FROM RELAXED
ON CONFLICT (nonce) DO NOTHING
RETURNING id, result, reason
"""


def _cast(column: str) -> str:
    """`CAST(%(column)s AS type)`: parameters in a SELECT list need their type spelled out."""
    column_type = CheckIn.__table__.c[column].type
    # Plain VARCHAR: a cast to VARCHAR(n) would cut a longer value short instead of refusing it.
    sql_type = "VARCHAR" if isinstance(column_type, sa.String) else column_type.compile(dialect=postgresql.dialect())
    return f"CAST(%({column})s AS {sql_type})"


def _filled(template: str) -> str:
    return _relaxed(template.format(columns=", ".join(_COLUMNS), values=", ".join(_cast(c) for c in _COLUMNS)))


def _relaxed(sql: str) -> str:
    return sql.replace("FROM RELAXED", "FROM " + _RELAXED).replace("CROSS JOIN RELAXED", "CROSS JOIN " + _RELAXED)


#: The statements as psycopg takes them (named %(...)s parameters).
MOVE_AND_RECORD_SQL = _filled(_MOVE_AND_RECORD)
RECORD_ONLY_SQL = _filled(_RECORD_ONLY)

# A door scan in one round trip: `found` reads the device, its meeting and the badge with its
# holder; `ready` keeps that row only when the scan is an ordinary one (the caller's checks,
# repeated here so that nothing is written when the database disagrees with them) and the nonce
# is new; then the same move and insert as _MOVE_AND_RECORD. The answer is the row read, with
# the stored scan when there is one.
_READ_MOVE_AND_RECORD = _with_move(
    """
WITH found AS ({found}
), ready AS (
    SELECT * FROM found
    WHERE revoked_at IS NULL AND slug = %(slug)s AND meeting_id = %(meeting_id)s
        AND badge_public_key = %(public_key)s AND last_used_at >= %(used_since)s
        AND badge_id IS NOT NULL AND badge_revoked_at IS NULL AND status = %(movable_status)s
        AND NOT EXISTS (SELECT 1 FROM checkins WHERE nonce = %(nonce)s)
), moved AS (
    {move}
), stored AS (
    INSERT INTO checkins ({columns}, result, reason)
    SELECT {values},
        {outcome}
    FROM ready CROSS JOIN RELAXED
    ON CONFLICT (nonce) DO NOTHING
    RETURNING id, result, reason
)
SELECT found.*, stored.id, stored.result, stored.reason FROM found LEFT JOIN stored ON true
""",
    person="registration_id",
    meeting="meeting_id",
    source="ready",
)
# CheckIn columns taken from the row read rather than from parameters.
_FROM_FOUND = {
    "meeting_id": "meeting_id",
    "badge_id": "badge_id",
    "registration_id": "registration_id",
    "device": "left(device_name, 120)",
}


def read_move_and_record_sql(found: str) -> str:
    """The one-statement door scan around `found`, a SELECT of the device (device_name,
    revoked_at, last_used_at), its meeting (meeting_id, slug, badge_public_key) and the badge
    with its holder (BADGE_QUERY's columns). Its row: found's columns, then the stored scan's
    id, result and reason (NULL when nothing was stored).
    """
    values = ", ".join(_FROM_FOUND.get(c) or _cast(c) for c in _COLUMNS)
    return _relaxed(_READ_MOVE_AND_RECORD.format(found=found, columns=", ".join(_COLUMNS), values=values))


def commit_mode(config: Mapping[str, Any] | None = None) -> str:
    """synchronous_commit for a scan's transaction (SCAN_SYNCHRONOUS_COMMIT)."""
    return str((config if config is not None else current_app.config).get("SCAN_SYNCHRONOUS_COMMIT", "off"))


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
    config: Mapping[str, Any] | None = None,
) -> tuple[int, ScanResult, str] | None:
    """Store the scan (and move the person when `moves`); None when the nonce was already stored.

    `config`: the app's settings, when called outside an app context (the scan fast path).
    `conn` must be in autocommit: the statement is its own transaction. The SQL goes to the
    driver as written (no compiling, but still seen by the engine's events).
    """
    params = _params(values, result, reason, moves, reason_already_inside)
    params["synchronous_commit"] = commit_mode(config)
    # Enums go to the driver as their stored values; the rest are plain Python values.
    params = {k: (v.value if isinstance(v, enum.Enum) else v) for k, v in params.items()}
    row = fetch_one(conn, MOVE_AND_RECORD_SQL if moves else RECORD_ONLY_SQL, params)
    if row is None:
        return None
    return row[0], ScanResult(row[1]), row[2]
