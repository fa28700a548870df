"""How a bilateral names the members: as the meeting writes them, in the reader's language."""

from __future__ import annotations

from eventapp.i18n.translated import translated
from eventapp.models import Member


def member_name(member: Member) -> str:
    """The member's name in the current language when the secretariat gave one, else as the communiqués write it."""
    return translated(member.name, getattr(member, "name_translations", None))
