"""Accounts: creating users, checking passwords, safe redirects after sign-in."""

from __future__ import annotations

from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from eventapp.audit.services import record
from eventapp.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, is_common
from eventapp.extensions import db
from eventapp.models import Member, Role, User
from eventapp.models.base import utcnow


class AuthError(Exception):
    """Sign-in failed; the message is safe to show."""


class UserError(ValueError):
    """A user could not be created; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise UserError(f"Not a valid email address: {exc}", field="email") from exc


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User:
    """Return the active user with these credentials or raise AuthError (same message either way)."""
    user = find_user_by_email(email)
    if user is None or not user.check_password(password) or not user.is_active:
        raise AuthError(_("Email or password is not right."))
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_all_sessions(user: User) -> None:
    """Sign `user` out everywhere: every session and remember-me cookie issued so far stops working."""
    user.end_sessions()
    db.session.commit()


def check_new_password(password: str, *, email: str = "") -> None:
    """Long enough and not a common or breached password (see passwords.py); raise UserError."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("The password needs at least %(num)d characters.", num=MIN_PASSWORD_LENGTH), field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(
            _("The password can have at most %(num)d characters.", num=MAX_PASSWORD_LENGTH), field="password"
        )
    if is_common(password, email=email):
        raise UserError(
            _("This password is too common or has appeared in a data breach; choose another one."), field="password"
        )


def change_password(user: User, password: str, *, actor: User | None = None) -> None:
    """Set and commit a new password; every existing session of `user` ends with the old one."""
    check_new_password(password, email=user.email)
    user.set_password(password)  # also raises the session version
    record("user.password", user, actor=actor, details={"email": user.email})
    db.session.commit()


def create_user(
    email: str,
    role: Role,
    password: str,
    *,
    member: Member | None = None,
    name: str = "",
    actor: User | None = None,
) -> User:
    """Create and commit a user; raise UserError on bad input or a taken address."""
    address = normalise_email(email)
    check_new_password(password, email=address)
    if role == Role.FOCAL_POINT and member is None:
        raise UserError("A focal point must be bound to a member (--member ISO3 or code).", field="member")
    if role != Role.FOCAL_POINT and member is not None:
        raise UserError(_("Only focal points are bound to a member."), field="member")
    if find_user_by_email(address) is not None:
        raise UserError(_("There is already an account for %(email)s.", email=address), field="email")
    user = User(email=address, role=role, member=member, name=name.strip())
    user.set_password(password)
    db.session.add(user)
    record("user.create", user, actor=actor, details={"email": address, "role": role.value})
    db.session.commit()
    return user


def safe_next_url(target: str | None) -> str | None:
    """Return `target` only when it is a path on this site; never an absolute or scheme-relative URL."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
