"""The speakers blueprint with all its routes (hosts', public and delegations' pages)."""

from __future__ import annotations

from eventapp.speakers import delegation_views, host_views, public_views  # noqa: F401  (their routes join `bp`)
from eventapp.speakers.blueprint import bp

__all__ = ["bp"]
