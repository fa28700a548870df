"""Bilaterals in the personal calendar feeds of both delegations' registrants.

A bilateral enters the feeds once a time is agreed and stays there: moved, it keeps its UID and
its SEQUENCE rises; cancelled, it stays as STATUS:CANCELLED so calendars drop it.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from eventapp.bilaterals.naming import member_name
from eventapp.extensions import db
from eventapp.feeds.calendar import EventFields, location
from eventapp.models import Bilateral, BilateralStatus, Delegation, Meeting, Registration, Room

#: Statuses of bilaterals a feed holds (an agreed time, then perhaps a cancellation).
IN_FEEDS = (BilateralStatus.CONFIRMED, BilateralStatus.CANCELLED)


def held_by(delegation_id: Any) -> Any:
    """Bilaterals of this delegation that calendars hold: those that had an agreed time."""
    return (
        or_(Bilateral.requester_id == delegation_id, Bilateral.counterpart_id == delegation_id)
        & Bilateral.starts_at.is_not(None)
        & Bilateral.status.in_(IN_FEEDS)
    )


def version_columns(registration: type[Registration] = Registration) -> list[Any]:
    """Latest change, number, and latest change of the rooms of the person's delegation's bilaterals.

    Scalar subqueries correlated with the person's row, added to the feed's one version query.
    """
    held = held_by(registration.delegation_id)
    # The feed's query also reads rooms (of sessions): the bilaterals' rooms are another alias.
    room = aliased(Room, name="bilateral_room")
    changed = select(func.max(Bilateral.updated_at)).where(held)
    count = select(func.count(Bilateral.id)).where(held)
    rooms = select(func.max(room.updated_at)).select_from(Bilateral).join(room, Bilateral.room_id == room.id)
    return [q.correlate(registration).scalar_subquery() for q in (changed, count, rooms.where(held))]


def _feed_query(delegation_id: int) -> Select[Any]:
    return (
        select(Bilateral)
        .where(held_by(delegation_id))
        .options(
            joinedload(Bilateral.room),
            joinedload(Bilateral.requester).joinedload(Delegation.member),
            joinedload(Bilateral.counterpart).joinedload(Delegation.member),
        )
        .order_by(Bilateral.starts_at, Bilateral.id)
    )


def feed_bilaterals(registration: Registration) -> list[Bilateral]:
    if registration.delegation_id is None:
        return []
    return list(db.session.scalars(_feed_query(registration.delegation_id)).unique())


def bilateral_uid(bilateral: Bilateral, meeting: Meeting) -> str:
    """Stable across moves and cancellation, so calendars update the event they hold."""
    return f"bilateral-{bilateral.id}@{meeting.slug}.wps-network"


def event_fields(bilateral: Bilateral, meeting: Meeting, delegation_id: int, url: str) -> EventFields:
    """The bilateral as the delegation sees it, in the current language."""
    them = bilateral.counterpart if bilateral.requester_id == delegation_id else bilateral.requester
    cancelled = bilateral.status == BilateralStatus.CANCELLED
    title = _("Bilateral meeting with %(member)s", member=member_name(them.member))
    lines = [bilateral.subject] if bilateral.subject else []
    if bilateral.room is None:
        lines.append(_("The hosts have not booked a room yet."))
    return EventFields(
        uid=bilateral_uid(bilateral, meeting),
        tzid=meeting.timezone,
        starts_at=bilateral.starts_at.astimezone(UTC),  # type: ignore[union-attr]
        ends_at=bilateral.ends_at.astimezone(UTC),  # type: ignore[union-attr]
        summary=_("Cancelled: %(title)s", title=title) if cancelled else title,
        sequence=bilateral.sequence,
        status="CANCELLED" if cancelled else "CONFIRMED",
        last_modified=bilateral.updated_at,
        created=bilateral.created_at,
        location=location(bilateral, meeting),  # type: ignore[arg-type]  (reads only .room)
        description="\n\n".join(lines),
        url=url,
        category=_("Bilateral meeting"),
        transp="TRANSPARENT" if cancelled else "OPAQUE",
    )


def feed_events(registration: Registration, meeting: Meeting, url_for_bilateral: Any) -> list[EventFields]:
    """The events of the person's delegation's bilaterals, for their personal feed."""
    return [
        event_fields(b, meeting, registration.delegation_id, url_for_bilateral(b))  # type: ignore[arg-type]
        for b in feed_bilaterals(registration)
    ]
