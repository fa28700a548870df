from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from eventapp.auth.forms import LoginForm, LogoutForm
from eventapp.auth.services import AuthError, authenticate, end_all_sessions, safe_next_url
from eventapp.web import limits
from eventapp.web.responses import render_form

bp = Blueprint("auth", __name__)


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
            session.clear()  # a fresh session at sign-in: nothing carried over from before
            login_user(user, remember=bool(form.remember.data))
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return redirect(safe_next_url(form.next.data) or url_for("meetings.home"))
    return render_form("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    if LogoutForm().validate_on_submit():
        end_all_sessions(current_user._get_current_object())  # copies of the cookies die too
        session.clear()
        logout_user()  # after clear(): it marks the remember-me cookie for deletion in the session
        flash(_("You are signed out."), "info")
    return redirect(url_for("meetings.home"))
