"""The demo's upcoming meeting has every member invited and applications in several scripts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from eventapp.demo.seed import seed_demo
from eventapp.extensions import db
from eventapp.models import Delegation, Member, OutboxMessage, Registration


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_invites_every_member_and_adds_applications_once(app: object) -> None:
    seed_demo(today=date(2026, 11, 23))
    assert _count(Delegation) == _count(Member) == 64
    names = set(db.session.scalars(select(Registration.given_name)))
    assert {"فاطمة", "秀英", "प्रिया", "Zoë"} <= names
    invitation = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == "focalpoint.romania@example.org"))
    assert invitation is not None and "/invitation/" in invitation.body_text
    seed_demo(today=date(2026, 11, 23))
    assert _count(Delegation) == 64 and _count(Registration) == len(names)
