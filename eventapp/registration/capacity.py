"""Places at a meeting: overall and per category capacity, the waiting list and promotion from it.

Every function that decides whether someone gets a place runs after `lock_meeting`, so two
requests approving at once count one after the other (PostgreSQL row lock; SQLite serialises
writers anyway).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import CategoryCapacity, Meeting, Registration, RegistrationCategory, RegistrationStatus, User
from eventapp.models.base import utcnow


def lock_meeting(meeting_id: int) -> Meeting:
    """The meeting row, locked until the transaction ends and freshly read (capacity may have changed)."""
    query = select(Meeting).where(Meeting.id == meeting_id).with_for_update().execution_options(populate_existing=True)
    return db.session.scalars(query).one()


def approved_count(meeting_id: int, category: RegistrationCategory | None = None) -> int:
    query = select(func.count(Registration.id)).where(
        Registration.meeting_id == meeting_id, Registration.status == RegistrationStatus.APPROVED
    )
    if category is not None:
        query = query.where(Registration.category == category)
    return db.session.scalar(query) or 0


def category_limits(meeting_id: int) -> dict[str, int]:
    rows = db.session.scalars(select(CategoryCapacity).where(CategoryCapacity.meeting_id == meeting_id))
    return {row.category: row.capacity for row in rows}


def has_place(meeting: Meeting, category: RegistrationCategory) -> bool:
    """Whether one more approved person of `category` fits (call with the meeting locked)."""
    if meeting.capacity is not None and approved_count(meeting.id) >= meeting.capacity:
        return False
    limit = category_limits(meeting.id).get(category.value)
    return limit is None or approved_count(meeting.id, category) < limit


def places_summary(meeting: Meeting) -> dict[str, object]:
    """Counts for the host pages: overall and per category, with what is left."""
    approved = dict(
        db.session.execute(
            select(Registration.category, func.count(Registration.id))
            .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.APPROVED)
            .group_by(Registration.category)
        ).all()
    )
    waitlisted = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITLISTED
        )
    )
    limits = category_limits(meeting.id)
    total = sum(approved.values())
    return {
        "approved": total,
        "capacity": meeting.capacity,
        "left": None if meeting.capacity is None else max(meeting.capacity - total, 0),
        "waitlisted": waitlisted or 0,
        "categories": [
            {"category": c, "approved": approved.get(c, 0), "capacity": limits.get(c.value)}
            for c in RegistrationCategory
        ],
    }


def place_or_waitlist(registration: Registration, meeting: Meeting, *, actor: User | None, reason: str = "") -> bool:
    """Approve if a place is free, else put on the waiting list; True when approved. Meeting must be locked."""
    now = utcnow()
    registration.decided_at = now
    registration.decided_by_id = actor.id if actor is not None and getattr(actor, "is_authenticated", False) else None
    registration.decision_reason = reason
    if has_place(meeting, registration.category):
        registration.status = RegistrationStatus.APPROVED
        registration.waitlisted_at = None
        db.session.flush()
        return True
    registration.status = RegistrationStatus.WAITLISTED
    registration.waitlisted_at = registration.waitlisted_at or now
    db.session.flush()
    return False


def promote_waitlisted(meeting: Meeting) -> list[Registration]:
    """Give free places to waitlisted people in the order they joined the list; the caller commits.

    Someone whose category is full is skipped, so a later person of another category may move up.
    """
    from eventapp.registration.notifications import notify_promoted

    promoted: list[Registration] = []
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.waitlisted_at, Registration.id)
    ).all()
    for person in waiting:
        if meeting.capacity is not None and approved_count(meeting.id) >= meeting.capacity:
            break
        if not has_place(meeting, person.category):
            continue
        person.status = RegistrationStatus.APPROVED
        person.decided_at = utcnow()
        person.decided_by_id = None
        person.decision_reason = "A place became free."
        db.session.flush()
        record("registration.promote", person, meeting_id=meeting.id, reason=person.decision_reason)
        notify_promoted(person)
        promoted.append(person)
    return promoted


def set_capacities(
    meeting: Meeting, overall: int | None, per_category: dict[str, int | None], *, actor: User | None
) -> list[Registration]:
    """Change the overall and category capacities, then fill any new places from the waiting list."""
    from eventapp.registration.errors import RegistrationError

    meeting = lock_meeting(meeting.id)
    if overall is not None and overall < 1:
        raise RegistrationError(_("Capacity is a positive number, or empty for no limit."), field="capacity")
    changed: dict[str, list[object]] = {}
    if meeting.capacity != overall:
        changed["capacity"] = [meeting.capacity, overall]
        meeting.capacity = overall
    rows = {row.category: row for row in meeting.category_capacities}
    for category, limit in per_category.items():
        if limit is not None and limit < 0:
            raise RegistrationError(_("A category capacity cannot be negative."), field=f"cap_{category}")
        row = rows.get(category)
        old = row.capacity if row else None
        if old == limit:
            continue
        changed[f"category:{category}"] = [old, limit]
        if limit is None and row is not None:
            meeting.category_capacities.remove(row)
        elif row is None:
            meeting.category_capacities.append(CategoryCapacity(category=category, capacity=limit))
        else:
            row.capacity = limit  # type: ignore[assignment]
    db.session.flush()
    if changed:
        record("meeting.capacity", meeting, actor=actor, meeting_id=meeting.id, details=changed)
    promoted = promote_waitlisted(meeting)
    db.session.commit()
    return promoted
