"""Domain errors of the agenda, shown next to the field at fault."""

from __future__ import annotations


class AgendaError(ValueError):
    """A session, room or pick could not be saved; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
