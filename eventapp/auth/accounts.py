"""The secretariat's account work: invite, change a role, deactivate and reactivate."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from eventapp.audit.services import record
from eventapp.auth.links import NO_PASSWORD, has_password, send_invitation
from eventapp.auth.services import UserError, find_user_by_email, normalise_email
from eventapp.extensions import db
from eventapp.models import Member, Role, SecondFactor, User


@dataclass
class AccountRow:
    user: User
    two_factor: bool

    @property
    def state(self) -> str:
        if not self.user.is_active_account:
            return "deactivated"
        return "active" if has_password(self.user) else "invited"


def list_accounts() -> list[AccountRow]:
    """Every account, the secretariat first, then by role and address; with whether 2FA is on."""
    users = db.session.scalars(sa.select(User).options(selectinload(User.member))).all()
    enrolled = set(db.session.scalars(sa.select(SecondFactor.user_id).where(SecondFactor.confirmed_at.is_not(None))))
    order = {role: i for i, role in enumerate(Role)}
    users = sorted(users, key=lambda u: (order[u.role], u.email))
    return [AccountRow(u, u.id in enrolled) for u in users]


def _member_rule(role: Role, member: Member | None) -> Member | None:
    if role == Role.FOCAL_POINT and member is None:
        raise UserError(_("Choose the member this focal point speaks for."), field="member")
    return member if role == Role.FOCAL_POINT else None


def invite(email: str, role: Role, *, name: str, member: Member | None, actor: User) -> User:
    """Make an account without a password and email it a 72-hour link to choose one; commits."""
    try:
        address = normalise_email(email)
    except UserError:
        raise UserError(_("Enter an email address such as name@example.org."), field="email") from None
    bound = _member_rule(role, member)
    if find_user_by_email(address) is not None:
        raise UserError(_("There is already an account for %(email)s.", email=address), field="email")
    user = User(email=address, role=role, member=bound, name=" ".join(name.split()), password_hash=NO_PASSWORD)
    db.session.add(user)
    record(
        "user.invite",
        user,
        actor=actor,
        details={"email": address, "role": role.value, "member": bound.code if bound else None},
    )
    send_invitation(user, actor=actor)
    db.session.commit()
    return user


def resend_invitation(user: User, *, actor: User) -> None:
    if has_password(user):
        raise UserError(_("This account has chosen its password already."))
    send_invitation(user, actor=actor)
    record("user.invite_again", user, actor=actor, details={"email": user.email})
    db.session.commit()


def change_role(user: User, role: Role, member: Member | None, *, name: str, actor: User) -> None:
    """Set the account's role (and member for a focal point) and name; commits."""
    if user.id == actor.id and role != user.role:
        raise UserError(_("You cannot change your own role; ask another member of the secretariat."), field="role")
    bound = _member_rule(role, member)
    changed: dict[str, list[object]] = {}
    if user.role != role:
        changed["role"] = [user.role.value, role.value]
        user.role = role
    old_member = user.member.code if user.member else None
    new_member = bound.code if bound else None
    if old_member != new_member:
        changed["member"] = [old_member, new_member]
        user.member = bound
    clean_name = " ".join(name.split())
    if clean_name != user.name:
        changed["name"] = [user.name, clean_name]
        user.name = clean_name
    if changed:
        record("user.update", user, actor=actor, details={"email": user.email, **changed})
    db.session.commit()


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate (every session ends at once) or reactivate an account; commits."""
    if user.id == actor.id:
        raise UserError(_("You cannot deactivate your own account."))
    if user.is_active_account == active:
        return
    user.is_active_account = active
    if not active:
        user.end_sessions()
    record("user.reactivate" if active else "user.deactivate", user, actor=actor, details={"email": user.email})
    db.session.commit()
