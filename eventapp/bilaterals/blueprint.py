"""The bilaterals blueprint, shared by its view modules."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bilaterals", __name__)
