"""The order of a name's parts: family name first for East Asian scripts, or by the person's choice."""

from __future__ import annotations

from eventapp.models import NameOrder, Registration
from eventapp.names.scripts import EAST_ASIAN, main_script

#: Nationalities (ISO 3166-1 alpha-3) whose names are usually written family name first: the name
#: order a person from there is offered when they have not chosen one.
FAMILY_FIRST_COUNTRIES = frozenset({"CHN", "TWN", "HKG", "MAC", "JPN", "KOR", "PRK", "VNM", "KHM", "HUN", "MNG"})


def default_order(given_name: str, family_name: str, nationality: str | None) -> NameOrder:
    """The order offered when the person chose none: by the name's script, then the nationality."""
    if main_script(given_name + family_name) in EAST_ASIAN:
        return NameOrder.FAMILY_FIRST
    if nationality in FAMILY_FIRST_COUNTRIES:
        return NameOrder.FAMILY_FIRST
    return NameOrder.GIVEN_FIRST


def compose(given_name: str, family_name: str, order: NameOrder) -> str:
    """The whole name in the chosen order; East Asian scripts join the parts without a space."""
    parts = [p for p in (given_name.strip(), family_name.strip()) if p]
    if order == NameOrder.FAMILY_FIRST:
        parts.reverse()
    separator = "" if len(parts) == 2 and all(main_script(p) in EAST_ASIAN for p in parts) else " "
    return separator.join(parts)


def effective_order(registration: Registration) -> NameOrder:
    return registration.name_order or default_order(
        registration.given_name, registration.family_name, registration.nationality
    )


def badge_name(registration: Registration) -> str:
    """What the badge prints as the name: the person's badge name, else their whole name."""
    return registration.badge_name.strip() or registration.full_name
