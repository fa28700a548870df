"""Small response helpers shared by the blueprints."""

from __future__ import annotations

from typing import Any

from flask import render_template, request


def render_form(template: str, **context: Any) -> tuple[str, int]:
    """Render a form page: 200 when first shown, 422 when a submission is sent back with errors."""
    status = 422 if request.method == "POST" else 200
    return render_template(template, **context), status
