"""A database connection lost in the middle of a request (the server restarted, a proxy dropped it).

SQLAlchemy invalidates such a connection, so rolling the session back cannot fail and the pool
opens a new one. A request that writes nothing (GET, HEAD) then runs once more, as if it had
just arrived; any other request is answered 503 with Retry-After, never 500, since whether its
commit reached the database is unknown to it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext

from eventapp.extensions import db
from eventapp.models.base import N_

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TITLE = N_("Briefly unavailable")
MESSAGE = N_(
    "The connection to the database was interrupted. Please try again in a moment; if you were "
    "saving something, check whether it was saved."
)
RETRY_AFTER = {"Retry-After": "1"}


def _lost(error: BaseException) -> bool:
    return isinstance(error, sa.exc.DBAPIError) and bool(error.connection_invalidated)


def _unavailable() -> Any:
    if request.path.startswith("/api/"):
        return jsonify({"error": TITLE}), 503, RETRY_AFTER
    page = render_template("errors/error.html", code=503, title=gettext(TITLE), message=gettext(MESSAGE))
    return page, 503, RETRY_AFTER


def register(app: Flask) -> None:
    @app.errorhandler(sa.exc.DBAPIError)
    def lost_connection(error: sa.exc.DBAPIError) -> Any:
        if not _lost(error):
            raise error  # an ordinary database error: the 500 handler logs it
        db.session.rollback()
        if request.method not in SAFE_METHODS or g.get("database_retried"):
            return _unavailable()
        g.database_retried = True
        try:
            return current_app.preprocess_request() or current_app.dispatch_request()
        except sa.exc.DBAPIError as again:
            if not _lost(again):
                raise
            db.session.rollback()
            return _unavailable()
