"""Concurrent approvals on PostgreSQL never give out more places than the meeting has."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import Base, OutboxMessage, Registration, RegistrationCategory, RegistrationStatus
from eventapp.registration.applications import APPROVE, decide
from tests.conftest import make_app
from tests.registration.conftest import open_meeting

THREADS = 60
CAPACITY = 10
# Up to 30 connections at once: enough contention on the meeting row, and room left on a shared
# PostgreSQL (max_connections is often 100) for other test runs.


@pytest.mark.postgres
def test_sixty_threads_approving_at_once_respect_the_capacity(
    pg_database_factory: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Delivering the decision emails would take a second pooled connection per thread; the
    # messages are still written to the outbox in the approving transaction, only not delivered.
    monkeypatch.setattr("eventapp.mail.services.deliver", lambda *args, **kwargs: None)
    url = pg_database_factory()
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    Base.metadata.create_all(engine)
    engine.dispose()
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 20, "pool_timeout": 120})
    with app.app_context():
        meeting = open_meeting("2030-race", capacity=CAPACITY)
        for i in range(THREADS):
            db.session.add(
                Registration(
                    meeting_id=meeting.id,
                    category=RegistrationCategory.CIVIL_SOCIETY,
                    given_name="Person",
                    family_name=str(i),
                    email=f"p{i}@example.org",
                )
            )
        db.session.commit()
        meeting_id = meeting.id
        ids = list(db.session.scalars(select(Registration.id).order_by(Registration.id)))

    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def approve(registration_id: int) -> None:
        try:
            with app.app_context():
                start.wait(timeout=60)  # before touching the pool, so no thread holds a connection while waiting
                target = db.session.get(type(meeting), meeting_id)
                decide(target, [registration_id], APPROVE, actor=None)
                db.session.remove()
        except BaseException as exc:  # reported below, with the thread's error
            errors.append(exc)

    threads = [threading.Thread(target=approve, args=(rid,)) for rid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]

    with app.app_context():
        counts = dict(
            db.session.execute(
                select(Registration.status, func.count(Registration.id)).group_by(Registration.status)
            ).all()
        )
        waiting_order = list(
            db.session.scalars(
                select(Registration.waitlisted_at).where(Registration.status == RegistrationStatus.WAITLISTED)
            )
        )
        outbox_count = db.session.scalar(select(func.count(OutboxMessage.id)))
        db.session.remove()
        db.engine.dispose()
    assert counts[RegistrationStatus.APPROVED] == CAPACITY
    assert counts[RegistrationStatus.WAITLISTED] == THREADS - CAPACITY
    assert all(at is not None for at in waiting_order)
    assert outbox_count == THREADS  # one decision email each, approved or waitlisted
