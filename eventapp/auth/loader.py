"""Flask-Login wiring."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import gettext

from eventapp.extensions import db, login_manager
from eventapp.models import User
from eventapp.models.base import N_

# Nine digits at most: the values fit a PostgreSQL integer.
_USER_ID = re.compile(r"(?P<id>[0-9]{1,9}):(?P<version>[0-9]{1,9})")


def configure_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flashed through gettext in the reader's language (a lazy string cannot go into the session).
    login_manager.login_message = N_("Please sign in to see that page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of an "id:version" cookie value, if that version is still current (see User.get_id)."""
    match = _USER_ID.fullmatch(user_id)
    if match is None:
        return None
    user = db.session.get(User, int(match["id"]))
    if user is None or user.session_version != int(match["version"]):
        return None
    return user
