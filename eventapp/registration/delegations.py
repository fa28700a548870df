"""Members' delegations: invitations from the secretariat, and the people a focal point registers."""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import (
    Delegation,
    Meeting,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Role,
    User,
)
from eventapp.models.base import utcnow
from eventapp.registration.capacity import lock_meeting, place_or_waitlist, promote_waitlisted
from eventapp.registration.errors import RegistrationClosed, RegistrationError
from eventapp.registration.notifications import interface_locale, notify_invitation, notify_submitted
from eventapp.registration.people import PersonData
from eventapp.registration.store import ACTIVE, person_values, write_atomically


def hash_token(token: str) -> str:
    """Only this digest is stored, so a database leak does not hand out working invitation links."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token(delegation: Delegation) -> str:
    token = secrets.token_urlsafe(32)
    delegation.invitation_token_hash = hash_token(token)
    delegation.invited_at = utcnow()
    delegation.invitation_revoked_at = None
    return token


def _focal_points(member_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.member_id == member_id, User.role == Role.FOCAL_POINT, User.is_active_account.is_(True)
            )
        )
    )


def invite_all_members(meeting: Meeting, *, actor: User | None) -> list[tuple[Delegation, str]]:
    """Make a delegation with a live invitation for every member that has none; email their focal points.

    Returns the new (delegation, token) pairs: the tokens are shown once and never stored.
    """
    existing = {
        d.member_id: d for d in db.session.scalars(select(Delegation).where(Delegation.meeting_id == meeting.id))
    }
    issued: list[tuple[Delegation, str]] = []
    for member in db.session.scalars(select(Member).order_by(Member.sort_name)):
        delegation = existing.get(member.id)
        if delegation is None:
            delegation = Delegation(meeting=meeting, member=member)
            db.session.add(delegation)
        elif delegation.invitation_token_hash is not None or delegation.invitation_revoked_at is not None:
            continue  # live already, or revoked on purpose: re-invite one by one
        issued.append((delegation, _new_token(delegation)))
    db.session.flush()
    for delegation, token in issued:
        notify_invitation(delegation, token, _focal_points(delegation.member_id))
    record("delegation.invite_all", meeting, actor=actor, meeting_id=meeting.id, details={"invited": len(issued)})
    db.session.commit()
    return issued


def reinvite(delegation: Delegation, *, actor: User | None) -> str:
    """A fresh invitation link; the previous one stops working."""
    token = _new_token(delegation)
    db.session.flush()
    notify_invitation(delegation, token, _focal_points(delegation.member_id))
    record("delegation.reinvite", delegation, actor=actor, meeting_id=delegation.meeting_id)
    db.session.commit()
    return token


def revoke_invitation(delegation: Delegation, *, actor: User | None) -> None:
    delegation.invitation_token_hash = None
    delegation.invitation_revoked_at = utcnow()
    record("delegation.revoke", delegation, actor=actor, meeting_id=delegation.meeting_id)
    db.session.commit()


def delegation_for_token(token: str) -> Delegation | None:
    """The delegation a live invitation token opens, or None."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(Delegation).where(Delegation.invitation_token_hash == hash_token(token)))


def mark_invitation_used(delegation: Delegation) -> None:
    if delegation.invitation_used_at is None:
        delegation.invitation_used_at = utcnow()
        record("delegation.invitation_used", delegation, meeting_id=delegation.meeting_id)
        db.session.commit()


def is_invited(delegation: Delegation) -> bool:
    return delegation.invitation_token_hash is not None and delegation.invitation_revoked_at is None


def delegations_of_member(member_id: int) -> list[Delegation]:
    """A focal point's account page: their member's live invitations, latest meeting first."""
    rows = db.session.scalars(
        select(Delegation)
        .join(Meeting, Delegation.meeting_id == Meeting.id)
        .where(
            Delegation.member_id == member_id,
            Delegation.invitation_token_hash.is_not(None),
            Delegation.invitation_revoked_at.is_(None),
        )
        .options(selectinload(Delegation.meeting), selectinload(Delegation.registrations))
        .order_by(Meeting.starts_on.desc())
    )
    return list(rows)


def delegations_of_meeting(meeting: Meeting) -> list[Delegation]:
    return list(
        db.session.scalars(
            select(Delegation)
            .join(Member, Delegation.member_id == Member.id)
            .where(Delegation.meeting_id == meeting.id)
            .options(
                selectinload(Delegation.member),
                selectinload(Delegation.registrations),
                selectinload(Delegation.head),
            )
            .order_by(Member.sort_name)
        )
    )


def people(delegation: Delegation) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.delegation_id == delegation.id)
            .order_by(Registration.created_at, Registration.id)
        )
    )


def places_used(delegation: Delegation) -> int:
    return (
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.delegation_id == delegation.id, Registration.status.in_(ACTIVE)
            )
        )
        or 0
    )


def add_delegate(
    delegation: Delegation,
    data: PersonData,
    *,
    actor: User | None,
    make_head: bool = False,
    by_host: bool = False,
    locale: str | None = None,
) -> Registration:
    """Register one person in the delegation: approved at once (or waitlisted when the meeting is full),
    or submitted for review when the meeting requires host approval.

    `locale`: the person's language for their emails; by default the interface language of whoever registers them.
    """
    meeting = delegation.meeting
    if not by_host and not meeting.registration_is_open():
        raise RegistrationClosed(_("Registration for this meeting is not open."))
    values = person_values(meeting, data)

    def work(photo_name: str | None) -> Registration:
        locked = lock_meeting(meeting.id)
        if places_used(delegation) >= delegation.quota:
            raise RegistrationError(
                _(
                    "The delegation has used all its %(quota)d places. Remove someone first, "
                    "or ask the hosts for more places.",
                    quota=delegation.quota,
                )
            )
        registration = Registration(
            meeting_id=meeting.id,
            delegation_id=delegation.id,
            category=RegistrationCategory.DELEGATE,
            status=RegistrationStatus.SUBMITTED,
            consent_data_processing=True,
            locale=locale or interface_locale(),
            photo_filename=photo_name,
            **values,
        )
        registration.meeting = locked
        db.session.add(registration)
        db.session.flush()
        if not locked.requires_host_approval:
            place_or_waitlist(registration, locked, actor=actor, reason="Registered by the member's focal point.")
        if make_head or delegation.head_registration_id is None:
            delegation.head_registration_id = registration.id
        record(
            "registration.delegate_add",
            registration,
            actor=actor,
            meeting_id=meeting.id,
            details={"delegation": delegation.id, "status": registration.status.value},
        )
        notify_submitted(registration)
        return registration

    return write_atomically(work, photo=data.photo, email=str(values["email"]))


def set_head(delegation: Delegation, registration: Registration, *, actor: User | None) -> None:
    if registration.delegation_id != delegation.id or registration.status not in ACTIVE:
        raise RegistrationError(_("Only a registered member of this delegation can head it."))
    delegation.head_registration_id = registration.id
    record(
        "delegation.head", delegation, actor=actor, meeting_id=delegation.meeting_id, details={"head": registration.id}
    )
    db.session.commit()


def set_quota(delegation: Delegation, quota: int | None, *, actor: User | None) -> list[Registration]:
    """A host gives one delegation more (or back the default) places; frees fill from the waiting list."""
    lock_meeting(delegation.meeting_id)
    if quota is not None and quota < 1:
        raise RegistrationError(_("A delegation needs at least one place."), field="quota")
    effective = quota if quota is not None else delegation.meeting.delegation_quota
    used = places_used(delegation)
    if effective < used:
        raise RegistrationError(
            ngettext(
                "%(num)d person is registered already; remove someone first.",
                "%(num)d people are registered already; remove some first.",
                used,
            ),
            field="quota",
        )
    old = delegation.quota_override
    delegation.quota_override = quota
    record(
        "delegation.quota", delegation, actor=actor, meeting_id=delegation.meeting_id, details={"quota": [old, quota]}
    )
    promoted = promote_waitlisted(delegation.meeting)
    db.session.commit()
    return promoted
