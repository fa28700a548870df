"""Domain errors of bilaterals, shown next to the field at fault."""

from __future__ import annotations


class BilateralError(ValueError):
    """A request, an answer or a booking could not be saved; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
