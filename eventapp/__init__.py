"""The WPS Focal Points Network meeting app."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config -> middleware -> extensions -> blueprints -> errors -> template helpers -> CLI."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    configure(app, test_config)
    register_middleware(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    from eventapp.config import load_config

    app.config.update(load_config(app.instance_path, overrides=test_config or {}))


def register_middleware(app: Flask) -> None:
    from eventapp.web.edge import refuse_unstorable_urls
    from eventapp.web.security import trust_proxies

    trust_proxies(app)
    refuse_unstorable_urls(app)


def register_extensions(app: Flask) -> None:
    from eventapp import models  # noqa: F401  (complete metadata before binding)
    from eventapp.auth.loader import configure_login
    from eventapp.extensions import csrf, db, limiter, migrate
    from eventapp.i18n.setup import configure_i18n
    from eventapp.web.security import configure_security

    db.init_app(app)
    limiter.init_app(app)
    configure_security(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    configure_login(app)
    configure_i18n(app)


def register_blueprints(app: Flask) -> None:
    from eventapp.agenda.views import bp as agenda_bp
    from eventapp.api.views import bp as api_bp
    from eventapp.audit.views import bp as audit_bp
    from eventapp.auth.account_views import bp as account_bp
    from eventapp.auth.admin_views import bp as accounts_bp
    from eventapp.auth.views import bp as auth_bp
    from eventapp.badges.views import bp as badges_bp
    from eventapp.bilaterals.views import bp as bilaterals_bp
    from eventapp.checkin.views import bp as checkin_bp
    from eventapp.devices.views import bp as devices_bp
    from eventapp.feeds.views import bp as feeds_bp
    from eventapp.i18n.views import bp as i18n_bp
    from eventapp.mail.views import bp as mail_bp
    from eventapp.meetings.views import bp as meetings_bp
    from eventapp.members.directory_views import bp as directory_bp
    from eventapp.members.views import bp as members_bp
    from eventapp.messaging.views import bp as messaging_bp
    from eventapp.registration.views import bp as registration_bp
    from eventapp.reports.views import bp as reports_bp
    from eventapp.speakers.views import bp as speakers_bp
    from eventapp.web.views import bp as web_bp
    from eventapp.workspace.views import bp as workspace_bp

    for blueprint in (
        web_bp,
        i18n_bp,
        auth_bp,
        members_bp,
        meetings_bp,
        registration_bp,
        agenda_bp,
        feeds_bp,
        badges_bp,
        checkin_bp,
        api_bp,
        reports_bp,
        mail_bp,
        account_bp,
        accounts_bp,
        audit_bp,
        directory_bp,
        devices_bp,
        bilaterals_bp,
        speakers_bp,
        workspace_bp,
        messaging_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from eventapp.web import database_faults, errors

    errors.register(app)
    database_faults.register(app)


def register_template_helpers(app: Flask) -> None:
    from eventapp.web.datetimes import register as register_datetimes
    from eventapp.web.formatting import register
    from eventapp.workspace.menu import register as register_workspace_menu

    register(app)
    register_datetimes(app)
    register_workspace_menu(app)


def register_commands(app: Flask) -> None:
    from eventapp.cli import register

    register(app)
