"""Starting texts for the usual messages, written once and translated into the six languages.

A host picks one on the message form and gets a version in every language, placeholders
included ({name}, {meeting}, {dates}, {venue}, {link}: see eventapp/messaging/services.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from eventapp.i18n.locales import LANGUAGES
from eventapp.models.messaging import Versions


@dataclass(frozen=True)
class Starter:
    key: str
    title: Any
    subject: Any
    body: Any

    def versions(self) -> Versions:
        """Subject and body in each of the six languages."""
        result: Versions = {}
        for language in LANGUAGES:
            with force_locale(language):
                result[language] = {"subject": str(self.subject), "body": str(self.body)}
        return result


STARTERS: tuple[Starter, ...] = (
    Starter(
        "practical",
        _l("Practical information"),
        _l("{meeting}: practical information"),
        _l(
            "Dear {name},\n\n"
            "We look forward to welcoming you to {meeting} ({dates}) at {venue}.\n\n"
            "Please bring your badge and an identity document; the entrance opens one hour "
            "before the first session.\n\n"
            "Your registration, your badge and the agenda: {link}\n\n"
            "With kind regards,\nThe secretariat"
        ),
    ),
    Starter(
        "reminder",
        _l("Reminder"),
        _l("Reminder: {meeting} starts soon"),
        _l(
            "Dear {name},\n\n"
            "This is a reminder that {meeting} takes place on {dates} at {venue}.\n\n"
            "If you can no longer attend, please withdraw through your registration page so "
            "that someone else can take your place: {link}\n\n"
            "With kind regards,\nThe secretariat"
        ),
    ),
    Starter(
        "agenda",
        _l("Agenda change"),
        _l("{meeting}: the agenda has changed"),
        _l(
            "Dear {name},\n\n"
            "The agenda of {meeting} has changed. Please check the times and rooms of your "
            "sessions again: {link}\n\n"
            "With kind regards,\nThe secretariat"
        ),
    ),
)

BY_KEY = {starter.key: starter for starter in STARTERS}
