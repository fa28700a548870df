"""The name a badge prints, and what the host is told before printing it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from eventapp.badges.fonts import missing_characters, printable
from eventapp.badges.measure import NAME_FLOOR
from eventapp.models import Registration
from eventapp.names.order import badge_name


@dataclass(frozen=True)
class PrintedName:
    #: What the badge prints.
    text: str
    #: Characters of the person's own name that no installed font draws.
    missing: tuple[str, ...] = ()
    #: Whether the Latin-script name the person gave is printed instead of their own.
    transliterated: bool = False


def printed_name(registration: Registration) -> PrintedName:
    """The person's name, or their Latin-script name when a character of theirs has no font.

    Never blank: without a Latin name, the characters a font has are printed, and the host is
    warned (name_problems).
    """
    own = badge_name(registration)
    missing = tuple(missing_characters(own))
    if not missing:
        return PrintedName(own)
    latin = registration.latin_name.strip()
    if latin and not missing_characters(latin):
        return PrintedName(latin, missing, True)
    return PrintedName(" ".join(printable(own).split()) or latin or registration.email, missing, False)


def name_problems(registration: Registration, layout: str = "a6") -> list[str]:
    """What a host should know before printing this person's badge (empty when all is well)."""
    from eventapp.badges.pdf import LAYOUTS, name_layout

    printed = printed_name(registration)
    problems = []
    if printed.missing:
        characters = " ".join(f"{c} (U+{ord(c):04X})" for c in printed.missing)
        if printed.transliterated:
            problems.append(
                _(
                    "No font prints %(characters)s: the badge prints the Latin-script name, %(name)s.",
                    characters=characters,
                    name=printed.text,
                )
            )
        else:
            problems.append(
                _(
                    "No font prints %(characters)s and there is no Latin-script name: the badge prints %(name)s. "
                    "Add the name in Latin letters before printing.",
                    characters=characters,
                    name=printed.text,
                )
            )
    if name_layout(printed.text, LAYOUTS[layout]).below_floor:
        problems.append(
            _(
                "The name is too long to print at %(size)d pt on two lines: give a shorter name as on the badge.",
                size=int(NAME_FLOOR),
            )
        )
    return problems
