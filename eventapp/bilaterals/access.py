"""Who may see and act on a bilateral: the two delegations' focal points, and the hosts.

Role checks come from eventapp.auth.policy; this module adds which side of a bilateral a focal
point speaks for. Anyone else is told the bilateral does not exist.
"""

from __future__ import annotations

from typing import Any

from eventapp.auth import policy
from eventapp.bilaterals.settings import settings_of
from eventapp.models import Bilateral, BilateralSide, Delegation


def can_use_bilaterals(user: Any) -> bool:
    """Bilateral pages are for signed-in focal points, hosts and the secretariat."""
    return policy.is_focal_point(user) or policy.can_manage_meetings(user)


def is_staff(user: Any) -> bool:
    """Hosts and the secretariat see every bilateral of a meeting and book its rooms."""
    return policy.can_manage_meetings(user)


def speaks_for(user: Any, delegation: Delegation) -> bool:
    """A focal point speaks for their member's delegation while it is invited to the meeting."""
    return policy.is_focal_point(user) and policy.can_open_delegation(user, delegation)


def side_of(user: Any, bilateral: Bilateral) -> BilateralSide | None:
    """The side this focal point speaks for in the bilateral, or None."""
    if speaks_for(user, bilateral.requester):
        return BilateralSide.REQUESTER
    if speaks_for(user, bilateral.counterpart):
        return BilateralSide.COUNTERPART
    return None


def can_see(user: Any, bilateral: Bilateral) -> bool:
    return is_staff(user) or side_of(user, bilateral) is not None


def can_open_list(user: Any, delegation: Delegation) -> bool:
    """A delegation's bilaterals: its focal points, hosts and the secretariat."""
    return is_staff(user) or speaks_for(user, delegation)


def can_book_room(user: Any, bilateral: Bilateral) -> bool:
    """Hosts book bilateral rooms; the two delegations too when the meeting's settings allow it."""
    if is_staff(user):
        return True
    return side_of(user, bilateral) is not None and settings_of(bilateral.meeting).delegations_book_rooms
