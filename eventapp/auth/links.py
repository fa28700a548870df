"""Single-use links to choose a password: invitations (72 hours) and password resets (2 hours).

A link is a random token sent by email; only its SHA-256 is stored. Using a link, or sending a
newer one, spends every earlier link of the account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from eventapp.audit.services import record
from eventapp.auth.services import check_new_password, find_user_by_email
from eventapp.extensions import db
from eventapp.mail.services import queue_email
from eventapp.models import AccountLink, LinkPurpose, User
from eventapp.models.base import utcnow
from eventapp.registration.notifications import external_url

INVITATION_VALID_FOR = timedelta(hours=72)
RESET_VALID_FOR = timedelta(hours=2)
#: An account invited but without a password yet: no password can match this hash.
NO_PASSWORD = "!"  # noqa: S105 (a marker no hash can equal, not a password)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_password(user: User) -> bool:
    return bool(user.password_hash) and user.password_hash != NO_PASSWORD


def _spend_links(user: User) -> None:
    db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )


def issue_link(user: User, purpose: LinkPurpose, *, actor: User | None = None) -> str:
    """A new link for `user` (earlier ones stop working); the plain token is returned once. The caller commits."""
    _spend_links(user)
    token = secrets.token_urlsafe(32)
    valid_for = INVITATION_VALID_FOR if purpose == LinkPurpose.INVITATION else RESET_VALID_FOR
    creator = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    db.session.add(
        AccountLink(
            user_id=user.id,
            purpose=purpose,
            token_hash=_hash(token),
            expires_at=utcnow() + valid_for,
            created_by_id=creator.id if creator else None,
        )
    )
    return token


def send_invitation(user: User, *, actor: User | None = None) -> None:
    """Email `user` a new invitation link (the caller commits)."""
    token = issue_link(user, LinkPurpose.INVITATION, actor=actor)
    url = external_url("auth.set_password", token=token)
    inviter = (getattr(actor, "name", "") or getattr(actor, "email", "")) if actor is not None else ""
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=user.name or user.email),
            _(
                "You are invited to the WPS Focal Points Network's meeting app as %(role)s.",
                role=user.role.label,
            )
            + (" " + _("Invited by %(name)s.", name=inviter) if inviter else ""),
            _("Choose your password with this link within 72 hours; it works once:"),
            url,
            _("Your sign-in address is %(email)s.", email=user.email),
        ]
    )
    queue_email(user.email, _("Your account for the WPS Focal Points Network"), body + "\n")


def request_password_reset(email: str) -> None:
    """Email a reset link to an active account with this address; do nothing otherwise.

    The page says the same either way, so it tells no one whether an address has an account.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = issue_link(user, LinkPurpose.PASSWORD_RESET)
    url = external_url("auth.set_password", token=token)
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=user.name or user.email),
            _(
                "Someone asked to reset the password of your account. "
                "Choose a new one with this link within 2 hours; it works once:"
            ),
            url,
            _("If it was not you, ignore this message: your password stays as it is."),
        ]
    )
    queue_email(user.email, _("Reset your password"), body + "\n")
    record("user.password_reset_requested", user, details={"email": user.email})
    db.session.commit()


def find_link(token: str) -> AccountLink | None:
    """The link of this token if it can still be used: unspent, unexpired, for an active account."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(sa.select(AccountLink).where(AccountLink.token_hash == _hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow() or not link.user.is_active:
        return None
    return link


def use_link(link: AccountLink, password: str) -> User:
    """Set the account's password through the link, spend it, commit; raise UserError on a bad password."""
    user = link.user
    check_new_password(password, email=user.email)
    user.set_password(password)
    _spend_links(user)
    action = "user.invitation_accepted" if link.purpose == LinkPurpose.INVITATION else "user.password_reset"
    record(action, user, actor=user, details={"email": user.email})
    db.session.commit()
    return user
