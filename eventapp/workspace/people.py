"""One participant as the hosts see them: their history, staff notes, and people the hosts add by hand.

Every change goes through the registration, badge and check-in services; this module only
gathers what the person's page shows and adds what those services do not have (staff notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from eventapp.audit.services import record
from eventapp.badges.services import reissue_badge
from eventapp.checkin.services import ENTRANCE
from eventapp.extensions import db
from eventapp.models import (
    AuditLog,
    Badge,
    CheckIn,
    Delegation,
    Meeting,
    Presence,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    StaffNote,
    User,
)
from eventapp.registration.capacity import lock_meeting, place_or_waitlist
from eventapp.registration.errors import RegistrationError
from eventapp.registration.notifications import notify_decision, notify_submitted
from eventapp.registration.people import PersonData
from eventapp.registration.store import person_values, write_atomically
from eventapp.web.text import text_problem

NOTE_LIMIT = 2000


def find_participant(meeting: Meeting, registration_id: int) -> Registration | None:
    """The registration if it belongs to this meeting, with its delegation's member."""
    return db.session.scalar(
        sa.select(Registration)
        .where(Registration.id == registration_id, Registration.meeting_id == meeting.id)
        .options(selectinload(Registration.delegation).joinedload(Delegation.member))
    )


#: How the history names each audited action and scan; an action not listed shows as recorded.
EVENT_LABELS = {
    "registration.submit": _l("Applied"),
    "registration.delegate_add": _l("Registered by the delegation"),
    "registration.staff_add": _l("Registered by the hosts"),
    "registration.approved": _l("Approved"),
    "registration.waitlisted": _l("Put on the waiting list"),
    "registration.declined": _l("Declined"),
    "registration.withdraw": _l("Withdrawn"),
    "registration.promote": _l("Moved up from the waiting list"),
    "registration.update": _l("Details changed"),
    "registration.resend_link": _l("Private link sent again"),
    "registration.note": _l("Staff note kept"),
    "badge.reissue": _l("Badge reissued"),
    "checkin.in": _l("Entry scanned"),
    "checkin.out": _l("Exit scanned"),
}


@dataclass
class Event:
    """One line of a person's history: an audit entry or a scan at a checkpoint."""

    at: datetime
    action: str
    who: str
    detail: str

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


def _status_label(value: str) -> str:
    try:
        return RegistrationStatus(value).label
    except ValueError:
        return value


def _audit_detail(entry: AuditLog) -> str:
    details = entry.details or {}
    parts = [entry.reason] if entry.reason else []
    if isinstance(details.get("status"), list):
        parts.append(" → ".join(_status_label(str(v)) for v in details["status"]))
    if isinstance(details.get("fields"), list):
        parts.append(", ".join(str(f) for f in details["fields"]))
    return " · ".join(parts)


def history(registration: Registration) -> list[Event]:
    """The person's audit entries (their registration and their badges) and scans, oldest first."""
    badge_ids = select_ids(sa.select(Badge.id).where(Badge.registration_id == registration.id))
    about = sa.and_(AuditLog.entity_type == "Registration", AuditLog.entity_id == registration.id)
    if badge_ids:
        about = sa.or_(about, sa.and_(AuditLog.entity_type == "Badge", AuditLog.entity_id.in_(badge_ids)))
    entries = db.session.scalars(
        sa.select(AuditLog).where(about).options(selectinload(AuditLog.actor)).order_by(AuditLog.at, AuditLog.id)
    ).all()
    events = [
        Event(e.at, e.action, (e.actor.name or e.actor.email) if e.actor else "", _audit_detail(e)) for e in entries
    ]
    scans = db.session.scalars(
        sa.select(CheckIn).where(CheckIn.registration_id == registration.id).order_by(CheckIn.scanned_at, CheckIn.id)
    ).all()
    events += [
        Event(
            s.scanned_at, f"checkin.{s.direction.value}", s.device, " · ".join(filter(None, (s.result.label, s.reason)))
        )
        for s in scans
    ]
    return sorted(events, key=lambda e: e.at)


def select_ids(query: sa.Select[tuple[int]]) -> list[int]:
    return list(db.session.scalars(query))


def is_inside(registration: Registration) -> bool:
    """Whether the person is inside the venue now (entered at the entrance and not left)."""
    return bool(
        db.session.scalar(
            sa.select(Presence.inside).where(
                Presence.registration_id == registration.id, Presence.checkpoint == ENTRANCE
            )
        )
    )


def live_badge(registration: Registration) -> Badge | None:
    return db.session.scalar(
        sa.select(Badge).where(Badge.registration_id == registration.id, Badge.revoked_at.is_(None))
    )


def notes_of(registration: Registration) -> list[StaffNote]:
    return list(
        db.session.scalars(
            sa.select(StaffNote)
            .where(StaffNote.registration_id == registration.id)
            .options(selectinload(StaffNote.author))
            .order_by(StaffNote.created_at.desc(), StaffNote.id.desc())
        )
    )


def add_note(registration: Registration, body: str, *, author: User) -> StaffNote:
    """Keep a staff note about the person; audited without its text (the note is the record). Commits."""
    text = body.strip()
    if not text:
        raise RegistrationError(_("Write the note first."), field="body")
    if len(text) > NOTE_LIMIT:
        raise RegistrationError(_("Keep this under %(limit)d characters.", limit=NOTE_LIMIT), field="body")
    if problem := text_problem(text, multiline=True):
        raise RegistrationError(problem, field="body")
    note = StaffNote(registration_id=registration.id, author_id=author.id, body=text)
    db.session.add(note)
    db.session.flush()
    record("registration.note", registration, actor=author, meeting_id=registration.meeting_id)
    db.session.commit()
    return note


def new_badge(registration: Registration, *, actor: User) -> Badge:
    """A replacement badge for a lost one (the old one stops opening doors). Commits."""
    badge = reissue_badge(registration)
    record("badge.reissue", badge, actor=actor, meeting_id=registration.meeting_id)
    db.session.commit()
    return badge


def staff_category(value: str) -> RegistrationCategory:
    """A category the hosts may register by hand; delegates come through their member's delegation."""
    try:
        category = RegistrationCategory(value)
    except ValueError:
        category = None
    if category is None or category == RegistrationCategory.DELEGATE:
        raise RegistrationError(_("Choose one of the categories listed."), field="category")
    return category


def add_by_staff(
    meeting: Meeting,
    category: str,
    data: PersonData,
    *,
    actor: User,
    consent_data_processing: bool,
    consent_participant_list: bool,
    approve: bool,
    locale: str,
) -> Registration:
    """Register a walk-in, a guest or host staff: the checks of every registration, open or closed.

    Approved at once when asked and a place is free (else on the waiting list); the person gets
    the usual email in `locale`. All or nothing with the photo; commits.
    """
    chosen = staff_category(category)
    if not consent_data_processing:
        raise RegistrationError(
            _("We can only register the person if they agree to the processing of their data."),
            field="consent_data_processing",
        )
    if not data.organisation.strip():
        raise RegistrationError(_("Name the person's organisation."), field="organisation")
    values = person_values(meeting, data)

    def work(photo_name: str | None) -> Registration:
        registration = Registration(
            meeting_id=meeting.id,
            category=chosen,
            status=RegistrationStatus.SUBMITTED,
            consent_data_processing=True,
            consent_participant_list=bool(consent_participant_list),
            locale=locale,
            photo_filename=photo_name,
            **values,
        )
        db.session.add(registration)
        db.session.flush()
        record(
            "registration.staff_add",
            registration,
            actor=actor,
            meeting_id=meeting.id,
            details={"category": chosen.value},
        )
        if approve:
            locked = lock_meeting(meeting.id)
            place_or_waitlist(registration, locked, actor=actor, reason="Registered by the hosts.")
            record(
                f"registration.{registration.status.value}",
                registration,
                actor=actor,
                meeting_id=meeting.id,
                details={"status": [RegistrationStatus.SUBMITTED.value, registration.status.value]},
            )
            notify_decision(registration)
        else:
            notify_submitted(registration)
        return registration

    return write_atomically(work, photo=data.photo, email=str(values["email"]))
