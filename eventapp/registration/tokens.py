"""Private links for registrants: the manage link and the personal calendar feed.

Tokens are signed with the app's secret key and carry a version number stored on the
registration; bumping the version revokes every token issued before.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from eventapp.extensions import db
from eventapp.models import Registration

MANAGE_SALT = "registration.manage"
CALENDAR_SALT = "registration.calendar"


def _serializer(salt: str) -> URLSafeSerializer:
    return _cached_serializer(current_app.config["SECRET_KEY"], salt)


@functools.lru_cache(maxsize=16)
def _cached_serializer(secret: str, salt: str) -> URLSafeSerializer:
    # Made once per key and purpose: every submission signs a manage link.
    return URLSafeSerializer(secret, salt=salt)


def _make(registration: Registration, salt: str, version: int) -> str:
    return str(_serializer(salt).dumps([registration.id, version]))


@dataclass(frozen=True)
class TokenClaim:
    """What a token with a good signature says: whose it is and the link version it was made for."""

    registration_id: int
    version: int


def _read(token: str, salt: str) -> TokenClaim | None:
    try:
        registration_id, version = _serializer(salt).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(registration_id, int) or not isinstance(version, int):
        return None
    return TokenClaim(registration_id, version)


def _opens(claim: TokenClaim, registration: Registration, version_attr: str) -> bool:
    # Bumping the version stored on the registration revokes every token made before.
    return registration.id == claim.registration_id and getattr(registration, version_attr) == claim.version


def _load(token: str, salt: str, version_attr: str) -> Registration | None:
    claim = _read(token, salt)
    if claim is None:
        return None
    registration = db.session.get(Registration, claim.registration_id)
    if registration is None or not _opens(claim, registration, version_attr):
        return None
    return registration


def make_manage_token(registration: Registration) -> str:
    return _make(registration, MANAGE_SALT, registration.manage_token_version)


def load_manage_token(token: str) -> Registration | None:
    """The registration this manage token opens, or None if it is forged or revoked."""
    return _load(token, MANAGE_SALT, "manage_token_version")


def revoke_manage_tokens(registration: Registration) -> None:
    """Invalidate every manage link issued so far (the caller commits)."""
    registration.manage_token_version += 1


def make_calendar_token(registration: Registration) -> str:
    return _make(registration, CALENDAR_SALT, registration.calendar_token_version)


def load_calendar_token(token: str) -> Registration | None:
    return _load(token, CALENDAR_SALT, "calendar_token_version")


def read_calendar_token(token: str) -> TokenClaim | None:
    """Whose calendar link this is, if its signature holds: no query (`calendar_token_opens` is the rest)."""
    return _read(token, CALENDAR_SALT)


def calendar_token_opens(claim: TokenClaim, registration: Registration) -> bool:
    """Whether a link read by `read_calendar_token` still opens this registration's feed."""
    return _opens(claim, registration, "calendar_token_version")


def rotate_calendar_token(registration: Registration) -> str:
    """A new personal feed address; the old one stops working (the caller commits)."""
    registration.calendar_token_version += 1
    return make_calendar_token(registration)
