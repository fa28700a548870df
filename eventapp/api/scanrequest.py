"""The body of a scanBadge request, checked before anything is scanned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventapp.models import Direction

MAX_TOKEN = 200
MAX_NONCE = 64
MAX_CHECKPOINT = 64


class BadRequest(Exception):
    """Input the API refuses with 400; `field` names the offending member of the body."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ScanRequest:
    token: str
    checkpoint: str
    direction: Direction
    nonce: str
    scanned_at: datetime | None


def parse_scan_request(body: object) -> ScanRequest:
    """The checked request; BadRequest names the first field that is wrong."""
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object.")
    token = string_field(body, "token", MAX_TOKEN)
    checkpoint = string_field(body, "checkpoint", MAX_CHECKPOINT)
    nonce = string_field(body, "nonce", MAX_NONCE)
    direction = body.get("direction")
    if direction not in ("in", "out"):
        raise BadRequest("'direction' must be 'in' or 'out'.", "direction")
    return ScanRequest(token, checkpoint, Direction(direction), nonce, _scanned_at(body))


def string_field(body: dict[str, Any], name: str, limit: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"'{name}' must be a non-empty string.", name)
    if len(value) > limit:
        raise BadRequest(f"'{name}' is longer than {limit} characters.", name)
    # JSON may carry NUL (PostgreSQL refuses it) and lone surrogates (no UTF-8 form, no database takes them).
    if "\x00" in value or not _utf8(value):
        raise BadRequest(f"'{name}' must be text without NUL characters or unpaired surrogates.", name)
    return value.strip()


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _scanned_at(body: dict[str, Any]) -> datetime | None:
    value = body.get("scanned_at")
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("'scanned_at' must be an ISO 8601 date-time.", "scanned_at")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest("'scanned_at' must be an ISO 8601 date-time.", "scanned_at") from exc
    if parsed.tzinfo is None:
        raise BadRequest("'scanned_at' needs a time zone (for example 'Z').", "scanned_at")
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise BadRequest("'scanned_at' is out of range.", "scanned_at") from exc
