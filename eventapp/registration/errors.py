"""Domain errors of registration; views show them next to the field they name."""

from __future__ import annotations

from flask_babel import gettext as _


class RegistrationError(ValueError):
    """A registration step could not be done; `field` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class DuplicateEmail(RegistrationError):
    """Someone with this address is already registered for the meeting."""

    def __init__(self, email: str) -> None:
        super().__init__(
            _(
                "%(email)s is already registered for this meeting. You can have the private link to that "
                "registration sent to this address again.",
                email=email,
            ),
            field="email",
        )
        self.email = email


class RegistrationClosed(RegistrationError):
    """The meeting does not take registrations now."""
