"""Two-factor sign-in: TOTP authenticators (pyotp) and ten single-use recovery codes.

Required for the secretariat and hosts (TWO_FACTOR_FOR_STAFF; only the test app turns it off),
optional for everyone else. A code is accepted once: the time step of the last accepted code is
kept, and a code of that step or an earlier one is refused, so a code seen over a shoulder or in
a proxy log cannot be replayed inside its window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from flask import current_app

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import RecoveryCode, Role, SecondFactor, User
from eventapp.models.base import utcnow
from eventapp.privacy.crypto import decrypt_text, encrypt_text

ISSUER = "WPS Focal Points Network"
RECOVERY_CODE_COUNT = 10
#: Codes of the step before and after the current one are accepted too (clocks drift).
VALID_WINDOW = 1
STAFF_ROLES = (Role.ADMIN, Role.HOST)
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def second_factor(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def has_second_factor(user: User) -> bool:
    factor = second_factor(user)
    return factor is not None and factor.is_confirmed


def required_for(user: User) -> bool:
    """Whether this account may not work without a second factor."""
    return user.role in STAFF_ROLES and bool(current_app.config.get("TWO_FACTOR_FOR_STAFF", True))


def start_enrolment(user: User) -> str:
    """The secret of the authenticator being set up (made once, kept until confirmed); commits."""
    factor = second_factor(user)
    if factor is not None and factor.is_confirmed:
        raise ValueError("already enrolled")
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret_encrypted=encrypt_text(pyotp.random_base32()))
        db.session.add(factor)
        db.session.commit()
    return decrypt_text(factor.secret_encrypted)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data: address for an <img>."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an authenticator."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step whose code is `code`, within the window and later than `after`."""
    digits = _clean(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _hash_code(code: str) -> str:
    return hashlib.sha256(_clean(code).encode("ascii", "ignore")).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)) for code in codes)
    return codes


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Turn the authenticator on if `code` is right; return the recovery codes (shown once), else None."""
    factor = db.session.get(SecondFactor, user.id, with_for_update=True, populate_existing=True)
    if factor is None or factor.is_confirmed:
        db.session.rollback()
        return None
    step = _matching_step(decrypt_text(factor.secret_encrypted), code, None)
    if step is None:
        db.session.rollback()
        return None
    factor.confirmed_at = utcnow()
    factor.last_step = step
    codes = _new_recovery_codes(user)
    record("user.two_factor_on", user, actor=user, details={"email": user.email})
    db.session.commit()
    return codes


def verify(user: User, code: str) -> str | None:
    """Check a sign-in code: "totp" or "recovery" when accepted (and spent), None when refused. Commits."""
    factor = db.session.get(
        SecondFactor, user.id, with_for_update=True, populate_existing=True
    )  # one check at a time per account
    if factor is None or not factor.is_confirmed:
        db.session.rollback()
        return None
    step = _matching_step(decrypt_text(factor.secret_encrypted), code, factor.last_step)
    if step is not None:
        factor.last_step = step
        db.session.commit()
        return "totp"
    if len(_clean(code)) == 10:
        spent = db.session.execute(
            sa.update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _hash_code(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        )
        if spent.rowcount == 1:  # type: ignore[attr-defined]
            record("user.recovery_code_used", user, actor=user, details={"left": recovery_codes_left(user)})
            db.session.commit()
            return "recovery"
    db.session.rollback()
    return None


def recovery_codes_left(user: User) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def renew_recovery_codes(user: User, code: str) -> list[str] | None:
    """New recovery codes (the old ones stop working) after a current code; None if the code is wrong."""
    if verify(user, code) is None:
        return None
    codes = _new_recovery_codes(user)
    record("user.recovery_codes_renewed", user, actor=user, details={"email": user.email})
    db.session.commit()
    return codes


def _remove(user: User) -> None:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(sa.delete(SecondFactor).where(SecondFactor.user_id == user.id))


def turn_off(user: User, code: str) -> bool:
    """The user removes their own second factor after a current code; not allowed where it is required."""
    if required_for(user) or verify(user, code) is None:
        return False
    _remove(user)
    record("user.two_factor_off", user, actor=user, details={"email": user.email})
    db.session.commit()
    return True


def reset(user: User, *, actor: User) -> None:
    """The secretariat removes another account's second factor (a lost phone); it is signed out everywhere."""
    _remove(user)
    user.end_sessions()
    record("user.two_factor_reset", user, actor=actor, details={"email": user.email})
    db.session.commit()
