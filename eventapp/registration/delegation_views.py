"""Focal points' pages: their member's invitations and the delegation they register."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.auth import policy
from eventapp.extensions import db, login_manager
from eventapp.models import Delegation, Registration
from eventapp.registration.blueprint import attach_error, bp, closed_page
from eventapp.registration.delegations import (
    add_delegate,
    delegation_for_token,
    delegations_of_member,
    is_invited,
    mark_invitation_used,
    people,
    places_used,
    set_head,
)
from eventapp.registration.errors import DuplicateEmail, RegistrationClosed, RegistrationError
from eventapp.registration.forms import ActionForm, DelegateForm, person_data
from eventapp.registration.people import passport_of
from eventapp.registration.selfservice import withdraw
from eventapp.registration.store import update_person
from eventapp.web import limits
from eventapp.web.edge import accepts_upload
from eventapp.web.responses import render_form

GRANTS_KEY = "delegation_grants"


def _granted_by_link(delegation: Delegation) -> bool:
    """Whether this browser opened the delegation's current, unrevoked invitation link."""
    grants = session.get(GRANTS_KEY, {})
    return is_invited(delegation) and grants.get(str(delegation.id)) == delegation.invitation_token_hash


def _delegation(delegation_id: int) -> Delegation | Response:
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    if policy.can_open_delegation(current_user, delegation) or _granted_by_link(delegation):
        return delegation
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    abort(403)


def _person(delegation: Delegation, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.delegation_id != delegation.id:
        abort(404)
    return registration


@bp.get("/my-delegation")
@policy.require(policy.is_focal_point)
def my_delegations() -> str:
    delegations = delegations_of_member(current_user.member_id)
    return render_template("registration/my_delegations.html", delegations=delegations)


@bp.get("/invitation/<token>")
@limits.private_link
def invitation(token: str) -> Response | tuple[str, int]:
    delegation = delegation_for_token(token)
    if delegation is None:
        return (
            render_template(
                "errors/error.html",
                code=404,
                title=_("This invitation link does not work"),
                message=_(
                    "It may have been replaced by a newer link or withdrawn. Ask the secretariat for a new one, "
                    "or sign in with your focal point account."
                ),
            ),
            404,
        )
    mark_invitation_used(delegation)
    grants = dict(session.get(GRANTS_KEY, {}))
    grants[str(delegation.id)] = delegation.invitation_token_hash
    session[GRANTS_KEY] = grants
    return redirect(url_for("registration.delegation", delegation_id=delegation.id))


@bp.get("/delegations/<int:delegation_id>")
def delegation(delegation_id: int) -> str | Response:
    found = _delegation(delegation_id)
    if isinstance(found, Response):
        return found
    if policy.is_focal_point(current_user):
        mark_invitation_used(found)  # opening it from the account counts as using the invitation
    members = people(found)
    used = places_used(found)
    return render_template(
        "registration/delegation.html",
        delegation=found,
        meeting=found.meeting,
        people=members,
        used=used,
        left=max(found.quota - used, 0),
        action_form=ActionForm(),
    )


@bp.route("/delegations/<int:delegation_id>/people/new", methods=["GET", "POST"])
@accepts_upload
def add_person(delegation_id: int) -> tuple[str, int] | Response:
    found = _delegation(delegation_id)
    if isinstance(found, Response):
        return found
    by_host = policy.can_manage_delegations(current_user)
    if not by_host and not found.meeting.registration_is_open():
        return closed_page(found.meeting)
    form = DelegateForm()
    duplicate = False
    if form.validate_on_submit():
        try:
            add_delegate(
                found, person_data(form), actor=current_user, make_head=bool(form.make_head.data), by_host=by_host
            )
        except RegistrationClosed:
            return closed_page(found.meeting)
        except RegistrationError as exc:
            duplicate = isinstance(exc, DuplicateEmail)
            attach_error(form, exc, "given_name")
        else:
            flash(
                _(
                    "%(name)s was added to the delegation.",
                    name=f"{form.given_name.data} {form.family_name.data}",
                ),
                "success",
            )
            return redirect(url_for("registration.delegation", delegation_id=found.id))
    return render_form(
        "registration/delegate_form.html",
        form=form,
        delegation=found,
        meeting=found.meeting,
        person=None,
        duplicate=duplicate,
    )


@bp.route("/delegations/<int:delegation_id>/people/<int:registration_id>/edit", methods=["GET", "POST"])
@accepts_upload
def edit_person(delegation_id: int, registration_id: int) -> tuple[str, int] | Response:
    found = _delegation(delegation_id)
    if isinstance(found, Response):
        return found
    person = _person(found, registration_id)
    form = DelegateForm() if request.method == "POST" else DelegateForm(obj=person)
    if request.method == "GET":
        form.passport_number.data, form.passport_expiry.data = passport_of(person)
        form.make_head.data = found.head_registration_id == person.id
    if form.validate_on_submit():
        try:
            update_person(
                person, person_data(form), actor=current_user, by_host=policy.can_manage_delegations(current_user)
            )
            if form.make_head.data and found.head_registration_id != person.id:
                set_head(found, person, actor=current_user)
        except RegistrationError as exc:
            attach_error(form, exc, "given_name")
        else:
            flash(_("The details were saved."), "success")
            return redirect(url_for("registration.delegation", delegation_id=found.id))
    return render_form(
        "registration/delegate_form.html",
        form=form,
        delegation=found,
        meeting=found.meeting,
        person=person,
        duplicate=False,
    )


@bp.post("/delegations/<int:delegation_id>/people/<int:registration_id>/head")
def make_head(delegation_id: int, registration_id: int) -> Response:
    found = _delegation(delegation_id)
    if isinstance(found, Response):
        return found
    person = _person(found, registration_id)
    if ActionForm().validate_on_submit():
        try:
            set_head(found, person, actor=current_user)
        except RegistrationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("%(name)s now heads the delegation.", name=person.full_name), "success")
    return redirect(url_for("registration.delegation", delegation_id=found.id))


@bp.post("/delegations/<int:delegation_id>/people/<int:registration_id>/remove")
def remove_person(delegation_id: int, registration_id: int) -> Response:
    found = _delegation(delegation_id)
    if isinstance(found, Response):
        return found
    person = _person(found, registration_id)
    if ActionForm().validate_on_submit():
        try:
            withdraw(person, actor=current_user, reason="Removed by the delegation.")
        except RegistrationError as exc:
            flash(str(exc), "error")
        else:
            flash(
                _("%(name)s was removed from the delegation; the place is free again.", name=person.full_name),
                "success",
            )
    return redirect(url_for("registration.delegation", delegation_id=found.id))
