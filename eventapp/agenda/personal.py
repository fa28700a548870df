"""A registrant's personal agenda: the sessions they pick, within the access policy and capacity."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventapp.agenda.errors import AgendaError
from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import (
    Registration,
    RegistrationStatus,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionStatus,
)
from eventapp.registration.tokens import rotate_calendar_token


@dataclass
class PersonalItem:
    session: Session
    picked: bool
    taken: int
    #: Why the person cannot pick it ("" when they can).
    blocked: str

    @property
    def full(self) -> bool:
        return self.session.capacity is not None and self.taken >= self.session.capacity


def pick_refusal(registration: Registration, session: Session) -> str:
    """Why this registrant may not pick this session, or "" when they may (capacity aside)."""
    if registration.status != RegistrationStatus.APPROVED:
        return _("Sessions can be picked once your registration is approved.")
    if session.meeting_id != registration.meeting_id or not session.is_published:
        return _("This session is not on the agenda.")
    if not session.meeting.agenda_published:
        return _("The agenda is not published yet.")
    if session.status == SessionStatus.CANCELLED:
        return _("This session is cancelled.")
    if session.access == SessionAccess.DELEGATIONS and registration.delegation_id is None:
        return _("This session is for members' delegations only.")
    if session.access == SessionAccess.INVITATION:
        return _("This session is by invitation only; the hosts add those invited.")
    return ""


def _shows_to(registration: Registration, session: Session, picked: bool) -> bool:
    """Closed sessions show on the personal page only to those who may attend them."""
    if picked or session.access == SessionAccess.OPEN:
        return True
    return session.access == SessionAccess.DELEGATIONS and registration.delegation_id is not None


def personal_agenda(registration: Registration) -> list[PersonalItem]:
    """The meeting's published sessions this person may see, with their picks and places taken."""
    meeting = registration.meeting
    if not meeting.agenda_published:
        return []
    sessions = db.session.scalars(
        select(Session)
        .where(Session.meeting_id == meeting.id, Session.is_published.is_(True))
        .options(selectinload(Session.room), selectinload(Session.speakers).joinedload(SessionSpeaker.registration))
        .order_by(Session.starts_at, Session.position, Session.id)
    ).all()
    taken = dict(
        db.session.execute(
            select(SessionAttendance.session_id, func.count())
            .join(Session, Session.id == SessionAttendance.session_id)
            .where(Session.meeting_id == meeting.id)
            .group_by(SessionAttendance.session_id)
        ).all()
    )
    mine = set(
        db.session.scalars(
            select(SessionAttendance.session_id).where(SessionAttendance.registration_id == registration.id)
        )
    )
    items = []
    for s in sessions:
        picked = s.id in mine
        if _shows_to(registration, s, picked):
            items.append(
                PersonalItem(s, picked, int(taken.get(s.id, 0)), "" if picked else pick_refusal(registration, s))
            )
    return items


def pick_session(registration: Registration, session_id: int) -> Session:
    """Add a session to the person's agenda; the session row is locked so the last place goes once."""
    session = db.session.scalar(select(Session).where(Session.id == session_id).with_for_update())
    if session is None or session.meeting_id != registration.meeting_id:
        db.session.rollback()
        raise AgendaError(_("This session is not on the agenda."), field="session_id")
    refusal = pick_refusal(registration, session)
    if refusal:
        db.session.rollback()
        raise AgendaError(refusal, field="session_id")
    already = db.session.scalar(
        select(SessionAttendance.id).where(
            SessionAttendance.session_id == session.id, SessionAttendance.registration_id == registration.id
        )
    )
    if already is not None:
        db.session.rollback()
        return session
    if session.capacity is not None:
        taken = db.session.scalar(
            select(func.count()).select_from(SessionAttendance).where(SessionAttendance.session_id == session.id)
        )
        if (taken or 0) >= session.capacity:
            db.session.rollback()
            raise AgendaError(_("“%(title)s” is full.", title=session.title), field="session_id")
    db.session.add(SessionAttendance(session_id=session.id, registration_id=registration.id))
    record("attendance.pick", session, meeting_id=session.meeting_id, details={"registration_id": registration.id})
    try:
        db.session.commit()
    except IntegrityError:  # the same person picked it twice at once: one pick stands
        db.session.rollback()
    return session


def drop_session(registration: Registration, session_id: int) -> None:
    attendance = db.session.scalar(
        select(SessionAttendance).where(
            SessionAttendance.session_id == session_id, SessionAttendance.registration_id == registration.id
        )
    )
    if attendance is None:
        return
    db.session.delete(attendance)
    record(
        "attendance.drop",
        attendance.session,
        meeting_id=registration.meeting_id,
        details={"registration_id": registration.id},
    )
    db.session.commit()


def rotate_personal_feed(registration: Registration) -> str:
    """A new personal calendar address; the old one stops answering."""
    token = rotate_calendar_token(registration)
    record("calendar_token.rotate", registration, meeting_id=registration.meeting_id)
    db.session.commit()
    return token
