"""A meeting's bilateral rooms (chosen among its agenda rooms) and whether delegations book them."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from eventapp.audit.services import record
from eventapp.bilaterals.errors import BilateralError
from eventapp.extensions import db
from eventapp.models import BilateralRoom, BilateralSettings, Meeting, Room, User


def settings_of(meeting: Meeting) -> BilateralSettings:
    """The meeting's settings; the defaults (hosts book every room) when none were saved."""
    found = db.session.get(BilateralSettings, meeting.id)
    return found or BilateralSettings(meeting_id=meeting.id, delegations_book_rooms=False)


def bilateral_room_ids(meeting: Meeting) -> set[int]:
    return set(db.session.scalars(select(BilateralRoom.room_id).where(BilateralRoom.meeting_id == meeting.id)))


def bilateral_rooms(meeting: Meeting) -> list[Room]:
    query = (
        select(Room)
        .join(BilateralRoom, BilateralRoom.room_id == Room.id)
        .where(BilateralRoom.meeting_id == meeting.id)
        .order_by(Room.name)
    )
    return list(db.session.scalars(query))


def save_settings(meeting: Meeting, room_ids: list[int], delegations_book_rooms: bool, *, actor: User) -> None:
    """Set which of the meeting's rooms take bilaterals, and who books them."""
    own = set(db.session.scalars(select(Room.id).where(Room.meeting_id == meeting.id)))
    wanted = set(room_ids)
    if wanted - own:
        raise BilateralError(_("Choose among this meeting's rooms."), field="room_ids")
    current = {
        r.room_id: r for r in db.session.scalars(select(BilateralRoom).where(BilateralRoom.meeting_id == meeting.id))
    }
    for room_id in sorted(wanted - set(current)):
        db.session.add(BilateralRoom(room_id=room_id, meeting_id=meeting.id))
    for room_id in sorted(set(current) - wanted):
        db.session.delete(current[room_id])
    settings = db.session.get(BilateralSettings, meeting.id)
    if settings is None:
        settings = BilateralSettings(meeting_id=meeting.id)
        db.session.add(settings)
    changed = {
        "rooms": sorted(wanted),
        "delegations_book_rooms": delegations_book_rooms,
    }
    settings.delegations_book_rooms = delegations_book_rooms
    record("bilateral.settings", meeting, actor=actor, meeting_id=meeting.id, details=changed)
    db.session.commit()
