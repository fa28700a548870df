"""The registration blueprint, shared by its view modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registration", __name__)


def attach_error(form: object, error: object, fallback: str) -> None:
    """Show a service error next to its field (or the fallback field)."""
    field = getattr(form, getattr(error, "field", None) or "", None) or getattr(form, fallback)
    field.errors = [*field.errors, str(error)]


def closed_page(meeting: object) -> tuple[str, int]:
    """Registration is not open: a friendly page and no form."""
    from flask import render_template

    return render_template("registration/closed.html", meeting=meeting), 403
