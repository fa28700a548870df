"""Writing the audit log. Callers add the entry to the session they commit."""

from __future__ import annotations

from typing import Any

from eventapp.extensions import db
from eventapp.models import AuditLog, User


def record(
    action: str,
    entity: Any,
    *,
    actor: User | None = None,
    meeting_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit entry for `entity` to the current transaction (flushes to get its id)."""
    if getattr(entity, "id", None) is None:
        db.session.flush()
    entry = AuditLog(
        action=action,
        entity_type=type(entity).__name__,
        entity_id=getattr(entity, "id", None),
        actor_id=actor.id if actor is not None and getattr(actor, "is_authenticated", False) else None,
        meeting_id=meeting_id,
        reason=reason,
        details=_jsonable(details or {}),
    )
    db.session.add(entry)
    return entry


def changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply `values` to `obj`; return {field: [old, new]} for those that changed."""
    changed: dict[str, list[Any]] = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [old, new]
            setattr(obj, field, new)
    return changed


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
