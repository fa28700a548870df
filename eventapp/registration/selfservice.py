"""What a registrant does with their private manage link, and removing people from a delegation."""

from __future__ import annotations

from flask_babel import gettext as _

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import Meeting, Registration, RegistrationStatus, User
from eventapp.models.base import utcnow
from eventapp.registration.capacity import lock_meeting, promote_waitlisted
from eventapp.registration.errors import RegistrationError
from eventapp.registration.notifications import notify_manage_link, notify_withdrawn
from eventapp.registration.people import PersonData, normalise_email
from eventapp.registration.store import ACTIVE, find_registration, update_person


def withdraw(registration: Registration, *, actor: User | None = None, reason: str = "") -> list[Registration]:
    """Withdraw a person; a place they held goes to the first waitlisted person who fits. Commits."""
    meeting = lock_meeting(registration.meeting_id)
    db.session.refresh(registration)
    if registration.status not in ACTIVE:
        raise RegistrationError(
            _("This registration is already %(status)s.", status=str(registration.status.label).lower())
        )
    before = registration.status
    registration.status = RegistrationStatus.WITHDRAWN
    registration.decided_at = utcnow()
    registration.waitlisted_at = None
    delegation = registration.delegation
    if delegation is not None and delegation.head_registration_id == registration.id:
        delegation.head_registration_id = None
    db.session.flush()
    record(
        "registration.withdraw",
        registration,
        actor=actor,
        meeting_id=meeting.id,
        reason=reason.strip()[:1000],
        details={"status": [before.value, RegistrationStatus.WITHDRAWN.value]},
    )
    notify_withdrawn(registration)
    promoted = promote_waitlisted(meeting) if before == RegistrationStatus.APPROVED else []
    db.session.commit()
    return promoted


def update_own_details(registration: Registration, data: PersonData) -> Registration:
    """The registrant's own changes through the manage link; the address stays the one registered."""
    data.email = registration.email
    # The self-service form does not ask these again; keep what the application said.
    data.country = registration.country
    data.motivation = registration.motivation
    return update_person(registration, data, actor=None)


def resend_manage_link(meeting: Meeting, email: str) -> None:
    """Email the manage link if the address is registered; say nothing either way (no leak)."""
    address = normalise_email(email)
    registration = find_registration(meeting.id, address)
    if registration is None:
        return
    notify_manage_link(registration)
    record("registration.resend_link", registration, meeting_id=meeting.id)
    db.session.commit()


def can_edit_now(registration: Registration) -> bool:
    deadline = registration.meeting.edit_deadline_at
    return registration.status in ACTIVE and (deadline is None or utcnow() < deadline)
