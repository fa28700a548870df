"""Bilateral pages of the delegations: their list, the request form, one bilateral and its answers.

A bilateral exists only for its two delegations' focal points and the hosts: anyone else signed
in gets 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.auth import policy
from eventapp.bilaterals import access, booking, host_views, services  # noqa: F401  (host routes join `bp`)
from eventapp.bilaterals.blueprint import bp
from eventapp.bilaterals.errors import BilateralError
from eventapp.bilaterals.forms import AcceptForm, MessageForm, MoveForm, ProposeForm, RequestForm, RoomForm
from eventapp.bilaterals.naming import member_name
from eventapp.bilaterals.settings import bilateral_rooms
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting, to_local
from eventapp.models import Bilateral, BilateralStatus, BilateralStepKind, Delegation, Meeting
from eventapp.web.datetimes import format_moment
from eventapp.web.forms import pair_choices
from eventapp.web.responses import render_form

__all__ = ["bp"]

signed_in = policy.require(access.can_use_bilaterals)


def _delegation(delegation_id: int) -> Delegation:
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None:
        abort(404)
    if not access.can_open_list(current_user, delegation):
        abort(403)
    return delegation


def _bilateral(slug: str, bilateral_id: int) -> tuple[Meeting, Bilateral]:
    meeting = get_meeting(slug) or abort(404)
    bilateral = services.load(bilateral_id, meeting)
    if bilateral is None or not access.can_see(current_user, bilateral):
        abort(404)
    return meeting, bilateral


def _attach(form: Any, error: BilateralError, fallback: str) -> None:
    target = getattr(form, error.field or "", None) or getattr(form, fallback)
    target.errors = [*target.errors, str(error)]


@bp.get("/delegations/<int:delegation_id>/bilaterals")
@signed_in
def index(delegation_id: int) -> str:
    delegation = _delegation(delegation_id)
    return render_template(
        "bilaterals/index.html",
        delegation=delegation,
        meeting=delegation.meeting,
        bilaterals=services.bilaterals_of(delegation),
        can_ask=access.speaks_for(current_user, delegation),
    )


@bp.route("/delegations/<int:delegation_id>/bilaterals/new", methods=["GET", "POST"])
@signed_in
def new(delegation_id: int) -> Response | tuple[str, int]:
    delegation = _delegation(delegation_id)
    if not access.speaks_for(current_user, delegation):
        abort(403)  # hosts book rooms; asking is for the delegation's own focal points
    choices = services.counterpart_choices(delegation)
    form = RequestForm()
    form.counterpart_id.choices = pair_choices(
        [("", _("Choose a delegation"))] + [(str(d.id), member_name(d.member)) for d in choices]
    )
    if form.validate_on_submit():
        data = services.RequestData(
            counterpart_id=int(form.counterpart_id.data),
            duration_minutes=int(form.duration_minutes.data),
            times=form.times(),  # type: ignore[arg-type]
            subject=form.subject.data or "",
            message=form.message.data or "",
        )
        try:
            bilateral = services.request_bilateral(delegation, data, actor=current_user)
        except BilateralError as exc:
            _attach(form, exc, "counterpart_id")
        else:
            flash(
                _(
                    "Your request went to the delegation of %(member)s; you will be told of its answer.",
                    member=member_name(bilateral.counterpart.member),
                ),
                "success",
            )
            return redirect(url_for("bilaterals.index", delegation_id=delegation.id))
    return render_form(
        "bilaterals/request_form.html", form=form, delegation=delegation, meeting=delegation.meeting, choices=choices
    )


def _forms(meeting: Meeting, bilateral: Bilateral, **posted: Any) -> dict[str, Any]:
    """The forms the page shows this reader: answers for the awaited side, room and move for hosts."""
    side = access.side_of(current_user, bilateral)
    staff = access.is_staff(current_user)
    forms: dict[str, Any] = {}
    if bilateral.status == BilateralStatus.REQUESTED and side == bilateral.awaiting:
        accept = posted.get("accept") or AcceptForm(formdata=None, prefix="accept")
        accept.proposal_id.choices = pair_choices(
            [(str(p.id), format_moment(p.starts_at, meeting.timezone)) for p in bilateral.current_proposals]
        )
        forms["accept"] = accept
        forms["propose"] = posted.get("propose") or ProposeForm(formdata=None, prefix="propose")
        forms["decline"] = posted.get("decline") or MessageForm(formdata=None, prefix="decline")
    # Calling off: hosts and either delegation; the delegation whose answer is awaited declines instead.
    awaited = bilateral.status == BilateralStatus.REQUESTED and side == bilateral.awaiting
    open_ = bilateral.status in (BilateralStatus.REQUESTED, BilateralStatus.CONFIRMED)
    if open_ and not awaited and (staff or side is not None):
        cancel = posted.get("cancel") or MessageForm(formdata=None, prefix="cancel")
        if side is None:
            cancel.message.label.text = _("Message to both delegations")
            cancel.message.description = _("Optional. It goes with the email both delegations' focal points receive.")
        forms["cancel"] = cancel
    if bilateral.status == BilateralStatus.CONFIRMED:
        rooms = bilateral_rooms(meeting)
        room_choices = pair_choices([(str(r.id), r.name) for r in rooms])
        if access.can_book_room(current_user, bilateral):
            room = posted.get("room") or RoomForm(formdata=None, prefix="room", room_id=str(bilateral.room_id or ""))
            room.room_id.choices = pair_choices([("", _("Choose a room"))]) + room_choices
            forms["room"] = room
        if staff:
            move = posted.get("move") or MoveForm(
                formdata=None,
                prefix="move",
                starts_local=to_local(bilateral.starts_at, meeting.timezone),
                duration_minutes=str(bilateral.duration_minutes),
                room_id=str(bilateral.room_id or ""),
            )
            move.room_id.choices = pair_choices([("", _("No room yet"))]) + room_choices
            forms["move"] = move
    return forms


def _page(meeting: Meeting, bilateral: Bilateral, **posted: Any) -> str:
    side = access.side_of(current_user, bilateral)
    return render_template(
        "bilaterals/show.html",
        meeting=meeting,
        bilateral=bilateral,
        side=side,
        own=bilateral.delegation_of(side) if side else None,
        staff=access.is_staff(current_user),
        forms=_forms(meeting, bilateral, **posted),
        warnings=booking.warnings(meeting, [bilateral]).get(bilateral.id, []),
    )


@bp.get("/meetings/<slug>/bilaterals/<int:bilateral_id>")
@signed_in
def show(slug: str, bilateral_id: int) -> str:
    meeting, bilateral = _bilateral(slug, bilateral_id)
    return _page(meeting, bilateral)


def _sent_back(meeting: Meeting, bilateral: Bilateral, name: str, form: Any) -> tuple[str, int]:
    db.session.expire_all()
    fresh = services.load(bilateral.id, meeting)
    return _page(meeting, fresh or bilateral, **{name: form}), 422


@bp.post("/meetings/<slug>/bilaterals/<int:bilateral_id>/<any(accept, propose, decline):action>")
@signed_in
def respond(slug: str, bilateral_id: int, action: str) -> Response | tuple[str, int]:
    meeting, bilateral = _bilateral(slug, bilateral_id)
    side = access.side_of(current_user, bilateral)
    if side is None:
        abort(403)  # hosts book and move; answering is for the delegations
    form: Any = {"accept": AcceptForm, "propose": ProposeForm, "decline": MessageForm}[action](prefix=action)
    if action == "accept":
        form.proposal_id.choices = pair_choices([(str(p.id), "") for p in bilateral.current_proposals])
    if form.validate_on_submit():
        message = form.message.data or ""
        try:
            if action == "accept":
                services.accept_proposal(
                    bilateral, int(form.proposal_id.data), side=side, actor=current_user, message=message
                )
                flash(_("The bilateral is agreed. The other delegation is told."), "success")
            elif action == "propose":
                services.propose_times(bilateral, form.times(), side=side, actor=current_user, message=message)
                flash(_("Your times went to the other delegation."), "success")
            else:
                services.decline(bilateral, side=side, actor=current_user, message=message)
                flash(_("You declined the bilateral. The other delegation is told."), "success")
        except BilateralError as exc:
            _attach(form, exc, "proposal_id" if action == "accept" else "time_1" if action == "propose" else "message")
        else:
            return redirect(url_for("bilaterals.show", slug=slug, bilateral_id=bilateral.id))
    return _sent_back(meeting, bilateral, action, form)


#: What the page says after calling a bilateral off, by the step it made.
_CANCELLED = {
    BilateralStepKind.CANCELLED: lambda: _("The bilateral is cancelled. Both delegations are told."),
    BilateralStepKind.WITHDRAWN: lambda: _("Your request is withdrawn. The other delegation is told."),
    BilateralStepKind.DECLINED: lambda: _("You declined the bilateral. The other delegation is told."),
}


@bp.post("/meetings/<slug>/bilaterals/<int:bilateral_id>/cancel")
@signed_in
def cancel(slug: str, bilateral_id: int) -> Response | tuple[str, int]:
    meeting, bilateral = _bilateral(slug, bilateral_id)
    side = access.side_of(current_user, bilateral)
    form = MessageForm(prefix="cancel")
    if form.validate_on_submit():
        try:
            done = services.cancel(
                bilateral,
                actor=current_user,
                side=None if access.is_staff(current_user) else side,
                message=form.message.data or "",
            )
        except BilateralError as exc:
            _attach(form, exc, "message")
        else:
            flash(_CANCELLED[done.steps[-1].kind](), "success")
            return redirect(url_for("bilaterals.show", slug=slug, bilateral_id=bilateral.id))
    return _sent_back(meeting, bilateral, "cancel", form)


@bp.post("/meetings/<slug>/bilaterals/<int:bilateral_id>/room")
@signed_in
def book(slug: str, bilateral_id: int) -> Response | tuple[str, int]:
    meeting, bilateral = _bilateral(slug, bilateral_id)
    side = access.side_of(current_user, bilateral)
    staff = access.is_staff(current_user)
    if not access.can_book_room(current_user, bilateral):
        abort(403)  # the hosts book the rooms of this meeting
    form = RoomForm(prefix="room")
    form.room_id.choices = pair_choices([(str(r.id), r.name) for r in bilateral_rooms(meeting)])
    if form.validate_on_submit():
        try:
            booking.book_room(bilateral, int(form.room_id.data), actor=current_user, side=None if staff else side)
        except BilateralError as exc:
            _attach(form, exc, "room_id")
        else:
            flash(_("The room is booked. Both delegations are told."), "success")
            return redirect(url_for("bilaterals.show", slug=slug, bilateral_id=bilateral.id))
    return _sent_back(meeting, bilateral, "room", form)


@bp.post("/meetings/<slug>/bilaterals/<int:bilateral_id>/move")
@policy.require(access.is_staff)
def move(slug: str, bilateral_id: int) -> Response | tuple[str, int]:
    meeting, bilateral = _bilateral(slug, bilateral_id)
    form = MoveForm(prefix="move")
    form.room_id.choices = pair_choices([("", "")] + [(str(r.id), r.name) for r in bilateral_rooms(meeting)])
    if form.validate_on_submit():
        try:
            changed = booking.move(
                bilateral,
                form.starts_local.data,  # type: ignore[arg-type]
                int(form.room_id.data) if form.room_id.data else None,
                actor=current_user,
                duration=int(form.duration_minutes.data),
            )
        except BilateralError as exc:
            _attach(form, exc, "starts_local")
        else:
            if changed:
                flash(_("The bilateral is moved. Both delegations and their calendars are told."), "success")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for("bilaterals.show", slug=slug, bilateral_id=bilateral.id))
    return _sent_back(meeting, bilateral, "move", form)


@bp.app_template_global()
def bilateral_access(delegation: Delegation) -> bool:
    """Whether the reader sees the delegation's bilaterals (its focal points' accounts and the hosts)."""
    return access.can_open_list(current_user, delegation)


@bp.app_template_global()
def bilateral_may_ask(delegation: Delegation) -> bool:
    return access.speaks_for(current_user, delegation)


@bp.app_template_global()
def bilateral_summary(delegation: Delegation) -> services.DelegationSummary:
    return services.delegation_summary(delegation)


bp.add_app_template_filter(member_name, "member_name")
