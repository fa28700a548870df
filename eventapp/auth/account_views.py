"""The signed-in person's own account: two-factor sign-in and password."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from eventapp.auth import twofactor
from eventapp.auth.forms import ChangePasswordForm, ConfirmCodeForm
from eventapp.auth.services import UserError, change_password
from eventapp.models import User
from eventapp.web.responses import render_form

bp = Blueprint("account", __name__, url_prefix="/account")


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _codes_page(codes: list[str]) -> Response:
    """Recovery codes are shown once: the page is not kept for the back button."""
    page = make_response(render_template("account/recovery_codes.html", codes=codes))
    page.headers["Cache-Control"] = "no-store"
    return page


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> tuple[str, int] | Response:
    """Account overview and a new password (every other session of the account ends with the old one)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            if not _me().check_password(form.current.data or ""):
                raise UserError(_("This is not your current password."), field="current")
            change_password(_me(), form.password.data or "", actor=_me())
        except UserError as exc:
            getattr(form, exc.field or "password").errors = [str(exc)]
        else:
            # Every session ended with the old password; this one goes on with the new one.
            session.clear()
            login_user(_me())
            flash(_("Your password is changed; your other sessions have ended."), "success")
            return redirect(url_for("account.index"))
    me = _me()
    return render_form(
        "account/index.html",
        form=form,
        enrolled=twofactor.has_second_factor(me),
        required=twofactor.required_for(me),
        codes_left=twofactor.recovery_codes_left(me),
    )


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor() -> tuple[str, int] | Response | str:
    """Set up an authenticator: QR code and the secret as text, then a first code to prove it works."""
    me = _me()
    if twofactor.has_second_factor(me):
        return redirect(url_for("account.index"))
    secret = twofactor.start_enrolment(me)
    form = ConfirmCodeForm()
    if form.validate_on_submit():
        codes = twofactor.confirm_enrolment(me, form.code.data or "")
        if codes is not None:
            flash(_("Two-factor sign-in is on."), "success")
            return _codes_page(codes)
        form.code.errors = [_("This code is not right. Check the time on your phone and enter the current code.")]
    uri = twofactor.provisioning_uri(me, secret)
    return render_form(
        "account/two_factor.html",
        form=form,
        qr=twofactor.qr_data_uri(uri),
        secret=twofactor.grouped(secret),
        required=twofactor.required_for(me),
    )


@bp.post("/two-factor/recovery-codes")
@login_required
def renew_codes() -> tuple[str, int] | Response | str:
    form = ConfirmCodeForm()
    if form.validate_on_submit():
        codes = twofactor.renew_recovery_codes(_me(), form.code.data or "")
        if codes is not None:
            return _codes_page(codes)
    flash(_("This code is not right, or was used already. Nothing was changed."), "error")
    return redirect(url_for("account.index"))


@bp.post("/two-factor/off")
@login_required
def turn_off() -> Response:
    form = ConfirmCodeForm()
    me = _me()
    if twofactor.required_for(me):
        flash(_("Your role needs two-factor sign-in; it stays on."), "error")
    elif form.validate_on_submit() and twofactor.turn_off(me, form.code.data or ""):
        flash(_("Two-factor sign-in is off."), "success")
    else:
        flash(_("This code is not right, or was used already. Nothing was changed."), "error")
    return redirect(url_for("account.index") if request.method == "POST" else url_for("meetings.home"))
