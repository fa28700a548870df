"""Helpers for the accounts tests: an app with two-factor sign-in required, links read from the outbox."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from eventapp.auth import twofactor
from eventapp.extensions import db
from eventapp.models import OutboxMessage, SecondFactor, User
from eventapp.privacy.crypto import decrypt_text

LINK = re.compile(r"https?://[^\s]+/set-password/[A-Za-z0-9_\-]+")


def last_link_to(email: str) -> str:
    """The path of the newest set-password link mailed to `email`."""
    db.session.expire_all()
    body = db.session.scalar(
        sa.select(OutboxMessage.body_text).where(OutboxMessage.to == email).order_by(OutboxMessage.id.desc())
    )
    assert body, f"no message to {email}"
    match = LINK.search(body)
    assert match, body
    return "/set-password/" + match.group(0).rsplit("/", 1)[1]


def totp_for(email: str) -> pyotp.TOTP:
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    factor = db.session.get(SecondFactor, user.id)
    return pyotp.TOTP(decrypt_text(factor.secret_encrypted))


def enrol_second_factor(user: User) -> str:
    """Set up `user`'s authenticator through the app's own service (in an app context); its secret.

    Confirmed with the previous time step's code, so that the code of the step a sign-in then
    sends is later than the one spent here, not a replay.
    """
    secret = twofactor.start_enrolment(user)
    totp = pyotp.TOTP(secret)
    assert twofactor.confirm_enrolment(user, code_at(totp, -1)) is not None, "the enrolment code was refused"
    return secret


def code_at(totp: pyotp.TOTP, steps_from_now: int) -> str:
    """The code of a neighbouring time step (inside the accepted window of one step each way)."""
    return totp.generate_otp(int(time.time()) // totp.interval + steps_from_now)
