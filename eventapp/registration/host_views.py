"""Hosts' pages: inviting members, the review queue with bulk decisions, capacity settings."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import Delegation, Meeting, Registration, RegistrationCategory, RegistrationStatus
from eventapp.registration.applications import DecisionResult, decide, review_queue
from eventapp.registration.blueprint import attach_error, bp
from eventapp.registration.capacity import category_limits, places_summary, set_capacities
from eventapp.registration.delegations import (
    delegations_of_meeting,
    invite_all_members,
    is_invited,
    reinvite,
    revoke_invitation,
    set_quota,
)
from eventapp.registration.errors import RegistrationError
from eventapp.registration.forms import ActionForm, DecisionForm, QuotaForm, capacity_form_class
from eventapp.registration.people import photo_file
from eventapp.web.forms import is_database_id
from eventapp.web.pagination import page_number
from eventapp.web.responses import render_form


def _meeting(slug: str) -> Meeting:
    return get_meeting(slug) or abort(404)


def _meeting_delegation(meeting: Meeting, delegation_id: int) -> Delegation:
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.meeting_id != meeting.id:
        abort(404)
    return delegation


def _links_page(meeting: Meeting, issued: list[tuple[Delegation, str]]) -> str:
    return render_template("registration/invitations_issued.html", meeting=meeting, issued=issued)


def _promoted_message(promoted: list[object]) -> None:
    if promoted:
        flash(
            ngettext(
                "%(num)d person moved up from the waiting list and was told by email.",
                "%(num)d people moved up from the waiting list and were told by email.",
                len(promoted),
            ),
            "success",
        )


def decision_summary(result: DecisionResult) -> str:
    """'2 approved; 1 put on the waiting list (no place left); 0 declined.' in the reader's language."""
    parts = [
        ngettext("%(num)d approved", "%(num)d approved", len(result.approved)),
        ngettext(
            "%(num)d put on the waiting list (no place left)",
            "%(num)d put on the waiting list (no place left)",
            len(result.waitlisted),
        ),
        ngettext("%(num)d declined", "%(num)d declined", len(result.declined)),
    ]
    if result.skipped:
        parts.append(ngettext("%(num)d left as it was", "%(num)d left as they were", len(result.skipped)))
    return "; ".join(parts) + "."


@bp.get("/meetings/<slug>/invitations")
@policy.require(policy.can_manage_delegations)
def invitations(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template(
        "registration/invitations.html",
        meeting=meeting,
        delegations=delegations_of_meeting(meeting),
        is_invited=is_invited,
        action_form=ActionForm(),
        quota_form=QuotaForm(),
    )


@bp.post("/meetings/<slug>/invitations")
@policy.require(policy.can_manage_delegations)
def invite_all(slug: str) -> str | Response:
    meeting = _meeting(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    issued = invite_all_members(meeting, actor=current_user)
    if not issued:
        flash(_("Every member already has a live invitation (or a revoked one: re-invite it on its own)."), "success")
        return redirect(url_for("registration.invitations", slug=slug))
    return _links_page(meeting, issued)


@bp.post("/meetings/<slug>/invitations/<int:delegation_id>/reinvite")
@policy.require(policy.can_manage_delegations)
def reinvite_member(slug: str, delegation_id: int) -> str | Response:
    meeting = _meeting(slug)
    delegation = _meeting_delegation(meeting, delegation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = reinvite(delegation, actor=current_user)
    return _links_page(meeting, [(delegation, token)])


@bp.post("/meetings/<slug>/invitations/<int:delegation_id>/revoke")
@policy.require(policy.can_manage_delegations)
def revoke_member(slug: str, delegation_id: int) -> Response:
    meeting = _meeting(slug)
    delegation = _meeting_delegation(meeting, delegation_id)
    if ActionForm().validate_on_submit():
        revoke_invitation(delegation, actor=current_user)
        flash(_("The invitation of %(member)s no longer works.", member=delegation.member.name), "success")
    return redirect(url_for("registration.invitations", slug=slug))


@bp.post("/meetings/<slug>/invitations/<int:delegation_id>/quota")
@policy.require(policy.can_manage_delegations)
def delegation_quota(slug: str, delegation_id: int) -> Response:
    meeting = _meeting(slug)
    delegation = _meeting_delegation(meeting, delegation_id)
    form = QuotaForm()
    if not form.validate_on_submit():
        flash(_("Places must be a whole number from 1 to 200, or empty."), "error")
    else:
        try:
            promoted = set_quota(delegation, form.quota.data, actor=current_user)
        except RegistrationError as exc:
            db.session.rollback()
            flash(_("%(member)s: %(error)s", member=delegation.member.name, error=exc), "error")
        else:
            flash(
                ngettext(
                    "%(member)s now has %(num)d place.",
                    "%(member)s now has %(num)d places.",
                    delegation.quota,
                    member=delegation.member.name,
                ),
                "success",
            )
            _promoted_message(promoted)
    return redirect(url_for("registration.invitations", slug=slug))


#: A person's page in the workspace; the queue links names to it once that page is registered.
PERSON_PAGE = "workspace.participant"


@bp.route("/meetings/<slug>/review", methods=["GET", "POST"])
@policy.require(policy.can_review_registrations)
def review(slug: str) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    # The queue opens on the applications waiting for a decision; "All" is asked for as status=.
    status = request.args.get("status", RegistrationStatus.SUBMITTED.value)
    category = request.args.get("category", "")
    form = DecisionForm()
    selected = [int(v) for v in form.selected.data or [] if is_database_id(v)]
    if form.validate_on_submit():
        try:
            result = decide(
                meeting, selected, form.action.data or "", actor=current_user, reason=form.reason.data or ""
            )
        except RegistrationError as exc:
            db.session.rollback()
            attach_error(form, exc, "action")
        else:
            flash(decision_summary(result), "success")
            _promoted_message(result.promoted)
            page = page_number(request.args)
            return redirect(
                url_for(
                    "registration.review", slug=slug, status=status, category=category, page=page if page > 1 else None
                )
            )
    return render_form(
        "registration/review.html",
        meeting=meeting,
        form=form,
        people=review_queue(meeting, request.args, status=status, category=category),
        status=status,
        category=category,
        statuses=list(RegistrationStatus),
        categories=list(RegistrationCategory),
        selected=set(selected),
        summary=places_summary(meeting),
        person_endpoint=PERSON_PAGE if PERSON_PAGE in current_app.view_functions else None,
    )


@bp.get("/meetings/<slug>/registrations/<int:registration_id>/photo")
@policy.require(policy.can_view_registrations)
def photo(slug: str, registration_id: int) -> Response:
    """The photo a person sent with their registration, whatever its state, for the hosts reviewing it."""
    meeting = _meeting(slug)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        abort(404)
    path = photo_file(registration) or abort(404)
    response = send_file(path, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/meetings/<slug>/capacity", methods=["GET", "POST"])
@policy.require(policy.can_review_registrations)
def capacity(slug: str) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    form_class = capacity_form_class()
    form = form_class()
    if request.method == "GET":
        form.capacity.data = meeting.capacity
        for category, limit in category_limits(meeting.id).items():
            getattr(form, f"cap_{category}").data = limit
    if form.validate_on_submit():
        per_category = {c.value: getattr(form, f"cap_{c.value}").data for c in RegistrationCategory}
        try:
            promoted = set_capacities(meeting, form.capacity.data, per_category, actor=current_user)
        except RegistrationError as exc:
            db.session.rollback()
            attach_error(form, exc, "capacity")
        else:
            flash(_("Capacity saved."), "success")
            _promoted_message(promoted)
            return redirect(url_for("registration.capacity", slug=slug))
    return render_form(
        "registration/capacity.html",
        meeting=meeting,
        form=form,
        categories=list(RegistrationCategory),
        summary=places_summary(meeting),
    )
