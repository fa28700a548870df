"""What the accounts, directory and devices routes point at in the security world.

Focal points in the directory for members A and B; an invited account with a fixed link; a
deactivated account; and an authenticator being set up (not confirmed, so sign-in still takes a
password alone) with a fixed secret for every signed-in role.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from eventapp.extensions import db
from eventapp.models import AccountLink, FocalPointContact, LinkPurpose, Member, Role, SecondFactor, User
from eventapp.models.base import utcnow
from eventapp.privacy.crypto import encrypt_text

ACCOUNT_LINK = "account-link-token-fixed-for-tests"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CONTACT_EMAIL_A = "ioana.contact@mae.example.ro"
CONTACT_PHONE_A = "+40 21 555 0101"
CONTACT_EMAIL_B = "awa.contact@diplomatie.example.sn"
CONTACT_PHONE_B = "+221 33 555 0202"


def add_accounts_world(member_a: Member, member_b: Member, users: dict[str, User]) -> None:
    db.session.add_all(
        [
            FocalPointContact(
                member_id=member_a.id,
                name="Ioana Contact",
                title="Director, Human Rights",
                office="Ministry of Foreign Affairs",
                email=CONTACT_EMAIL_A,
                phone=CONTACT_PHONE_A,
                since=date(2022, 3, 1),
            ),
            FocalPointContact(
                member_id=member_a.id,
                name="Former Focal",
                email="former@mae.example.ro",
                since=date(2018, 1, 1),
                until=date(2022, 2, 28),
            ),
            FocalPointContact(
                member_id=member_b.id,
                name="Awa Contact",
                email=CONTACT_EMAIL_B,
                phone=CONTACT_PHONE_B,
                since=date(2021, 6, 1),
            ),
        ]
    )
    invitee = User(email="invitee@example.org", role=Role.SCANNER, name="Invitee", password_hash="!")
    retired = User(email="retired@example.org", role=Role.SCANNER, name="Retired", is_active_account=False)
    retired.set_password("an old password nobody uses")
    db.session.add_all([invitee, retired])
    db.session.flush()
    db.session.add(
        AccountLink(
            user_id=invitee.id,
            purpose=LinkPurpose.INVITATION,
            token_hash=hashlib.sha256(ACCOUNT_LINK.encode()).hexdigest(),
            expires_at=utcnow() + timedelta(hours=72),
        )
    )
    for key in ("admin", "host", "scanner", "focal_point_a", "focal_point_b"):
        db.session.add(SecondFactor(user_id=users[key].id, secret_encrypted=encrypt_text(TOTP_SECRET)))
    db.session.commit()
