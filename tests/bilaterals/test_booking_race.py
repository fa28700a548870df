"""Bookings at the same moment on PostgreSQL: a room, and a delegation, are never booked twice at once.

Each check is slowed down (the checks run, then a pause, then the write) so that without the
row locks every thread would pass its check before any writes: the test then fails.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from eventapp.bilaterals import booking, services
from eventapp.bilaterals.errors import BilateralError
from eventapp.extensions import db
from eventapp.models import Base, Bilateral, BilateralSide, BilateralStatus, Delegation, Role, User
from eventapp.models.base import utcnow
from tests.bilaterals.builders import agreed, ask, scene
from tests.conftest import add_member, add_user, make_app

THREADS = 4
PAUSE = 0.3


def _slowed(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    check = getattr(booking, name)

    def slow(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        time.sleep(PAUSE)  # every other thread reaches its own check meanwhile, unless a lock holds it

    monkeypatch.setattr(booking, name, slow)


def _race(app: Any, work: Callable[[int], None], items: list[int]) -> list[str]:
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(items))

    def run(item: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                work(item)
                result = "done"
            except BilateralError:
                result = "refused"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def pg_app(pg_database_factory: Callable[[], str]) -> Any:
    url = pg_database_factory()
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = make_app(url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres
def test_hosts_booking_one_room_at_once_book_it_once(pg_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pg_app.app_context():
        s = scene()
        extra = []
        for code, name in (("NOR", "Norway"), ("GHA", "Ghana"), ("PER", "Peru"), ("JPN", "Japan")):
            member = add_member(code, name)
            d = Delegation(meeting=s.meeting, member=member, invitation_token_hash=f"h-{code}", invited_at=utcnow())
            db.session.add(d)
            db.session.commit()
            add_user(f"fp-{code.lower()}@example.org", Role.FOCAL_POINT, member)
            extra.append(d)
        pairs = [(s.romania, s.senegal), (s.chile, s.kenya), (extra[0], extra[1]), (extra[2], extra[3])]
        ids = [agreed(s, "2030-06-03T10:00", by=requester, to=counterpart).id for requester, counterpart in pairs]
        room_id, host_id = s.room_a.id, s.host.id
        db.session.remove()

    _slowed(monkeypatch, "_check_room")

    def book(bilateral_id: int) -> None:
        booking.book_room(db.session.get(Bilateral, bilateral_id), room_id, actor=db.session.get(User, host_id))

    outcomes = _race(pg_app, book, ids)
    with pg_app.app_context():
        booked = db.session.scalars(sa.select(Bilateral.id).where(Bilateral.room_id == room_id)).all()
    assert len(booked) == 1, f"room booked {len(booked)} times at once"
    assert sorted(outcomes) == ["done"] + ["refused"] * (len(ids) - 1)


@pytest.mark.postgres
def test_one_delegation_accepting_several_requests_at_once_is_in_one_bilateral(
    pg_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pg_app.app_context():
        s = scene()
        requests = [ask(s, ["2030-06-03T10:00"], by=d, to=s.senegal) for d in (s.romania, s.chile, s.kenya)]
        pairs = [(b.id, b.proposals[0].id) for b in requests]
        senegal_fp = s.fp_senegal.id
        db.session.remove()

    _slowed(monkeypatch, "_check_delegations")
    proposal_of = dict(pairs)

    def accept(bilateral_id: int) -> None:
        services.accept_proposal(
            db.session.get(Bilateral, bilateral_id),
            proposal_of[bilateral_id],
            side=BilateralSide.COUNTERPART,
            actor=db.session.get(User, senegal_fp),
        )

    outcomes = _race(pg_app, accept, list(proposal_of))
    with pg_app.app_context():
        confirmed = db.session.scalars(
            sa.select(Bilateral.id).where(Bilateral.status == BilateralStatus.CONFIRMED)
        ).all()
    assert len(confirmed) == 1, f"Senegal is in {len(confirmed)} bilaterals at once"
    assert sorted(outcomes) == ["done"] + ["refused"] * (len(pairs) - 1)
