"""Asking for a bilateral and answering: accept one of the times, propose others, decline, withdraw.

Each write locks the bilateral's row first, so two answers at once cannot both take effect;
accepting then goes through `booking.place`, which keeps either delegation from being in two
bilaterals at once. Every step is audited and emailed in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from eventapp.agenda.editor import local_to_utc
from eventapp.agenda.errors import AgendaError
from eventapp.audit.services import record
from eventapp.bilaterals import booking, notifications
from eventapp.bilaterals.errors import BilateralError
from eventapp.bilaterals.naming import member_name
from eventapp.extensions import db
from eventapp.models import (
    Bilateral,
    BilateralProposal,
    BilateralSide,
    BilateralStatus,
    BilateralStep,
    BilateralStepKind,
    Delegation,
    Meeting,
    Member,
    User,
)
from eventapp.models.base import utcnow
from eventapp.registration.delegations import is_invited
from eventapp.registration.notifications import interface_locale

#: A request proposes at most this many times; so does each answer with other times.
MAX_PROPOSALS = 3
#: Lengths a bilateral may have, in minutes.
DURATIONS = (15, 30, 45, 60, 90)
#: The fields the proposed times are typed in, in order.
TIME_FIELDS = ("time_1", "time_2", "time_3")


@dataclass
class RequestData:
    counterpart_id: int
    duration_minutes: int
    #: Wall-clock times in the meeting's zone, as typed (empty slots left out).
    times: list[datetime | None]
    subject: str = ""
    message: str = ""


def other(side: BilateralSide) -> BilateralSide:
    return BilateralSide.COUNTERPART if side == BilateralSide.REQUESTER else BilateralSide.REQUESTER


def counterpart_choices(delegation: Delegation) -> list[Delegation]:
    """Delegations of the same meeting that may be asked: invited ones, the asking one aside, by name."""
    rows = db.session.scalars(
        select(Delegation)
        .join(Member, Member.id == Delegation.member_id)
        .where(Delegation.meeting_id == delegation.meeting_id, Delegation.id != delegation.id)
        .options(joinedload(Delegation.member))
        .order_by(Member.sort_name)
    )
    return [d for d in rows if is_invited(d)]


def _clean_times(meeting: Meeting, times: list[datetime | None], duration: int) -> list[datetime]:
    """Proposed times as UTC: one to three different ones, to come, within the meeting's days."""
    chosen: list[datetime] = []
    zone = meeting.zone
    for field, local in zip(TIME_FIELDS, times, strict=False):
        if local is None:
            continue
        try:
            starts_at = local_to_utc(local, meeting, field)
        except AgendaError as exc:
            raise BilateralError(str(exc), field=field) from exc
        ends_at = starts_at + timedelta(minutes=duration)
        first, last = starts_at.astimezone(zone).date(), ends_at.astimezone(zone).date()
        if first < meeting.starts_on or last > meeting.ends_on:
            raise BilateralError(_("Propose a time within the meeting's days."), field=field)
        if starts_at <= utcnow():
            raise BilateralError(_("This time has passed; propose one to come."), field=field)
        if starts_at in chosen:
            raise BilateralError(_("This time is already proposed above."), field=field)
        chosen.append(starts_at)
    if not chosen:
        raise BilateralError(_("Propose at least one time."), field=TIME_FIELDS[0])
    return chosen


def _step(
    bilateral: Bilateral, kind: BilateralStepKind, actor: User | None, side: BilateralSide | None, message: str = ""
) -> BilateralStep:
    step = BilateralStep(kind=kind, side=side, actor=actor, message=message.strip(), locale=interface_locale())
    bilateral.steps.append(step)
    return step


def _locked(bilateral: Bilateral) -> Bilateral:
    """The bilateral's row, locked and read afresh: the state every answer is checked against."""
    row = db.session.get(Bilateral, bilateral.id, with_for_update=True, populate_existing=True)
    if row is None:
        raise BilateralError(_("This bilateral no longer exists."))
    return row


def _pending_between(first: Delegation, second: Delegation) -> Bilateral | None:
    pair = or_(
        (Bilateral.requester_id == first.id) & (Bilateral.counterpart_id == second.id),
        (Bilateral.requester_id == second.id) & (Bilateral.counterpart_id == first.id),
    )
    return db.session.scalar(select(Bilateral).where(pair, Bilateral.status == BilateralStatus.REQUESTED).limit(1))


def request_bilateral(delegation: Delegation, data: RequestData, *, actor: User) -> Bilateral:
    """The delegation asks another of the same meeting for a bilateral at one of up to three times."""
    meeting = delegation.meeting
    counterpart = db.session.get(Delegation, data.counterpart_id)
    if counterpart is None or counterpart.id == delegation.id or counterpart.meeting_id != meeting.id:
        raise BilateralError(_("Choose a delegation taking part in this meeting."), field="counterpart_id")
    if not is_invited(counterpart):
        raise BilateralError(_("Choose a delegation taking part in this meeting."), field="counterpart_id")
    if data.duration_minutes not in DURATIONS:
        raise BilateralError(_("Choose one of the lengths offered."), field="duration_minutes")
    times = _clean_times(meeting, data.times, data.duration_minutes)
    if _pending_between(delegation, counterpart) is not None:
        raise BilateralError(
            _(
                "A request between your delegation and %(member)s is already awaiting an answer.",
                member=member_name(counterpart.member),
            ),
            field="counterpart_id",
        )
    bilateral = Bilateral(
        meeting_id=meeting.id,
        requester=delegation,
        counterpart=counterpart,
        subject=" ".join(data.subject.split()),
        duration_minutes=data.duration_minutes,
        status=BilateralStatus.REQUESTED,
        awaiting=BilateralSide.COUNTERPART,
        requested_by_id=actor.id,
        proposals=[BilateralProposal(round=1, side=BilateralSide.REQUESTER, starts_at=t) for t in times],
    )
    db.session.add(bilateral)
    _step(bilateral, BilateralStepKind.REQUESTED, actor, BilateralSide.REQUESTER, data.message)
    db.session.flush()
    record(
        "bilateral.request",
        bilateral,
        actor=actor,
        meeting_id=meeting.id,
        details={"counterpart_id": counterpart.id, "times": [t.isoformat() for t in times]},
    )
    notifications.notify(bilateral, BilateralStepKind.REQUESTED, to=[BilateralSide.COUNTERPART], message=data.message)
    db.session.commit()
    return bilateral


def _awaiting(bilateral: Bilateral, side: BilateralSide) -> None:
    if bilateral.status != BilateralStatus.REQUESTED:
        raise BilateralError(_("This bilateral has already been answered."))
    if bilateral.awaiting != side:
        raise BilateralError(_("The other delegation has not answered your proposal yet."))


def accept_proposal(
    bilateral: Bilateral, proposal_id: int, *, side: BilateralSide, actor: User, message: str = ""
) -> Bilateral:
    """The awaited side takes one of the latest times: the bilateral is confirmed at it."""
    bilateral = _locked(bilateral)
    try:
        _awaiting(bilateral, side)
        proposal = next((p for p in bilateral.current_proposals if p.id == proposal_id), None)
        if proposal is None:
            raise BilateralError(_("Choose one of the proposed times."), field="proposal_id")
        if proposal.starts_at <= utcnow():
            raise BilateralError(_("This time has passed; propose another."), field="proposal_id")
        booking.place(bilateral, proposal.starts_at, None, field="proposal_id")
    except BilateralError:
        db.session.rollback()
        raise
    bilateral.status = BilateralStatus.CONFIRMED
    bilateral.updated_at = utcnow()
    _step(bilateral, BilateralStepKind.ACCEPTED, actor, side, message)
    record(
        "bilateral.accept",
        bilateral,
        actor=actor,
        meeting_id=bilateral.meeting_id,
        details={"starts_at": proposal.starts_at.isoformat()},
    )
    notifications.notify(bilateral, BilateralStepKind.ACCEPTED, to=[other(side)], message=message)
    db.session.commit()
    return bilateral


def propose_times(
    bilateral: Bilateral, times: list[datetime | None], *, side: BilateralSide, actor: User, message: str = ""
) -> Bilateral:
    """The awaited side answers with other times; now the other side chooses."""
    bilateral = _locked(bilateral)
    try:
        _awaiting(bilateral, side)
        chosen = _clean_times(bilateral.meeting, times, bilateral.duration_minutes)
    except BilateralError:
        db.session.rollback()
        raise
    next_round = max((p.round for p in bilateral.proposals), default=0) + 1
    bilateral.proposals.extend(BilateralProposal(round=next_round, side=side, starts_at=t) for t in chosen)
    bilateral.awaiting = other(side)
    bilateral.updated_at = utcnow()
    _step(bilateral, BilateralStepKind.PROPOSED, actor, side, message)
    record(
        "bilateral.propose",
        bilateral,
        actor=actor,
        meeting_id=bilateral.meeting_id,
        details={"times": [t.isoformat() for t in chosen]},
    )
    notifications.notify(bilateral, BilateralStepKind.PROPOSED, to=[other(side)], message=message)
    db.session.commit()
    return bilateral


def decline(bilateral: Bilateral, *, side: BilateralSide, actor: User, message: str = "") -> Bilateral:
    """The awaited side says no; the bilateral is closed."""
    bilateral = _locked(bilateral)
    try:
        _awaiting(bilateral, side)
    except BilateralError:
        db.session.rollback()
        raise
    bilateral.status = BilateralStatus.DECLINED
    bilateral.updated_at = utcnow()
    _step(bilateral, BilateralStepKind.DECLINED, actor, side, message)
    record("bilateral.decline", bilateral, actor=actor, meeting_id=bilateral.meeting_id)
    notifications.notify(bilateral, BilateralStepKind.DECLINED, to=[other(side)], message=message)
    db.session.commit()
    return bilateral


def cancel(bilateral: Bilateral, *, actor: User, side: BilateralSide | None, message: str = "") -> Bilateral:
    """Withdraw a request, or cancel an agreed bilateral (by either delegation or a host).

    A cancelled bilateral that had a time stays in the calendars as cancelled (SEQUENCE raised).
    """
    bilateral = _locked(bilateral)
    if bilateral.status not in (BilateralStatus.REQUESTED, BilateralStatus.CONFIRMED):
        db.session.rollback()
        raise BilateralError(_("This bilateral is already closed."))
    was_confirmed = bilateral.status == BilateralStatus.CONFIRMED
    kind = BilateralStepKind.CANCELLED if was_confirmed or side is None else BilateralStepKind.WITHDRAWN
    status = BilateralStatus.CANCELLED
    if not was_confirmed and side == BilateralSide.COUNTERPART:
        # Before an agreement the delegation asked does not withdraw: it declines.
        kind, status = BilateralStepKind.DECLINED, BilateralStatus.DECLINED
    changed: dict[str, Any] = {"status": [bilateral.status.value, status.value]}
    bilateral.status = status
    if was_confirmed:
        bilateral.sequence += 1
    bilateral.updated_at = utcnow()
    _step(bilateral, kind, actor, side, message)
    record("bilateral.cancel", bilateral, actor=actor, meeting_id=bilateral.meeting_id, details=changed)
    # Before an agreement only the other side needs to know; after it, both (a host may have cancelled).
    to = [BilateralSide.REQUESTER, BilateralSide.COUNTERPART]
    if not was_confirmed and side is not None:
        to = [other(side)]
    notifications.notify(bilateral, kind, to=to, message=message)
    db.session.commit()
    return bilateral


def _with_everything(query):  # type: ignore[no-untyped-def]
    return query.options(
        joinedload(Bilateral.requester).joinedload(Delegation.member),
        joinedload(Bilateral.counterpart).joinedload(Delegation.member),
        joinedload(Bilateral.room),
        selectinload(Bilateral.proposals),
    )


def bilaterals_of(delegation: Delegation) -> list[Bilateral]:
    """A delegation's bilaterals: agreed ones by time, then those awaiting an answer, then closed ones."""
    rows = db.session.scalars(
        _with_everything(
            select(Bilateral).where(
                or_(Bilateral.requester_id == delegation.id, Bilateral.counterpart_id == delegation.id)
            )
        )
    ).unique()
    order = {BilateralStatus.CONFIRMED: 0, BilateralStatus.REQUESTED: 1}
    return sorted(
        rows,
        key=lambda b: (order.get(b.status, 2), b.starts_at or b.created_at, b.id),
    )


def meeting_bilaterals(meeting: Meeting) -> list[Bilateral]:
    """Every bilateral of the meeting, for the hosts."""
    query = select(Bilateral).where(Bilateral.meeting_id == meeting.id).order_by(Bilateral.id)
    return list(db.session.scalars(_with_everything(query)).unique())


def load(bilateral_id: int, meeting: Meeting) -> Bilateral | None:
    query = select(Bilateral).where(Bilateral.id == bilateral_id, Bilateral.meeting_id == meeting.id)
    return db.session.scalar(
        _with_everything(query).options(selectinload(Bilateral.steps).joinedload(BilateralStep.actor))
    )


@dataclass
class DelegationSummary:
    """What the delegation page shows: agreed bilaterals to come, and requests awaiting its answer."""

    agreed: list[Bilateral]
    awaiting_you: int


def delegation_summary(delegation: Delegation) -> DelegationSummary:
    now = utcnow()
    mine = bilaterals_of(delegation)
    agreed = [b for b in mine if b.status == BilateralStatus.CONFIRMED and b.ends_at is not None and b.ends_at >= now]

    def waits_for_me(b: Bilateral) -> bool:
        side = BilateralSide.REQUESTER if b.requester_id == delegation.id else BilateralSide.COUNTERPART
        return b.status == BilateralStatus.REQUESTED and b.awaiting == side

    return DelegationSummary(agreed, sum(1 for b in mine if waits_for_me(b)))
