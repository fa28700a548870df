"""Authorisation rules for accounts, two-factor sign-in, the directory, the audit log and devices.

Merged into RULES by test_authorisation_matrix.py.
"""

from __future__ import annotations

import pyotp
import sqlalchemy as sa

from eventapp.extensions import db
from eventapp.models import DeviceToken, FocalPointContact, User
from tests.conftest import PASSWORD
from tests.security.matrix import (
    ADMIN,
    FOCAL_POINT_A,
    HIDDEN,
    HOST,
    LOGIN,
    ROLES,
    SCANNER,
    Rule,
    public,
    rule,
    shown_to,
    signed_in,
)
from tests.security.world import World
from tests.security.world_accounts import ACCOUNT_LINK, TOTP_SECRET

STAFF = signed_in(HOST, ADMIN)
SECRETARIAT = signed_in(ADMIN)
EVERY_ACCOUNT = signed_in(FOCAL_POINT_A, SCANNER, HOST, ADMIN)
#: Member A's focal points: the secretariat and A's own focal point edit them; hosts and scanners may not.
CONTACTS_A = signed_in(FOCAL_POINT_A, ADMIN)


def _user(email: str) -> int:
    return int(db.session.scalar(sa.select(User.id).where(User.email == email)))


def _contact(name: str) -> int:
    return int(db.session.scalar(sa.select(FocalPointContact.id).where(FocalPointContact.name == name)))


def _device(w: World) -> int:
    return int(db.session.scalar(sa.select(DeviceToken.id).where(DeviceToken.name == "door tablet")))


def _contact_form(name: str) -> dict[str, str]:
    return {"name": name, "email": "new.contact@example.org", "phone": "+40 21 555 0199", "since": "2024-01-01"}


RULES: dict[str, list[Rule]] = {
    # Signing in: the code step needs a password first; lost passwords; invitation and reset links.
    "auth.code": [rule(dict.fromkeys(ROLES, LOGIN), form=lambda w: {"code": "123456"}, changes=False)],
    "auth.forgot_password": [rule(public(), form=lambda w: {"email": "host@example.org"})],
    "auth.set_password": [
        Rule(
            public(),
            params={"token": lambda w: ACCOUNT_LINK},
            form=lambda w: {"password": "lanterns over the lake", "confirm": "lanterns over the lake"},
        )
    ],
    # One's own account.
    "account.index": [
        rule(
            EVERY_ACCOUNT,
            form=lambda w: {
                "current": PASSWORD,
                "password": "lanterns over the lake",
                "confirm": "lanterns over the lake",
            },
        )
    ],
    "account.two_factor": [rule(EVERY_ACCOUNT, form=lambda w: {"code": pyotp.TOTP(TOTP_SECRET).now()})],
    "account.renew_codes": [rule(EVERY_ACCOUNT, form=lambda w: {"code": "123456"}, changes=False)],
    "account.turn_off": [rule(EVERY_ACCOUNT, form=lambda w: {"code": "123456"}, changes=False)],
    # The secretariat's accounts pages.
    "accounts.index": [rule(SECRETARIAT)],
    "accounts.invite": [
        rule(SECRETARIAT, form=lambda w: {"email": "new@example.org", "name": "New", "role": "scanner", "member": ""})
    ],
    "accounts.edit": [
        rule(
            SECRETARIAT,
            user_id=lambda w: w.user_ids["focal_point_b"],
            form=lambda w: {"name": "Awa B", "role": "focal_point", "member": w.member_b_code},
        )
    ],
    "accounts.deactivate": [rule(SECRETARIAT, user_id=lambda w: w.user_ids["focal_point_b"])],
    "accounts.reactivate": [rule(SECRETARIAT, user_id=lambda w: _user("retired@example.org"))],
    "accounts.reset_two_factor": [rule(SECRETARIAT, user_id=lambda w: w.user_ids["focal_point_b"])],
    "accounts.resend_invitation": [rule(SECRETARIAT, user_id=lambda w: _user("invitee@example.org"))],
    "audit.index": [rule(SECRETARIAT)],
    "audit.export": [rule(SECRETARIAT)],
    # Member pages and the directory: a focal point of A neither reads nor changes B's focal points.
    "directory.index": [rule(STAFF)],
    "directory.member": [rule(public(), "A"), rule(public(), "B", code=lambda w: w.member_b_code)],
    "directory.add": [
        rule(CONTACTS_A, "A", form=lambda w: _contact_form("New A")),
        rule(SECRETARIAT, "B", code=lambda w: w.member_b_code, form=lambda w: _contact_form("New B")),
    ],
    "directory.edit": [
        rule(CONTACTS_A, "A", contact_id=lambda w: _contact("Ioana Contact"), form=lambda w: _contact_form("Ioana")),
        rule(
            SECRETARIAT,
            "B",
            code=lambda w: w.member_b_code,
            contact_id=lambda w: _contact("Awa Contact"),
            form=lambda w: _contact_form("Awa"),
        ),
        rule(
            {**CONTACTS_A, FOCAL_POINT_A: HIDDEN, ADMIN: HIDDEN},
            "A's page, B's focal point",
            contact_id=lambda w: _contact("Awa Contact"),
            form=lambda w: _contact_form("Awa"),
        ),
    ],
    # Scanning devices of a meeting, and the page a device opens from its link.
    "devices.index": [rule(STAFF, form=lambda w: {"name": "Hall phone"})],
    "devices.revoke": [rule(STAFF, device_id=_device)],
    "devices.scanner": [rule(public()), rule(shown_to(HOST, ADMIN), "draft", slug=lambda w: w.draft_slug)],
}
