from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checkin", __name__)
