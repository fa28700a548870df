"""Concurrent inscriptions on PostgreSQL: each delegation once, every delegation in a place of its own."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Base, Delegation, RepresentationLevel, SpeakerInscription, SpeakersList
from eventapp.speakers.errors import SpeakersError
from eventapp.speakers.services import inscribe
from tests.conftest import add_member, make_app
from tests.speakers.conftest import add_delegation, plenary_with_list

DELEGATIONS = 12
#: Each delegation is inscribed by two threads at the same moment (two focal points, or a double click).
TRIES = 2


@pytest.mark.postgres
def test_inscriptions_at_the_same_moment_list_each_delegation_once(pg_database_factory: Callable[[], str]) -> None:
    url = pg_database_factory()
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    Base.metadata.create_all(engine)
    engine.dispose()
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 10, "max_overflow": 20, "pool_timeout": 120})
    with app.app_context():
        plenary = plenary_with_list()
        for n in range(DELEGATIONS):
            add_delegation(plenary, add_member(f"X{n:02d}", f"Member {n:02d}"), ("", "Speaker", f"N{n:02d}"))
        list_id = plenary.speakers_list.id
        jobs = [(d.id, plenary.speakers[code].id) for code, d in plenary.delegations.items()] * TRIES

    start = threading.Barrier(len(jobs))
    refused: list[str] = []
    errors: list[BaseException] = []

    def attempt(delegation_id: int, registration_id: int) -> None:
        try:
            with app.app_context():
                start.wait(timeout=60)
                inscribe(
                    db.session.get(SpeakersList, list_id),
                    db.session.get(Delegation, delegation_id),
                    registration_id,
                    RepresentationLevel.MINISTER,
                    actor=None,
                )
                db.session.remove()
        except SpeakersError as exc:
            refused.append(str(exc))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]

    with app.app_context():
        rows = db.session.execute(
            select(SpeakerInscription.delegation_id, SpeakerInscription.position).where(
                SpeakerInscription.list_id == list_id
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
    assert len(rows) == DELEGATIONS
    assert len({delegation for delegation, _ in rows}) == DELEGATIONS
    assert sorted(position for _, position in rows) == list(range(1, DELEGATIONS + 1))
    assert len(refused) == DELEGATIONS * (TRIES - 1)
    assert set(refused) == {"Your delegation is already on this list."}
