"""Site-wide endpoints that belong to no domain."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory
from sqlalchemy import text
from werkzeug.wrappers import Response

from eventapp.extensions import db

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness and database reachability, for the proxy and the deploy checks."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon for clients that ask for it at the root (feeds, PDFs, bookmarks): the SVG of base.html."""
    response = send_from_directory(current_app.static_folder or "static", "favicon.svg", mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
