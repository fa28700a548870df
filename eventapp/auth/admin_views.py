"""The secretariat's accounts pages: list, invite, change a role, deactivate, reset a second factor."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.auth import accounts, policy, twofactor
from eventapp.auth.forms import AccountForm, ActionForm, InviteForm
from eventapp.auth.links import has_password
from eventapp.auth.services import UserError
from eventapp.extensions import db
from eventapp.members.services import get_member_by_code, list_members
from eventapp.models import Member, Role, User
from eventapp.web.responses import render_form

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _member_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(m.code, m.name) for m in list_members()]


def _chosen_member(code: str | None) -> Member | None:
    return get_member_by_code(code) if code else None


def _account(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


@bp.get("/")
@policy.require(policy.can_manage_accounts)
def index() -> str:
    return render_template("accounts/index.html", rows=accounts.list_accounts())


@bp.route("/invite", methods=["GET", "POST"])
@policy.require(policy.can_manage_accounts)
def invite() -> tuple[str, int] | Response:
    form = InviteForm()
    form.member.choices = _member_choices()
    if form.validate_on_submit():
        try:
            user = accounts.invite(
                form.email.data or "",
                Role(form.role.data),
                name=form.name.data or "",
                member=_chosen_member(form.member.data),
                actor=_me(),
            )
        except UserError as exc:
            getattr(form, exc.field or "email").errors = [str(exc)]
        else:
            flash(_("An invitation went to %(email)s; its link works for 72 hours.", email=user.email), "success")
            return redirect(url_for("accounts.index"))
    return render_form("accounts/invite.html", form=form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@policy.require(policy.can_manage_accounts)
def edit(user_id: int) -> tuple[str, int] | Response:
    user = _account(user_id)
    form = AccountForm(obj=user)
    form.member.choices = _member_choices()
    if not form.is_submitted():
        form.role.data = user.role.value
        form.member.data = user.member.code if user.member else ""
    if form.validate_on_submit():
        try:
            accounts.change_role(
                user, Role(form.role.data), _chosen_member(form.member.data), name=form.name.data or "", actor=_me()
            )
        except UserError as exc:
            getattr(form, exc.field or "role").errors = [str(exc)]
        else:
            flash(_("%(email)s was saved.", email=user.email), "success")
            return redirect(url_for("accounts.edit", user_id=user.id))
    return render_form(
        "accounts/edit.html",
        form=form,
        account=user,
        action=ActionForm(),
        two_factor=twofactor.has_second_factor(user),
        invited=not has_password(user),
    )


def _act(user_id: int, work: str) -> Response:
    user = _account(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if work == "deactivate":
            accounts.set_active(user, False, actor=_me())
            flash(_("%(email)s is deactivated; its sessions have ended.", email=user.email), "success")
        elif work == "reactivate":
            accounts.set_active(user, True, actor=_me())
            flash(_("%(email)s can sign in again.", email=user.email), "success")
        elif work == "reset":
            twofactor.reset(user, actor=_me())
            flash(
                _(
                    "The second factor of %(email)s is removed; it sets up a new one at its next sign-in.",
                    email=user.email,
                ),
                "success",
            )
        else:
            accounts.resend_invitation(user, actor=_me())
            flash(_("A new invitation went to %(email)s; earlier links no longer work.", email=user.email), "success")
    except UserError as exc:
        flash(str(exc), "error")
    return redirect(url_for("accounts.edit", user_id=user.id))


@bp.post("/<int:user_id>/deactivate")
@policy.require(policy.can_manage_accounts)
def deactivate(user_id: int) -> Response:
    return _act(user_id, "deactivate")


@bp.post("/<int:user_id>/reactivate")
@policy.require(policy.can_manage_accounts)
def reactivate(user_id: int) -> Response:
    return _act(user_id, "reactivate")


@bp.post("/<int:user_id>/reset-two-factor")
@policy.require(policy.can_manage_accounts)
def reset_two_factor(user_id: int) -> Response:
    return _act(user_id, "reset")


@bp.post("/<int:user_id>/resend-invitation")
@policy.require(policy.can_manage_accounts)
def resend_invitation(user_id: int) -> Response:
    return _act(user_id, "resend")
