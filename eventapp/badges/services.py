"""Issuing, reissuing and selecting badges."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from eventapp.badges.tokens import ensure_meeting_key, make_token, new_token_id
from eventapp.extensions import db
from eventapp.models import Badge, Delegation, Meeting, Registration, RegistrationCategory, RegistrationStatus
from eventapp.models.base import utcnow


class BadgeError(ValueError):
    """A badge cannot be issued (for example, the registration is not approved)."""


def issue_badge(registration: Registration) -> Badge:
    """The registrant's one live badge, made the first time (the caller commits)."""
    if registration.status != RegistrationStatus.APPROVED:
        raise BadgeError(_("Only approved registrants get a badge."))
    return issue_badges([registration])[registration.id]


def reissue_badge(registration: Registration) -> Badge:
    """A new badge for a lost one: the old token is revoked at once (the caller commits)."""
    if registration.status != RegistrationStatus.APPROVED:
        raise BadgeError(_("Only approved registrants get a badge."))
    now = utcnow()
    for old in db.session.scalars(
        sa.select(Badge).where(Badge.registration_id == registration.id, Badge.revoked_at.is_(None))
    ):
        old.revoked_at = now
    db.session.flush()
    return issue_badge(registration)


def badge_token(badge: Badge) -> str:
    return make_token(badge.registration.meeting, badge.token_id)


def approved_query(meeting: Meeting, category: str | None = None) -> sa.Select[tuple[Registration]]:
    """Approved registrants of a meeting in print order, each with the member of their delegation."""
    query = (
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.APPROVED)
        .options(selectinload(Registration.delegation).joinedload(Delegation.member))
        .order_by(Registration.name_sort_key, Registration.id)
    )
    if category:
        query = query.where(Registration.category == RegistrationCategory(category))
    return query


def approved_registrations(
    meeting: Meeting, category: str | None = None, ids: Sequence[int] | None = None
) -> list[Registration]:
    """Approved registrants of a meeting in print order (delegations by member, then the rest)."""
    query = approved_query(meeting, category)
    if ids is not None:
        query = query.where(Registration.id.in_(list(ids)))
    return list(db.session.scalars(query))


def live_badges(ids: Sequence[int]) -> dict[int, Badge]:
    """The live badge of each of these registrations that has one, by registration id."""
    query = sa.select(Badge).where(Badge.registration_id.in_(list(ids)), Badge.revoked_at.is_(None))
    return {b.registration_id: b for b in db.session.scalars(query)}


def _add_live_badges(registrations: Sequence[Registration]) -> None:
    """Insert a live badge for each registration that has none, whoever made the one it has.

    The partial unique index allows one live badge per registration; ON CONFLICT DO NOTHING (the
    same in SQLite and PostgreSQL) leaves out those another request has just made, after waiting
    for its commit. Rows go in registration order, so two overlapping inserts never deadlock.
    """
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(Badge).on_conflict_do_nothing(
        index_elements=[Badge.registration_id], index_where=Badge.revoked_at.is_(None)
    )
    now = utcnow()
    rows = [
        {"registration_id": i, "token_id": new_token_id(), "issued_at": now}
        for i in sorted(r.id for r in registrations)
    ]
    db.session.execute(insert, rows)


def issue_badges(registrations: Sequence[Registration]) -> dict[int, Badge]:
    """Live badges for many registrants in few queries (the caller commits)."""
    if not registrations:
        return {}
    ensure_meeting_key(registrations[0].meeting)
    ids = [r.id for r in registrations]
    live = live_badges(ids)
    missing = [r for r in registrations if r.id not in live]
    if not missing:
        return live
    _add_live_badges(missing)
    return live_badges(ids)
