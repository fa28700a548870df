"""Writing the audit log, in the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from eventapp.extensions import db
from eventapp.models import AuditLog, User
from eventapp.models.base import utcnow

AUDIT_INSERT = AuditLog.__table__.insert()


def record(
    action: str,
    entity: Any,
    *,
    actor: User | None = None,
    meeting_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Write an audit entry for `entity` in the current transaction (it commits or rolls back with it).

    One INSERT right away, not an ORM object for the next flush: every audited action writes one,
    and the log is only ever appended to (flushes first when `entity` has no id yet).
    """
    if getattr(entity, "id", None) is None:
        db.session.flush()
    db.session.execute(
        AUDIT_INSERT,
        audit_values(
            action,
            type(entity).__name__,
            getattr(entity, "id", None),
            actor_id=actor.id if actor is not None and getattr(actor, "is_authenticated", False) else None,
            meeting_id=meeting_id,
            reason=reason,
            details=details,
        ),
    )


def audit_values(
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    actor_id: int | None = None,
    meeting_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit_log row's values (also written by statements that store the entity and its entry at once)."""
    return {
        "at": utcnow(),
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "actor_id": actor_id,
        "meeting_id": meeting_id,
        "reason": reason,
        "details": _jsonable(details or {}),
    }


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
