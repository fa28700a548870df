"""Signing in and out: the password, then the second factor where the account has one; lost passwords."""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from eventapp.audit.services import record
from eventapp.auth import links, twofactor
from eventapp.auth.forms import CodeForm, ForgotPasswordForm, LoginForm, LogoutForm, SetPasswordForm
from eventapp.auth.loader import load_user
from eventapp.auth.services import AuthError, UserError, authenticate, end_all_sessions, safe_next_url
from eventapp.extensions import db
from eventapp.models import User
from eventapp.web import limits
from eventapp.web.responses import render_form

bp = Blueprint("auth", __name__)

#: Between the password and the code: who, for how long, and how many wrong codes it may send.
PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300
MAX_CODE_FAILURES = 5
#: Pages an account that must set up two-factor sign-in may open before it has.
ENROLMENT_OPEN = {"auth.logout", "account.two_factor", "static", "i18n.choose", "web.healthz"}


def _signed_in(user: User, remember: bool, next_url: str | None, *, method: str = "password") -> Response:
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    login_user(user, remember=remember)
    record("user.sign_in", user, actor=user, details={"with": method})
    db.session.commit()
    flash(_("Signed in as %(email)s.", email=user.email), "success")
    if twofactor.required_for(user) and not twofactor.has_second_factor(user):
        flash(_("Your account needs two-factor sign-in: set it up now."), "info")
        return redirect(url_for("account.two_factor"))
    return redirect(safe_next_url(next_url) or url_for("meetings.home"))


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
def login() -> tuple[str, int] | Response:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next_url(form.next.data) or url_for("meetings.home"))
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data or "", form.password.data or "")
        except AuthError as exc:
            form.password.errors = [str(exc)]
        else:
            if not twofactor.has_second_factor(user):
                return _signed_in(user, bool(form.remember.data), form.next.data)
            session.clear()
            session[PENDING_KEY] = {
                "user": user.get_id(),
                "remember": bool(form.remember.data),
                "next": safe_next_url(form.next.data) or "",
                "at": int(time.time()),
                "failures": 0,
            }
            return redirect(url_for("auth.code"))
    return render_form("auth/login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limits.sign_in
def code() -> tuple[str, int] | Response:
    """The second step: a code from the authenticator or a recovery code, within five minutes."""
    pending = session.get(PENDING_KEY)
    user = load_user(str(pending.get("user", ""))) if isinstance(pending, dict) else None
    if user is None or not user.is_active or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        kind = twofactor.verify(user, form.code.data or "")
        if kind is not None:
            method = "recovery code" if kind == "recovery" else "password and authenticator code"
            answer = _signed_in(user, bool(pending.get("remember")), pending.get("next"), method=method)
            if kind == "recovery":
                flash(
                    _(
                        "You signed in with a recovery code; it cannot be used again. %(n)d left.",
                        n=twofactor.recovery_codes_left(user),
                    ),
                    "warning",
                )
            return answer
        record("user.code_refused", user, details={"email": user.email})
        db.session.commit()
        pending["failures"] = int(pending.get("failures", 0)) + 1
        session[PENDING_KEY] = pending
        if pending["failures"] >= MAX_CODE_FAILURES:
            session.pop(PENDING_KEY, None)
            flash(_("Too many wrong codes. Sign in again with your password."), "error")
            return redirect(url_for("auth.login"))
        form.code.errors = [_("This code is not right, or was used already. Wait for the next code and try again.")]
    return render_form("auth/code.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    if LogoutForm().validate_on_submit():
        end_all_sessions(current_user._get_current_object())  # copies of the cookies die too
        session.clear()
        logout_user()  # after clear(): it marks the remember-me cookie for deletion in the session
        flash(_("You are signed out."), "info")
    return redirect(url_for("meetings.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limits.public_form
def forgot_password() -> tuple[str, int] | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        links.request_password_reset(form.email.data or "")
        # The same answer whether or not the address has an account.
        flash(
            _(
                "If %(email)s has an account, a link to choose a new password is on its way. "
                "It works once, for 2 hours.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.forgot_password"))
    return render_form("auth/forgot.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limits.private_link
def set_password(token: str) -> tuple[str, int] | Response:
    """An invitation or reset link: choose a password, once."""
    link = links.find_link(token)
    if link is None:
        return render_template("auth/link_spent.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = links.use_link(link, form.password.data or "")
        except UserError as exc:
            form.password.errors = [str(exc)]
        else:
            session.clear()
            logout_user()
            return render_template("auth/password_set.html", user=user)
    return render_form("auth/set_password.html", form=form, link=link)


@bp.before_app_request
def _require_enrolment() -> Response | None:
    """A staff account without its second factor may only set it up (or sign out)."""
    if request.endpoint in ENROLMENT_OPEN or request.endpoint is None or not current_user.is_authenticated:
        return None
    if not twofactor.required_for(current_user) or twofactor.has_second_factor(current_user):
        return None
    if request.blueprint == "api":
        abort(403)
    flash(_("Your account needs two-factor sign-in: set it up now."), "info")
    return redirect(url_for("account.two_factor"))
