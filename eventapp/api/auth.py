"""Who calls the API: a device with a bearer token, or a signed-in scanner using the scanner page.

Device tokens are random, shown once, and stored as their SHA-256. The API is exempt from the
CSRF check of forms because bearer tokens are not sent by browsers on their own; a browser
session may call it too, but then a state-changing request must carry the CSRF token in the
X-CSRFToken header (the scanner page does), so a cookie alone never suffices.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy.orm import joinedload
from wtforms.validators import ValidationError

from eventapp.auth.policy import can_scan
from eventapp.extensions import db
from eventapp.models import DeviceToken, Meeting
from eventapp.models.base import utcnow

LAST_USED_GRANULARITY = timedelta(minutes=10)
TOKEN_PREFIX = "evd_"  # noqa: S105 (a marker, not a secret)


class AuthError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Caller:
    device_id: int | None
    user_id: int | None
    label: str
    #: For a device: its meeting (a device works for one meeting only), read with the token.
    meeting: Meeting | None = None

    def may_use(self, meeting: Meeting) -> bool:
        return self.meeting is None or self.meeting.id == meeting.id


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_device_token(meeting: Meeting, name: str) -> tuple[DeviceToken, str]:
    """A new device token; the plain value is returned once and never stored (the caller commits)."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    device = DeviceToken(meeting_id=meeting.id, name=name.strip()[:120], token_hash=hash_token(plain))
    db.session.add(device)
    return device, plain


def _read_device(token_hash: str) -> DeviceToken | None:
    """The device and its meeting, read on every request (never cached: a revoked token stops
    working at once in every worker)."""
    return db.session.scalar(
        sa.select(DeviceToken)
        .where(DeviceToken.token_hash == token_hash)
        # What scanning needs of the meeting; any other attribute loads when first read.
        .options(joinedload(DeviceToken.meeting).load_only(Meeting.slug, Meeting.badge_public_key))
    )


def mark_device_used(device_id: int) -> None:
    """Save when the device was last used; called after a request it was allowed to make.

    Called at most every LAST_USED_GRANULARITY: an UPDATE per scan would serialise every scan
    of the device on this one row.
    """
    db.session.execute(sa.update(DeviceToken).where(DeviceToken.id == device_id).values(last_used_at=utcnow()))
    db.session.commit()


def current_caller() -> Caller:
    """The caller of this request, or AuthError (401 without credentials, 403 without the role).

    Decided once per request: the rate limits ask first (eventapp/api/budgets.py), then the view.
    """
    if "api_caller" not in g:
        try:
            g.api_caller = _identify()
        except AuthError as exc:
            g.api_caller = exc
    if isinstance(g.api_caller, AuthError):
        raise g.api_caller
    return g.api_caller


def valid_caller() -> bool:
    """Whether the request comes from a valid caller: a live device token, or an account that may scan."""
    try:
        current_caller()
    except AuthError:
        return False
    return True


def _identify() -> Caller:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthError(401, "Use 'Authorization: Bearer <device token>'.")
        device = _read_device(hash_token(value.strip()))
        if device is not None and device.revoked_at is not None:
            from eventapp.devices.services import note_refused_request

            note_refused_request(device.id)  # the hosts' devices page flags what it still sends
            raise AuthError(401, "This device was revoked: its scans are refused. Ask a host for a new device link.")
        if device is None:
            raise AuthError(401, "The device token is unknown or revoked.")
        if device.last_used_at is None or utcnow() - device.last_used_at > LAST_USED_GRANULARITY:
            g.device_to_mark = device.id
        return Caller(device_id=device.id, user_id=None, label=device.name, meeting=device.meeting)
    if current_user.is_authenticated:
        if not can_scan(current_user):
            raise AuthError(403, "Your account may not scan badges.")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except ValidationError as exc:
                raise AuthError(401, "Missing or expired X-CSRFToken header.") from exc
        return Caller(device_id=None, user_id=current_user.id, label=current_user.email)
    raise AuthError(401, "Send a device token: 'Authorization: Bearer <token>'.")
