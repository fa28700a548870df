"""The hosts' agenda editor: sessions, their speakers, rescheduling, cancelling and publishing.

Every change goes through `_apply`, the one place that raises the iCalendar SEQUENCE when the
time, the room or the status of a session changes, so calendars replace what they hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.agenda.errors import AgendaError
from eventapp.audit.services import changes, record
from eventapp.extensions import db
from eventapp.models import (
    Meeting,
    Registration,
    RegistrationStatus,
    Room,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionStatus,
    SessionType,
    SpeakerRole,
    User,
)
from eventapp.models.base import utcnow
from eventapp.web.datetimes import zone_label
from eventapp.web.formatting import format_date

#: Changing any of these is a change of time, place or status: calendars must replace the event.
SEQUENCED_FIELDS = ("starts_at", "ends_at", "room_id", "status")


@dataclass
class SpeakerData:
    name: str = ""
    affiliation: str = ""
    role: SpeakerRole = SpeakerRole.SPEAKER
    registration_id: int | None = None


@dataclass
class SessionData:
    """Editable fields of a session. Local datetimes are wall-clock times in the meeting's zone."""

    title: str
    starts_local: datetime
    ends_local: datetime
    type: SessionType = SessionType.PLENARY
    description: str = ""
    room_id: int | None = None
    capacity: int | None = None
    access: SessionAccess = SessionAccess.OPEN
    status: SessionStatus = SessionStatus.CONFIRMED
    track: str = ""
    is_published: bool = True
    speakers: list[SpeakerData] = field(default_factory=list)
    #: The title in the six languages ({"fr": ...}); None leaves the stored ones as they are.
    title_translations: dict[str, str] | None = None


def local_to_utc(local: datetime, meeting: Meeting, field_name: str) -> datetime:
    """A wall-clock time in the meeting's zone as UTC; refuse times skipped by a clock change."""
    zone = meeting.zone
    aware = local.replace(tzinfo=zone)
    utc = aware.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local:
        raise AgendaError(
            _(
                "%(time)s on %(date)s does not exist in %(zone)s (the clocks go forward).",
                time=f"{local:%H:%M}",
                date=format_date(local.date()),
                zone=zone_label(meeting.timezone, local.date()),
            ),
            field=field_name,
        )
    return utc


def _room(meeting: Meeting, room_id: int | None) -> Room | None:
    if room_id is None:
        return None
    room = db.session.get(Room, room_id)
    if room is None or room.meeting_id != meeting.id:
        raise AgendaError(_("Choose one of this meeting's rooms."), field="room_id")
    return room


def _speakers(meeting: Meeting, items: list[SpeakerData]) -> list[SpeakerData]:
    wanted = {s.registration_id for s in items if s.registration_id is not None}
    if wanted:
        found = set(
            db.session.scalars(
                select(Registration.id).where(Registration.id.in_(wanted), Registration.meeting_id == meeting.id)
            )
        )
        if wanted - found:
            raise AgendaError(_("A linked speaker is not registered for this meeting."), field="speakers")
    cleaned = []
    for s in items:
        name = " ".join(s.name.split())
        if s.registration_id is None and not name:
            continue
        cleaned.append(SpeakerData(name, s.affiliation.strip(), s.role, s.registration_id))
    return cleaned


def clean_session_data(meeting: Meeting, data: SessionData) -> dict[str, Any]:
    """Check the rules for a session and return column values; raise AgendaError."""
    title = " ".join(data.title.split())
    if not title:
        raise AgendaError(_("Give the session a title."), field="title")
    starts_at = local_to_utc(data.starts_local, meeting, "starts_local")
    ends_at = local_to_utc(data.ends_local, meeting, "ends_local")
    if ends_at <= starts_at:
        raise AgendaError(_("The session must end after it starts."), field="ends_local")
    room = _room(meeting, data.room_id)
    if data.capacity is not None and data.capacity < 1:
        raise AgendaError(_("Capacity is a positive number, or empty for no limit."), field="capacity")
    if data.type == SessionType.CLOSED and data.access == SessionAccess.OPEN:
        raise AgendaError(_("A closed session cannot be open to all; choose who may attend."), field="access")
    return {
        "title": title,
        "description": data.description.strip(),
        "type": data.type,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "room_id": room.id if room else None,
        "capacity": data.capacity,
        "access": data.access,
        "status": data.status,
        "track": " ".join(data.track.split()),
        "is_published": data.is_published,
    } | ({"title_translations": data.title_translations} if data.title_translations is not None else {})


def _speaker_rows(items: list[SpeakerData]) -> list[tuple[Any, ...]]:
    return [(s.registration_id, s.name, s.affiliation, s.role.value) for s in items]


def _apply(session: Session, values: dict[str, Any], speakers: list[SpeakerData] | None = None) -> dict[str, Any]:
    """Write values (and speakers) to a session; bump SEQUENCE on time/place/status. Returns the changes."""
    changed: dict[str, Any] = changes(session, values)
    if speakers is not None:
        old = _speaker_rows([SpeakerData(s.name, s.affiliation, s.role, s.registration_id) for s in session.speakers])
        new = _speaker_rows(speakers)
        if old != new:
            changed["speakers"] = [old, new]
            session.speakers = [
                SessionSpeaker(
                    registration_id=s.registration_id, name=s.name, affiliation=s.affiliation, role=s.role, position=i
                )
                for i, s in enumerate(speakers)
            ]
    if session.id is not None and any(f in changed for f in SEQUENCED_FIELDS):
        session.sequence = (session.sequence or 0) + 1
        changed["sequence"] = [session.sequence - 1, session.sequence]
    if changed:
        # Speaker-only changes touch no column; feeds' validators read updated_at, so set it.
        session.updated_at = utcnow()
    return changed


def create_session(meeting: Meeting, data: SessionData, *, actor: User | None = None) -> Session:
    values = clean_session_data(meeting, data)
    speakers = _speakers(meeting, data.speakers)
    session = Session(meeting_id=meeting.id, sequence=0, **values)
    db.session.add(session)
    _apply(session, {}, speakers)
    db.session.flush()
    record("session.create", session, actor=actor, meeting_id=meeting.id, details={"title": session.title})
    db.session.commit()
    return session


def update_session(session: Session, data: SessionData, *, actor: User | None = None) -> dict[str, Any]:
    meeting = session.meeting
    values = clean_session_data(meeting, data)
    speakers = _speakers(meeting, data.speakers)
    changed = _apply(session, values, speakers)
    if changed:
        record("session.update", session, actor=actor, meeting_id=meeting.id, details=changed)
    db.session.commit()
    return changed


def reschedule_session(
    session: Session, starts_local: datetime, ends_local: datetime, *, actor: User | None = None
) -> dict[str, Any]:
    """Move a session (quick reschedule from the list); times in the meeting's zone."""
    meeting = session.meeting
    starts_at = local_to_utc(starts_local, meeting, "starts_local")
    ends_at = local_to_utc(ends_local, meeting, "ends_local")
    if ends_at <= starts_at:
        raise AgendaError(_("The session must end after it starts."), field="ends_local")
    changed = _apply(session, {"starts_at": starts_at, "ends_at": ends_at})
    if changed:
        record("session.reschedule", session, actor=actor, meeting_id=meeting.id, details=changed)
    db.session.commit()
    return changed


def set_session_status(session: Session, status: SessionStatus, *, actor: User | None = None) -> dict[str, Any]:
    """Cancel a session (it stays in feeds as cancelled) or restore it."""
    changed = _apply(session, {"status": status})
    if changed:
        action = "session.cancel" if status == SessionStatus.CANCELLED else "session.restore"
        record(action, session, actor=actor, meeting_id=session.meeting_id, details=changed)
    db.session.commit()
    return changed


def delete_session(session: Session, *, actor: User | None = None) -> None:
    """Remove a session entirely (cancelling is usually better: calendars are told)."""
    record(
        "session.delete",
        session,
        actor=actor,
        meeting_id=session.meeting_id,
        details={"title": session.title, "starts_at": session.starts_at},
    )
    db.session.delete(session)
    meeting = db.session.get(Meeting, session.meeting_id)
    if meeting is not None:
        meeting.updated_at = utcnow()  # a removed session must change the feeds' validators
    db.session.commit()


def set_agenda_published(meeting: Meeting, published: bool, *, actor: User | None = None) -> None:
    changed = changes(meeting, {"agenda_published": published})
    if changed:
        record("agenda.publish" if published else "agenda.unpublish", meeting, actor=actor, meeting_id=meeting.id)
    db.session.commit()


def editor_sessions(meeting: Meeting) -> list[Session]:
    """Every session of the meeting (drafts and cancelled included) for the editor."""
    query = (
        select(Session)
        .where(Session.meeting_id == meeting.id)
        .options(selectinload(Session.room), selectinload(Session.speakers).joinedload(SessionSpeaker.registration))
        .order_by(Session.starts_at, Session.position, Session.id)
    )
    return list(db.session.scalars(query))


def registrant_choices(meeting: Meeting) -> list[tuple[int, str]]:
    """Registrants who can be linked as speakers: approved ones and those still awaiting a decision."""
    query = (
        select(Registration)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status.in_([RegistrationStatus.APPROVED, RegistrationStatus.SUBMITTED]),
        )
        .order_by(Registration.name_sort_key, Registration.id)
    )
    return [(r.id, f"{r.full_name} ({r.organisation or r.email})") for r in db.session.scalars(query)]


def invitee_ids(session: Session) -> list[int]:
    query = select(SessionAttendance.registration_id).where(SessionAttendance.session_id == session.id)
    return list(db.session.scalars(query))


def set_invitees(session: Session, registration_ids: list[int], *, actor: User | None = None) -> dict[str, Any]:
    """Who is invited to an invitation-only session: they find it on their personal agenda and feed."""
    if session.access != SessionAccess.INVITATION:
        raise AgendaError(_("Only sessions by invitation have invitees."), field="invitees")
    wanted = set(registration_ids)
    if wanted:
        found = set(
            db.session.scalars(
                select(Registration.id).where(
                    Registration.id.in_(wanted), Registration.meeting_id == session.meeting_id
                )
            )
        )
        if wanted - found:
            raise AgendaError(_("Invite people registered for this meeting."), field="invitees")
    current = {
        a.registration_id: a
        for a in db.session.scalars(select(SessionAttendance).where(SessionAttendance.session_id == session.id))
    }
    added, removed = sorted(wanted - set(current)), sorted(set(current) - wanted)
    for registration_id in added:
        db.session.add(SessionAttendance(session_id=session.id, registration_id=registration_id))
    for registration_id in removed:
        db.session.delete(current[registration_id])
    changed: dict[str, Any] = {}
    if added or removed:
        changed = {"invited": added, "uninvited": removed}
        record("session.invitees", session, actor=actor, meeting_id=session.meeting_id, details=changed)
    db.session.commit()
    return changed
