"""WSGI layers in front of Flask that answer a few hot, well-understood requests themselves.

Each layer handles what it is sure of and hands everything else to the app behind it unchanged
(see eventapp/feeds/fastpath.py and eventapp/api/scanfast.py).
"""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from sqlalchemy.engine import Connection, Engine
from werkzeug.middleware.proxy_fix import ProxyFix


class FrontLayer:
    """A WSGI layer with the app it stands for and the app's database engine."""

    def __init__(self, app: Flask, inner: Any) -> None:
        self.app = app
        self.inner = inner
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            from eventapp.extensions import db

            with self.app.app_context():
                self._engine = db.engine
        return self._engine


def fetch_one(conn: Connection, sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """The first row of SQL as the driver takes it, read from the driver's own cursor.

    SQLAlchemy's result layer (column metadata built from the cursor on every text statement)
    cost more than a scan's statements. The engine's cursor events still fire, so whatever
    listens to them (statement counts, write watches) sees these statements too.
    """
    dispatch = conn.dispatch
    cursor = conn.connection.cursor()
    try:
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(conn, cursor, sql, params, None, False)
        cursor.execute(sql, params)
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(conn, cursor, sql, params, None, False)
        return cursor.fetchone()
    except Exception:
        if getattr(conn.connection.dbapi_connection, "closed", False):
            conn.invalidate()  # a lost connection must not go back to the pool
        raise
    finally:
        cursor.close()


def take_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """Read a body of at most `limit` bytes and put it back for Flask; None (nothing read) otherwise."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if not 0 < length <= limit:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def install_in_front(app: Flask, layer: type[FrontLayer]) -> None:
    """Put the layer in front of the app, inside ProxyFix when there is one (so hosts and
    addresses are the real ones)."""
    wsgi = app.wsgi_app
    if isinstance(wsgi, ProxyFix):
        wsgi.app = layer(app, wsgi.app)
    else:
        app.wsgi_app = layer(app, wsgi)  # type: ignore[method-assign]
