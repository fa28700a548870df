"""Public applications and the hosts' decisions on them (and on delegation entries awaiting approval)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import (
    APPLICATION_CATEGORIES,
    Delegation,
    Meeting,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    User,
)
from eventapp.models.base import N_, utcnow
from eventapp.registration.capacity import lock_meeting, place_or_waitlist, promote_waitlisted
from eventapp.registration.errors import DuplicateEmail, RegistrationClosed, RegistrationError
from eventapp.registration.notifications import interface_locale, notify_decision, notify_submitted
from eventapp.registration.people import PersonData, clean_person, discard_photo, photo_kind
from eventapp.registration.store import find_registration, write_atomically
from eventapp.registration.tokens import make_manage_token, revoke_manage_tokens
from eventapp.web.pagination import paginate

#: The page an applicant lands on says so (a msgid: each side translates it in the reader's language).
SUBMITTED_MESSAGE = N_("Thank you: your application was received. We also sent this page's link to your email.")

APPROVE = "approve"
DECLINE = "decline"
#: A host keeps an application on the waiting list without a place being full (the person's page offers it).
WAITLIST = "waitlist"
DECISIONS = (APPROVE, DECLINE, WAITLIST)


@dataclass
class Submitted:
    registration: Registration
    #: The applicant's manage link token, for the page they land on.
    manage_token: str


def submit_application(
    meeting: Meeting,
    category: str,
    data: PersonData,
    *,
    consent_data_processing: bool,
    consent_participant_list: bool,
    locale: str | None = None,
) -> Submitted:
    """Store a public application as submitted, email the applicant, commit.

    `locale`: the applicant's language for their emails; by default the interface language in use.
    """
    row = application_row(
        meeting,
        category,
        data,
        consent_data_processing=consent_data_processing,
        consent_participant_list=consent_participant_list,
        locale=locale or interface_locale(),
    )

    def work(photo_name: str | None) -> Submitted:
        registration = Registration(photo_filename=photo_name, **row)
        registration.meeting = meeting
        db.session.add(registration)
        db.session.flush()
        record("registration.submit", registration, meeting_id=meeting.id, details=submit_details(registration))
        # Made now, while the row is loaded: after the commit it would cost another query.
        token = make_manage_token(registration)
        notify_submitted(registration, manage_token=token)
        return Submitted(registration, token)

    try:
        return write_atomically(work, photo=data.photo, email=str(row["email"]))
    except DuplicateEmail:
        earlier = find_registration(meeting.id, str(row["email"]))
        if earlier is None or earlier.status != RegistrationStatus.WITHDRAWN or earlier.delegation_id is not None:
            raise
    return _apply_again(earlier, row, photo=data.photo)


def application_row(
    meeting: Meeting,
    category: str,
    data: PersonData,
    *,
    consent_data_processing: bool,
    consent_participant_list: bool,
    locale: str,
) -> dict[str, Any]:
    """The checked column values of a new application (all but the photo's file name).

    Raises RegistrationClosed, or RegistrationError naming the field at fault. Nothing is read or
    written: the (meeting, email) unique constraint answers "is this address taken?" at the insert.
    """
    if not meeting.registration_is_open():
        raise RegistrationClosed(_("Registration for this meeting is not open."))
    try:
        chosen = RegistrationCategory(category)
    except ValueError:
        chosen = None
    if chosen not in APPLICATION_CATEGORIES:
        raise RegistrationError(_("Choose one of the categories listed."), field="category")
    if not consent_data_processing:
        raise RegistrationError(
            _("We can only take your application if you agree to the processing of your data."),
            field="consent_data_processing",
        )
    if not data.organisation.strip():
        raise RegistrationError(_("Name your organisation."), field="organisation")
    if not data.motivation.strip():
        raise RegistrationError(_("Tell us in a few lines why you wish to take part."), field="motivation")
    if not (data.country or "").strip():
        raise RegistrationError(_("Choose the country you work in."), field="country")
    values = clean_person(data, meeting_ends_on=meeting.ends_on)
    if data.photo:
        photo_kind(data.photo)
    return {
        **values,
        "meeting_id": meeting.id,
        "category": chosen,
        "status": RegistrationStatus.SUBMITTED,
        "consent_data_processing": True,
        "consent_participant_list": bool(consent_participant_list),
        "locale": locale,
    }


def submit_details(registration: Registration) -> dict[str, Any]:
    """What the audit entry of a new application records besides who and when."""
    return {"category": registration.category.value}


def _apply_again(registration: Registration, row: dict[str, Any], *, photo: bytes | None) -> Submitted:
    """Someone who withdrew their application applies again: the same record, submitted anew.

    Only withdrawn public applications: a declined person stays declined (a host decided), and
    delegates come back through their focal point. Links issued before stop working.
    """
    old_photo = registration.photo_filename

    def work(photo_name: str | None) -> Submitted:
        for name, value in row.items():
            setattr(registration, name, value)
        registration.decided_at = registration.decided_by_id = registration.waitlisted_at = None
        registration.decision_reason = ""
        if photo_name:
            registration.photo_filename = photo_name
        revoke_manage_tokens(registration)
        db.session.flush()
        record(
            "registration.submit",
            registration,
            meeting_id=registration.meeting_id,
            details={**submit_details(registration), "status": [RegistrationStatus.WITHDRAWN.value, "submitted"]},
        )
        token = make_manage_token(registration)
        notify_submitted(registration, manage_token=token)
        return Submitted(registration, token)

    submitted = write_atomically(work, photo=photo, email=registration.email)
    if photo and old_photo:
        discard_photo(old_photo)
    return submitted


@dataclass
class DecisionResult:
    approved: list[Registration] = field(default_factory=list)
    waitlisted: list[Registration] = field(default_factory=list)
    declined: list[Registration] = field(default_factory=list)
    promoted: list[Registration] = field(default_factory=list)
    #: People whose state does not allow the decision (already withdrawn, declined...).
    skipped: list[Registration] = field(default_factory=list)


ALLOWED_FROM = {
    APPROVE: (RegistrationStatus.SUBMITTED, RegistrationStatus.WAITLISTED),
    DECLINE: (RegistrationStatus.SUBMITTED, RegistrationStatus.WAITLISTED, RegistrationStatus.APPROVED),
    WAITLIST: (RegistrationStatus.SUBMITTED,),
}


def decide(
    meeting: Meeting, registration_ids: list[int], decision: str, *, actor: User | None, reason: str = ""
) -> DecisionResult:
    """Approve (or waitlist when full) or decline several people in one transaction; audited, emailed."""
    if decision not in DECISIONS:
        raise RegistrationError(_("Choose approve or decline."), field="action")
    reason = reason.strip()
    if decision == DECLINE and not reason:
        raise RegistrationError(_("Give the reason for declining; the applicant will read it."), field="reason")
    if len(reason) > 1000:
        raise RegistrationError(_("Keep the reason under %(limit)d characters.", limit=1000), field="reason")
    if not registration_ids:
        raise RegistrationError(_("Tick at least one person."), field="selected")
    locked = lock_meeting(meeting.id)
    people = db.session.scalars(
        select(Registration)
        .where(Registration.meeting_id == locked.id, Registration.id.in_(registration_ids))
        .order_by(Registration.created_at, Registration.id)
        .execution_options(populate_existing=True)
    ).all()
    result = DecisionResult()
    freed = False
    for person in people:
        before = person.status
        if before not in ALLOWED_FROM[decision]:
            result.skipped.append(person)
            continue
        if decision == APPROVE:
            if place_or_waitlist(person, locked, actor=actor, reason=reason):
                result.approved.append(person)
            elif before == RegistrationStatus.WAITLISTED:
                result.skipped.append(person)  # still no place: stays where it was in the queue
                continue
            else:
                result.waitlisted.append(person)
        elif decision == WAITLIST:
            person.status = RegistrationStatus.WAITLISTED
            person.decision_reason = reason
            person.decided_by_id = actor.id if actor is not None else None
            person.decided_at = person.waitlisted_at = utcnow()
            result.waitlisted.append(person)
        else:
            person.status = RegistrationStatus.DECLINED
            person.decision_reason = reason
            person.decided_by_id = actor.id if actor is not None else None
            person.decided_at = utcnow()
            person.waitlisted_at = None
            freed = freed or before == RegistrationStatus.APPROVED
            if person.delegation is not None and person.delegation.head_registration_id == person.id:
                person.delegation.head_registration_id = None
            result.declined.append(person)
        record(
            f"registration.{person.status.value}",
            person,
            actor=actor,
            meeting_id=locked.id,
            reason=reason,
            details={"status": [before.value, person.status.value]},
        )
        notify_decision(person)
    if freed:
        result.promoted = promote_waitlisted(locked)
    db.session.commit()
    return result


def review_queue(meeting: Meeting, args: Mapping[str, str], *, status: str = "", category: str = "") -> Pagination:
    """The page `args` asks for of everyone registered, filtered, oldest first, with their delegation's member."""
    query = (
        select(Registration)
        .where(Registration.meeting_id == meeting.id)
        .options(selectinload(Registration.delegation).joinedload(Delegation.member))
        .order_by(Registration.created_at, Registration.id)
    )
    if status in {s.value for s in RegistrationStatus}:
        query = query.where(Registration.status == RegistrationStatus(status))
    if category in {c.value for c in RegistrationCategory}:
        query = query.where(Registration.category == RegistrationCategory(category))
    return paginate(query, args)
