"""A database connection lost in the middle of a request (the server restarted, a proxy dropped it).

SQLAlchemy invalidates such a connection, so rolling the session back cannot fail and the pool
opens a new one. A request that writes nothing (GET, HEAD) then runs once more, as if it had
just arrived; any other request is answered 503 with Retry-After, never 500, since whether its
commit reached the database is unknown to it. Code that caught the loss and went on (a
library's hook) meets "rollback first" next: that counts as the same loss. A connection lost
after the answer was made
fails only the closing rollback: the server ended that transaction with the connection, so the
answer stands.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, jsonify, render_template, request
from flask_babel import gettext
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext

from eventapp.extensions import db
from eventapp.models.base import N_

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TITLE = N_("Briefly unavailable")
MESSAGE = N_(
    "The connection to the database was interrupted. Please try again in a moment; if you were "
    "saving something, check whether it was saved."
)
RETRY_AFTER = {"Retry-After": "1"}


@event.listens_for(Engine, "handle_error")
def _note_lost_connection(context: ExceptionContext) -> None:
    if context.is_disconnect and has_app_context():
        g.database_connection_lost = True


def _lost(error: BaseException) -> bool:
    if isinstance(error, sa.exc.DBAPIError):
        return bool(error.connection_invalidated)
    return isinstance(error, sa.exc.PendingRollbackError) and bool(g.get("database_connection_lost"))


def _unavailable() -> Any:
    if request.path.startswith("/api/"):
        return jsonify({"error": TITLE}), 503, RETRY_AFTER
    page = render_template("errors/error.html", code=503, title=gettext(TITLE), message=gettext(MESSAGE))
    return page, 503, RETRY_AFTER


def register(app: Flask) -> None:
    """Call after the database extension is set up: this teardown then runs before its own."""

    @app.teardown_appcontext
    def close_session(error: BaseException | None) -> None:
        try:
            db.session.remove()
        except (sa.exc.DBAPIError, sa.exc.PendingRollbackError) as lost:
            if not _lost(lost):
                raise
            db.session.remove()  # the dead connection is invalidated: closing again cannot fail

    @app.errorhandler(sa.exc.DBAPIError)
    @app.errorhandler(sa.exc.PendingRollbackError)
    def lost_connection(error: sa.exc.SQLAlchemyError) -> Any:
        if not _lost(error):
            raise error  # an ordinary database error: the 500 handler logs it
        db.session.rollback()
        if request.method not in SAFE_METHODS or g.get("database_retried"):
            return _unavailable()
        g.database_retried = True
        try:
            return current_app.preprocess_request() or current_app.dispatch_request()
        except (sa.exc.DBAPIError, sa.exc.PendingRollbackError) as again:
            if not _lost(again):
                raise
            db.session.rollback()
            return _unavailable()
