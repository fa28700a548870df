"""Domain errors of speakers' lists; views show them next to the field they name."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class SpeakersError(ValueError):
    """A speakers' list step could not be done; `field` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def rolls_back(service: F) -> F:
    """A service that fails leaves nothing half-written and releases the list's lock."""

    @wraps(service)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from eventapp.extensions import db

        try:
            return service(*args, **kwargs)
        except SpeakersError:
            db.session.rollback()
            raise

    return wrapped  # type: ignore[return-value]
