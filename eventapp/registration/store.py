"""Writing one person's registration row: insert and update, all-or-nothing with the photo file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eventapp.audit.services import changes, record
from eventapp.extensions import db
from eventapp.models import Meeting, Registration, RegistrationStatus, User
from eventapp.models.base import utcnow
from eventapp.registration.errors import DuplicateEmail, RegistrationError
from eventapp.registration.people import PersonData, clean_person, discard_photo, photo_kind, store_photo

T = TypeVar("T")

#: People who hold or wait for a place (counted against quotas; may still edit).
ACTIVE = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED)


def email_taken(meeting_id: int, email: str, *, except_id: int | None = None) -> bool:
    query = select(Registration.id).where(Registration.meeting_id == meeting_id, Registration.email == email)
    if except_id is not None:
        query = query.where(Registration.id != except_id)
    return db.session.scalar(query.limit(1)) is not None


def find_registration(meeting_id: int, email: str) -> Registration | None:
    return db.session.scalar(
        select(Registration).where(Registration.meeting_id == meeting_id, Registration.email == email)
    )


def person_values(meeting: Meeting, data: PersonData, *, except_id: int | None = None) -> dict[str, object]:
    """Checked column values; the photo is only checked here, and written by `write_atomically`."""
    values = clean_person(data, meeting_ends_on=meeting.ends_on)
    if data.photo:
        photo_kind(data.photo)
    if email_taken(meeting.id, str(values["email"]), except_id=except_id):
        raise DuplicateEmail(str(values["email"]))
    return values


def write_atomically(work: Callable[[str | None], T], *, photo: bytes | None, email: str) -> T:
    """Store the photo, run `work(photo_name)` and commit; on any failure undo both.

    A unique-constraint race (two sends of the same address at once) becomes DuplicateEmail.
    """
    photo_name = store_photo(photo) if photo else None
    try:
        result = work(photo_name)
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        discard_photo(photo_name)
        # Both SQLite and PostgreSQL name the (meeting_id, email) constraint's column in the message.
        if "email" in str(exc.orig).lower():
            raise DuplicateEmail(email) from exc
        raise
    except BaseException:
        db.session.rollback()
        discard_photo(photo_name)
        raise
    return result


def check_editable(registration: Registration, *, by_host: bool = False) -> None:
    """Details change until the meeting's edit deadline (hosts may always correct them)."""
    if registration.status not in ACTIVE:
        raise RegistrationError(
            _("This registration is %(status)s and cannot be changed.", status=str(registration.status.label).lower())
        )
    deadline = registration.meeting.edit_deadline_at
    if not by_host and deadline is not None and utcnow() >= deadline:
        raise RegistrationError(_("The deadline for changing details has passed. Please write to the secretariat."))


def update_person(
    registration: Registration, data: PersonData, *, actor: User | None, by_host: bool = False
) -> Registration:
    """Save changed details (audited with the list of fields, not their values) and commit."""
    check_editable(registration, by_host=by_host)
    values = person_values(registration.meeting, data, except_id=registration.id)
    old_photo = registration.photo_filename

    def work(photo_name: str | None) -> Registration:
        if photo_name:
            values["photo_filename"] = photo_name
        changed = changes(registration, values)
        db.session.flush()
        if changed:
            # Field names only: the audit log must not become a second copy of personal data.
            record(
                "registration.update",
                registration,
                actor=actor,
                meeting_id=registration.meeting_id,
                details={"fields": sorted(changed)},
            )
        return registration

    result = write_atomically(work, photo=data.photo, email=str(values["email"]))
    if data.photo and old_photo:
        discard_photo(old_photo)
    return result
