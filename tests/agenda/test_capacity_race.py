"""The last place of a session goes once, even when two people take it at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from eventapp.agenda.errors import AgendaError
from eventapp.agenda.personal import pick_session
from eventapp.extensions import db
from eventapp.models import Base, Registration, SessionAttendance, SessionType
from tests.agenda.builders import add_registration, add_session
from tests.conftest import add_meeting, make_app


@pytest.mark.postgres
def test_two_people_racing_for_the_last_place(pg_database_factory: object) -> None:
    url = pg_database_factory()  # type: ignore[operator]
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = make_app(url)
    with app.app_context():
        meeting = add_meeting("2030-race", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 4), agenda_published=True)
        people = [add_registration(meeting, f"p{i}@example.org").id for i in range(4)]
        sessions = [
            add_session(
                meeting, f"Visit {i}", "2030-06-03 14:00", "2030-06-03 16:00", type=SessionType.SITE_VISIT, capacity=1
            ).id
            for i in range(3)
        ]
        db.session.remove()

    outcomes: list[str] = []
    lock = threading.Lock()

    def take(registration_id: int, session_id: int, barrier: threading.Barrier) -> None:
        with app.app_context():
            registration = db.session.get(Registration, registration_id)
            barrier.wait()
            try:
                pick_session(registration, session_id)  # type: ignore[arg-type]
                result = "picked"
            except AgendaError:
                result = "full"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(result)

    for session_id in sessions:
        barrier = threading.Barrier(len(people))
        threads = [threading.Thread(target=take, args=(p, session_id, barrier)) for p in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    with app.app_context():
        counts = dict(
            db.session.execute(
                sa.select(SessionAttendance.session_id, sa.func.count()).group_by(SessionAttendance.session_id)
            ).all()
        )
        db.session.remove()
        db.engine.dispose()
    assert counts == {s: 1 for s in sessions}
    assert outcomes.count("picked") == len(sessions)
    assert outcomes.count("full") == len(sessions) * (len(people) - 1)
