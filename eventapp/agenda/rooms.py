"""Rooms of a meeting, and the editor's warnings about clashes (they never block a save)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from eventapp.agenda.errors import AgendaError
from eventapp.audit.services import changes, record
from eventapp.extensions import db
from eventapp.models import Meeting, Room, Session, SessionStatus, User
from eventapp.models.base import utcnow


@dataclass
class RoomData:
    name: str
    capacity: int | None = None
    venue: str = ""
    floor: str = ""


def list_rooms(meeting: Meeting) -> list[Room]:
    return list(db.session.scalars(select(Room).where(Room.meeting_id == meeting.id).order_by(Room.name)))


def _clean(meeting: Meeting, data: RoomData, existing: Room | None = None) -> dict[str, object]:
    name = " ".join(data.name.split())
    if not name:
        raise AgendaError(_("Give the room a name."), field="name")
    clash = db.session.scalar(select(Room).where(Room.meeting_id == meeting.id, Room.name == name))
    if clash is not None and clash is not existing:
        raise AgendaError(_("This meeting already has a room called %(name)s.", name=name), field="name")
    if data.capacity is not None and data.capacity < 1:
        raise AgendaError(_("Capacity is a positive number, or empty for no limit."), field="capacity")
    return {"name": name, "capacity": data.capacity, "venue": data.venue.strip(), "floor": data.floor.strip()}


def create_room(meeting: Meeting, data: RoomData, *, actor: User | None = None) -> Room:
    room = Room(meeting_id=meeting.id, **_clean(meeting, data))
    db.session.add(room)
    db.session.flush()
    record("room.create", room, actor=actor, meeting_id=meeting.id, details={"name": room.name})
    db.session.commit()
    return room


def update_room(room: Room, data: RoomData, *, actor: User | None = None) -> None:
    changed = changes(room, _clean(room.meeting, data, room))
    if changed:
        record("room.update", room, actor=actor, meeting_id=room.meeting_id, details=changed)
        # The room's name and venue are in the feeds' LOCATION: their validators must change.
        db.session.execute(update(Session).where(Session.room_id == room.id).values(updated_at=utcnow()))
    db.session.commit()


def delete_room(room: Room, *, actor: User | None = None) -> None:
    """Remove a room; its sessions keep their place in the agenda with no room (a change of place)."""
    sessions = db.session.scalars(select(Session).where(Session.room_id == room.id)).all()
    for s in sessions:
        s.room_id = None
        s.sequence += 1
        s.updated_at = utcnow()
    record("room.delete", room, actor=actor, meeting_id=room.meeting_id, details={"name": room.name})
    db.session.delete(room)
    db.session.commit()


def _speaker_keys(session: Session) -> set[str]:
    return set().union(*(_speaker_keys_one(s) for s in session.speakers))


def agenda_warnings(meeting: Meeting, sessions: list[Session]) -> dict[int, list[str]]:
    """Warnings per session id: room double-booked, a speaker in two places, outside the meeting's dates.

    `sessions` must have speakers loaded; cancelled sessions clash with nothing.
    """
    warnings: dict[int, list[str]] = defaultdict(list)
    zone = meeting.zone
    live = sorted((s for s in sessions if s.status != SessionStatus.CANCELLED), key=lambda s: s.starts_at)
    for s in sessions:
        first, last = s.starts_at.astimezone(zone).date(), s.ends_at.astimezone(zone).date()
        if first < meeting.starts_on or last > meeting.ends_on:
            warnings[s.id].append(_("Outside the meeting's dates."))
    keys = {s.id: _speaker_keys(s) for s in live}
    names = {s.id: {k: sp.display_name for sp in s.speakers for k in _speaker_keys_one(sp)} for s in live}
    for i, a in enumerate(live):
        for b in live[i + 1 :]:
            if b.starts_at >= a.ends_at:
                break  # sorted by start: nothing later overlaps a
            if a.room_id is not None and a.room_id == b.room_id:
                room = a.room.name if a.room else _("The room")
                warnings[a.id].append(_("%(room)s is also booked for “%(title)s”.", room=room, title=b.title))
                warnings[b.id].append(_("%(room)s is also booked for “%(title)s”.", room=room, title=a.title))
            for key in sorted(keys[a.id] & keys[b.id]):
                who = names[a.id].get(key, _("A speaker"))
                warnings[a.id].append(_("%(who)s also speaks at “%(title)s” at the same time.", who=who, title=b.title))
                warnings[b.id].append(_("%(who)s also speaks at “%(title)s” at the same time.", who=who, title=a.title))
    return dict(warnings)


def _speaker_keys_one(speaker: object) -> set[str]:
    registration_id = getattr(speaker, "registration_id", None)
    if registration_id is not None:
        return {f"r{registration_id}"}
    name = getattr(speaker, "name", "").strip()
    return {"n" + name.casefold()} if name else set()
