"""Flask-Login wiring."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext

from eventapp.extensions import db, login_manager
from eventapp.models import User
from eventapp.models.base import N_


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
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))
