"""Who may do what. Every role check in the app goes through this module."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from eventapp.models import Meeting, MeetingStatus, Member, Role, Session, SessionAccess, User

F = TypeVar("F", bound=Callable[..., Any])


def _user(user: Any) -> User | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def is_admin(user: Any) -> bool:
    u = _user(user)
    return u is not None and u.role == Role.ADMIN


def can_manage_members(user: Any) -> bool:
    """Adding and editing members is the secretariat's job."""
    return is_admin(user)


def can_manage_meetings(user: Any) -> bool:
    """Creating meetings and changing their settings: the secretariat and hosts."""
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST)


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    """Published and archived meetings are public; drafts only for those who manage meetings."""
    return meeting.status != MeetingStatus.DRAFT or can_manage_meetings(user)


def can_act_for_member(user: Any, member: Member) -> bool:
    """A focal point acts for their own member only; the secretariat and hosts for all."""
    u = _user(user)
    if u is None:
        return False
    if u.role in (Role.ADMIN, Role.HOST):
        return True
    return u.role == Role.FOCAL_POINT and u.member_id == member.id


def can_manage_delegations(user: Any) -> bool:
    """Inviting members, revoking invitations and raising quotas: the secretariat and hosts."""
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST)


def can_review_registrations(user: Any) -> bool:
    """Approving and declining registrations, and capacity settings: the secretariat and hosts."""
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST)


def can_open_delegation(user: Any, delegation: Any) -> bool:
    """Hosts and the secretariat open any delegation; a focal point only their member's, while invited."""
    u = _user(user)
    if u is None:
        return False
    if u.role in (Role.ADMIN, Role.HOST):
        return True
    invited = delegation.invitation_token_hash is not None and delegation.invitation_revoked_at is None
    return u.role == Role.FOCAL_POINT and u.member_id == delegation.member_id and invited


def is_focal_point(user: Any) -> bool:
    u = _user(user)
    return u is not None and u.role == Role.FOCAL_POINT


def can_see_session(user: Any, session: Session) -> bool:
    """Open sessions are public; closed ones show to delegations' focal points, hosts and the secretariat."""
    if session.access == SessionAccess.OPEN:
        return True
    u = _user(user)
    if u is None:
        return False
    if session.access == SessionAccess.DELEGATIONS:
        return u.role in (Role.ADMIN, Role.HOST, Role.FOCAL_POINT)
    return u.role in (Role.ADMIN, Role.HOST)


def can_scan(user: Any) -> bool:
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST, Role.SCANNER)


def can_view_registrations(user: Any) -> bool:
    """Registration lists, exports, catering summaries and visa letters: hosts and the secretariat."""
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST)


def can_read_outbox(user: Any) -> bool:
    """The mail outbox holds personal data: hosts and the secretariat only."""
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST)


def can_manage_accounts(user: Any) -> bool:
    """Inviting people, changing roles, deactivating accounts, resetting second factors: the secretariat."""
    return is_admin(user)


def can_read_audit_log(user: Any) -> bool:
    """The audit log names people and what was done to their data: the secretariat only."""
    return is_admin(user)


def can_manage_devices(user: Any) -> bool:
    """Scanning devices of a meeting: hosts and the secretariat create and revoke them."""
    return can_manage_meetings(user)


def can_read_directory(user: Any) -> bool:
    """The focal-point directory of every member: the secretariat and hosts."""
    u = _user(user)
    return u is not None and u.role in (Role.ADMIN, Role.HOST)


def can_see_member_contacts(user: Any, member: Member) -> bool:
    """A member's focal points' contact details: the secretariat, hosts, and that member's own focal points."""
    u = _user(user)
    if u is None:
        return False
    if u.role in (Role.ADMIN, Role.HOST):
        return True
    return u.role == Role.FOCAL_POINT and u.member_id == member.id


def can_edit_member_contacts(user: Any, member: Member) -> bool:
    """The secretariat edits every member's focal points; a focal point only their own member's."""
    u = _user(user)
    if u is None:
        return False
    return u.role == Role.ADMIN or (u.role == Role.FOCAL_POINT and u.member_id == member.id)


def require(check: Callable[[Any], bool]) -> Callable[[F], F]:
    """View decorator: sign in first (redirect), then 403 unless `check(current_user)` holds."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from eventapp.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
