"""Site-wide endpoints that belong to no domain."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from eventapp.extensions import db

bp = Blueprint("web", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness and database reachability, for the proxy and the deploy checks."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
