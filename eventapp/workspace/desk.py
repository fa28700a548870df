"""The desk on the day: who is inside and who has not arrived, checking in by hand, the attendance export.

Checking in by hand is a scan of the person's badge at the entrance through `checkin.services.scan`,
the one path every door takes; a person without a badge yet gets theirs made first.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from eventapp.badges.services import badge_token, issue_badge
from eventapp.checkin.services import ENTRANCE, ScanOutcome, scan
from eventapp.extensions import db
from eventapp.models import (
    CheckIn,
    Delegation,
    Direction,
    Meeting,
    Member,
    Presence,
    Registration,
    RegistrationStatus,
    ScanResult,
    User,
)
from eventapp.reports.exports import neutralise
from eventapp.web.pagination import paginate

#: Which people the desk lists.
SHOW_ALL, SHOW_INSIDE, SHOW_NOT_ARRIVED = "all", "inside", "not_arrived"
SHOWS = (SHOW_ALL, SHOW_INSIDE, SHOW_NOT_ARRIVED)


# The collation key kept on every write, which ix_registrations_meeting_status_sort_key serves.
_BY_NAME = (Registration.name_sort_key, Registration.id)


@dataclass
class DeskCounts:
    approved: int
    inside: int
    arrived: int

    @property
    def not_arrived(self) -> int:
        return self.approved - self.arrived


def _inside_now() -> sa.ColumnElement[bool]:
    return sa.exists().where(
        Presence.registration_id == Registration.id, Presence.checkpoint == ENTRANCE, Presence.inside
    )


def arrived_at_entrance() -> sa.ColumnElement[bool]:
    """Admitted at the entrance at least once (whether inside now or gone for the day).

    The one rule for "arrived" (the desk and the messages' audience); an exit scan alone is no arrival.
    """
    return sa.exists().where(
        CheckIn.registration_id == Registration.id,
        CheckIn.checkpoint == ENTRANCE,
        CheckIn.result == ScanResult.ADMITTED,
    )


def _approved(meeting: Meeting) -> sa.Select[tuple[Registration]]:
    return (
        sa.select(Registration)
        .outerjoin(Delegation, Delegation.id == Registration.delegation_id)
        .outerjoin(Member, Member.id == Delegation.member_id)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.APPROVED)
    )


def desk_page(meeting: Meeting, args: Mapping[str, str]) -> Pagination:
    """The page of approved people the desk asks for: `q` searches name, organisation, member; `show` filters."""
    query = _approved(meeting).options(selectinload(Registration.delegation).joinedload(Delegation.member))
    q = " ".join(args.get("q", "").split())[:200]
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            sa.or_(
                sa.func.lower(Registration.given_name + " " + Registration.family_name).like(like),
                sa.func.lower(Registration.family_name + " " + Registration.given_name).like(like),
                sa.func.lower(Registration.organisation).like(like),
                sa.func.lower(Registration.email).like(like),
                sa.func.lower(Member.name).like(like),
                sa.func.lower(Member.code).like(like),
            )
        )
    show = args.get("show", SHOW_ALL)
    if show == SHOW_INSIDE:
        query = query.where(_inside_now())
    elif show == SHOW_NOT_ARRIVED:
        query = query.where(~arrived_at_entrance())
    return paginate(query.order_by(*_BY_NAME), args)


def inside_ids(meeting: Meeting, ids: list[int]) -> set[int]:
    """Which of these people are inside the venue now."""
    if not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Presence.registration_id).where(
                Presence.meeting_id == meeting.id,
                Presence.checkpoint == ENTRANCE,
                Presence.inside,
                Presence.registration_id.in_(ids),
            )
        )
    )


def _approved_count(meeting: Meeting) -> sa.Select[tuple[int]]:
    return _approved(meeting).with_only_columns(sa.func.count(Registration.id))


def inside_count(meeting: Meeting) -> int:
    """Approved people inside the venue now: the desk's and the Overview's figure."""
    return db.session.scalar(_approved_count(meeting).where(_inside_now())) or 0


def desk_counts(meeting: Meeting) -> DeskCounts:
    approved = _approved_count(meeting)
    return DeskCounts(
        approved=db.session.scalar(approved) or 0,
        inside=inside_count(meeting),
        arrived=db.session.scalar(approved.where(arrived_at_entrance())) or 0,
    )


def move_by_hand(meeting: Meeting, registration: Registration, direction: Direction, *, by: User) -> ScanOutcome:
    """Check the person in or out at the entrance as if their badge were scanned. Commits.

    Raises BadgeError when the person is not approved (no badge can be made for them).
    """
    badge = issue_badge(registration)
    return scan(
        meeting,
        token=badge_token(badge),
        checkpoint=ENTRANCE,
        direction=direction,
        nonce=f"desk-{secrets.token_hex(16)}",
        device=f"desk: {by.name or by.email}",
        user_id=by.id,
    )


ATTENDANCE_COLUMNS = (
    "ID",
    "Given name",
    "Family name",
    "Organisation",
    "Member",
    "Category",
    "Inside now",
    "First entry (UTC)",
    "Last exit (UTC)",
)


def attendance_csv(meeting: Meeting) -> bytes:
    """Every approved person with whether they are inside and their first entry and last exit (in English)."""
    first_in = (
        sa.select(CheckIn.registration_id, sa.func.min(CheckIn.scanned_at))
        .where(CheckIn.meeting_id == meeting.id, CheckIn.checkpoint == ENTRANCE, CheckIn.result == ScanResult.ADMITTED)
        .group_by(CheckIn.registration_id)
    )
    last_out = (
        sa.select(CheckIn.registration_id, sa.func.max(CheckIn.scanned_at))
        .where(CheckIn.meeting_id == meeting.id, CheckIn.checkpoint == ENTRANCE, CheckIn.result == ScanResult.EXITED)
        .group_by(CheckIn.registration_id)
    )
    entries = dict(db.session.execute(first_in).tuples().all())
    exits = dict(db.session.execute(last_out).tuples().all())
    people = db.session.scalars(
        _approved(meeting)
        .options(selectinload(Registration.delegation).joinedload(Delegation.member))
        .order_by(*_BY_NAME)
    ).all()
    inside = inside_ids(meeting, [p.id for p in people])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ATTENDANCE_COLUMNS)
    for p in people:
        row = [
            p.id,
            p.given_name,
            p.family_name,
            p.organisation,
            p.delegation.member.name if p.delegation else "",
            p.category.english_label,
            "yes" if p.id in inside else "",
            _utc(entries.get(p.id)),
            _utc(exits.get(p.id)),
        ]
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _utc(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else ""  # type: ignore[union-attr]
