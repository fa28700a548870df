"""The language switcher: remember the choice in a cookie and go back to the page."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, request, url_for

from eventapp.auth.services import safe_next_url
from eventapp.i18n.locales import COOKIE_MAX_AGE, COOKIE_NAME, is_supported

bp = Blueprint("i18n", __name__)


@bp.route("/language", methods=["GET", "POST"])
def choose() -> Response:
    """Set the interface language (`lang`) and return to `next` (a path on this site)."""
    values = request.form if request.method == "POST" else request.args
    code = values.get("lang", "")
    response = redirect(safe_next_url(values.get("next")) or url_for("meetings.home"))
    if is_supported(code):
        response.set_cookie(
            COOKIE_NAME,
            code,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response
