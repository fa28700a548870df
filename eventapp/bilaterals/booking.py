"""Times and rooms of agreed bilaterals: no room and no delegation is ever booked twice at once.

`place` is the one path that sets a bilateral's time or room. It locks the two delegations'
rows (in id order) and then the room's row before it looks for clashes, so on PostgreSQL two
bookings at the same moment wait for each other and the second sees the first. Softer things
(a plenary at the same time, a time outside the meeting's days) are warnings, as in the agenda
editor, and never block a booking.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from eventapp.agenda.editor import local_to_utc
from eventapp.agenda.errors import AgendaError
from eventapp.audit.services import record
from eventapp.bilaterals import notifications
from eventapp.bilaterals.errors import BilateralError
from eventapp.bilaterals.naming import member_name
from eventapp.bilaterals.settings import bilateral_room_ids
from eventapp.extensions import db
from eventapp.models import (
    Bilateral,
    BilateralSide,
    BilateralStatus,
    BilateralStep,
    BilateralStepKind,
    Delegation,
    Meeting,
    Room,
    Session,
    SessionStatus,
    SessionType,
    User,
)
from eventapp.models.base import utcnow
from eventapp.registration.notifications import interface_locale
from eventapp.web.datetimes import format_moment

#: Changing any of these changes the calendar event: its SEQUENCE rises.
SEQUENCED_FIELDS = ("starts_at", "ends_at", "room_id", "status")


def _lock_delegations(bilateral: Bilateral) -> None:
    ids = sorted({bilateral.requester_id, bilateral.counterpart_id})
    db.session.execute(select(Delegation.id).where(Delegation.id.in_(ids)).order_by(Delegation.id).with_for_update())


def _lock_room(room_id: int) -> None:
    db.session.execute(select(Room.id).where(Room.id == room_id).with_for_update())


def _overlapping(starts_at: datetime, ends_at: datetime, bilateral: Bilateral) -> Any:
    return and_(
        Bilateral.meeting_id == bilateral.meeting_id,
        Bilateral.id != bilateral.id,
        Bilateral.status == BilateralStatus.CONFIRMED,
        Bilateral.starts_at < ends_at,
        Bilateral.ends_at > starts_at,
    )


def _when(value: datetime, meeting: Meeting) -> str:
    return format_moment(value, meeting.timezone, with_zone=False)


def _check_delegations(bilateral: Bilateral, starts_at: datetime, ends_at: datetime, field: str) -> None:
    parties = {bilateral.requester_id: bilateral.requester, bilateral.counterpart_id: bilateral.counterpart}
    clash = db.session.scalar(
        select(Bilateral)
        .where(
            _overlapping(starts_at, ends_at, bilateral),
            or_(Bilateral.requester_id.in_(parties), Bilateral.counterpart_id.in_(parties)),
        )
        .order_by(Bilateral.starts_at)
        .limit(1)
    )
    if clash is None:
        return
    busy = parties.get(clash.requester_id) or parties[clash.counterpart_id]
    with_whom = clash.counterpart if clash.requester_id == busy.id else clash.requester
    raise BilateralError(
        _(
            "The delegation of %(member)s already meets %(other)s at that time (%(when)s).",
            member=member_name(busy.member),
            other=member_name(with_whom.member),
            when=_when(clash.starts_at, bilateral.meeting),  # type: ignore[arg-type]
        ),
        field=field,
    )


def _check_room(bilateral: Bilateral, room_id: int, starts_at: datetime, ends_at: datetime) -> None:
    room = db.session.get(Room, room_id)
    if room is None or room_id not in bilateral_room_ids(bilateral.meeting):
        raise BilateralError(_("Choose one of the meeting's bilateral rooms."), field="room_id")
    clash = db.session.scalar(
        select(Bilateral).where(_overlapping(starts_at, ends_at, bilateral), Bilateral.room_id == room_id).limit(1)
    )
    if clash is not None:
        raise BilateralError(
            _(
                "%(room)s is already booked at that time for %(first)s and %(second)s.",
                room=room.name,
                first=member_name(clash.requester.member),
                second=member_name(clash.counterpart.member),
            ),
            field="room_id",
        )
    session = db.session.scalar(
        select(Session)
        .where(
            Session.room_id == room_id,
            Session.status != SessionStatus.CANCELLED,
            Session.starts_at < ends_at,
            Session.ends_at > starts_at,
        )
        .limit(1)
    )
    if session is not None:
        raise BilateralError(
            _("%(room)s is in use at that time for “%(title)s”.", room=room.name, title=session.title),
            field="room_id",
        )


def place(bilateral: Bilateral, starts_at: datetime, room_id: int | None, *, field: str = "starts_local") -> dict:
    """Set the bilateral's time and room after the checks; raise SEQUENCE if an agreed one changes.

    The caller holds the bilateral's row lock, commits, or rolls back on BilateralError.
    """
    ends_at = starts_at + timedelta(minutes=bilateral.duration_minutes)
    _lock_delegations(bilateral)
    if room_id is not None:
        _lock_room(room_id)
    _check_delegations(bilateral, starts_at, ends_at, field)
    if room_id is not None:
        _check_room(bilateral, room_id, starts_at, ends_at)
    changed: dict[str, list[Any]] = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at), ("room_id", room_id)):
        old = getattr(bilateral, name)
        if old != value:
            changed[name] = [old.isoformat() if isinstance(old, datetime) else old, _plain(value)]
            setattr(bilateral, name, value)
    if changed and bilateral.status == BilateralStatus.CONFIRMED:
        bilateral.sequence += 1
        changed["sequence"] = [bilateral.sequence - 1, bilateral.sequence]
    if changed:
        bilateral.updated_at = utcnow()
    return changed


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _locked_confirmed(bilateral: Bilateral) -> Bilateral:
    row = db.session.get(Bilateral, bilateral.id, with_for_update=True, populate_existing=True)
    if row is None or row.status != BilateralStatus.CONFIRMED or row.starts_at is None:
        db.session.rollback()
        raise BilateralError(_("Only an agreed bilateral can be given a room or moved."))
    return row


def book_room(
    bilateral: Bilateral, room_id: int | None, *, actor: User, side: BilateralSide | None = None
) -> dict[str, Any]:
    """Book a bilateral room for an agreed bilateral (a host, or a delegation when the hosts allow it)."""
    bilateral = _locked_confirmed(bilateral)
    try:
        if room_id is None:
            raise BilateralError(_("Choose one of the meeting's bilateral rooms."), field="room_id")
        changed = place(bilateral, bilateral.starts_at, room_id, field="room_id")  # type: ignore[arg-type]
    except BilateralError:
        db.session.rollback()
        raise
    if changed:
        _done(bilateral, BilateralStepKind.BOOKED, actor, side, "bilateral.book", changed)
    db.session.commit()
    return changed


def move(
    bilateral: Bilateral, starts_local: datetime, room_id: int | None, *, actor: User, duration: int | None = None
) -> dict[str, Any]:
    """A host moves an agreed bilateral to another time and/or room; calendars replace the event."""
    bilateral = _locked_confirmed(bilateral)
    try:
        try:
            starts_at = local_to_utc(starts_local, bilateral.meeting, "starts_local")
        except AgendaError as exc:
            raise BilateralError(str(exc), field="starts_local") from exc
        if duration is not None:
            bilateral.duration_minutes = duration
        changed = place(bilateral, starts_at, room_id)
    except BilateralError:
        db.session.rollback()
        raise
    if changed:
        _done(bilateral, BilateralStepKind.MOVED, actor, None, "bilateral.move", changed)
    db.session.commit()
    return changed


def _done(
    bilateral: Bilateral,
    kind: BilateralStepKind,
    actor: User,
    side: BilateralSide | None,
    action: str,
    changed: dict[str, Any],
) -> None:
    bilateral.steps.append(BilateralStep(kind=kind, side=side, actor=actor, locale=interface_locale()))
    record(action, bilateral, actor=actor, meeting_id=bilateral.meeting_id, details=changed)
    notifications.notify(bilateral, kind, to=[BilateralSide.REQUESTER, BilateralSide.COUNTERPART])


def warnings(meeting: Meeting, bilaterals: list[Bilateral]) -> dict[int, list[str]]:
    """Soft warnings per agreed bilateral: a plenary at the same time, outside the meeting's days."""
    agreed = [b for b in bilaterals if b.status == BilateralStatus.CONFIRMED and b.starts_at is not None]
    found: dict[int, list[str]] = defaultdict(list)
    if not agreed:
        return {}
    first = min(b.starts_at for b in agreed)  # type: ignore[type-var]
    last = max(b.ends_at for b in agreed)  # type: ignore[type-var]
    plenaries = db.session.scalars(
        select(Session).where(
            Session.meeting_id == meeting.id,
            Session.type == SessionType.PLENARY,
            Session.status != SessionStatus.CANCELLED,
            Session.starts_at < last,
            Session.ends_at > first,
        )
    ).all()
    zone = meeting.zone
    for b in agreed:
        start, end = b.starts_at, b.ends_at
        if start.astimezone(zone).date() < meeting.starts_on or end.astimezone(zone).date() > meeting.ends_on:  # type: ignore[union-attr]
            found[b.id].append(_("Outside the meeting's dates."))
        for s in plenaries:
            if s.starts_at < end and s.ends_at > start:  # type: ignore[operator]
                found[b.id].append(_("At the same time as the plenary “%(title)s”.", title=s.title))
    return dict(found)
