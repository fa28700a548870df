"""Concurrent scans of one badge at one checkpoint make one entry (PostgreSQL row locks)."""

from __future__ import annotations

import threading
import uuid

import pytest

from eventapp.checkin.services import scan
from eventapp.extensions import db
from eventapp.models import Base, CheckIn, Direction, Meeting, ScanResult
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import add_meeting, make_app


@pytest.mark.postgres
def test_concurrent_scans_admit_once(pg_database_factory):
    url = pg_database_factory()
    app = make_app(url)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        meeting = add_meeting()
        token = badge_for(add_registration(meeting, "Ana", "Pop"))
        meeting_id = meeting.id
        # In and out once first, so the Presence row exists: the race is then on reading it.
        scan(meeting, token=token, checkpoint="entrance", direction=Direction.IN, nonce="first-in")
        scan(meeting, token=token, checkpoint="entrance", direction=Direction.OUT, nonce="first-out")
        db.session.remove()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker(same_nonce: bool, i: int) -> None:
        try:
            with app.app_context():
                m = db.session.get(Meeting, meeting_id)
                barrier.wait(timeout=10)
                nonce = "shared" if same_nonce else uuid.uuid4().hex
                scan(m, token=token, checkpoint="entrance", direction=Direction.IN, nonce=nonce)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i % 2 == 0, i)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        racing = db.session.query(CheckIn).filter(CheckIn.nonce.notin_(["first-in", "first-out"])).all()
        assert [c.result for c in racing].count(ScanResult.ADMITTED) == 1
        assert db.session.query(CheckIn).filter_by(nonce="shared").count() == 1
        assert len(racing) == 5  # 4 distinct nonces + 1 shared
        db.engine.dispose()
