"""The scan fast path answers exactly as the Flask view would, and only when it is sure to.

Both are run on one PostgreSQL database: the app as served (fast path in front) and the Flask
app behind it. A counter on the Flask view tells which of the two answered.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from werkzeug.test import Client

from eventapp.api.scanfast import ScanFastPath
from eventapp.badges.tokens import ensure_meeting_key
from eventapp.extensions import db
from eventapp.models import Badge, Base, CheckIn, DeviceToken, Meeting, Presence, RegistrationStatus
from eventapp.models.base import utcnow
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import add_meeting, add_member, count_statements, make_app

pytestmark = pytest.mark.postgres


class World:
    def __init__(self, app: Flask) -> None:
        self.app = app
        meeting = add_meeting()
        self.slug = meeting.slug
        self.ana = badge_for(add_registration(meeting, "Ana", "Pop", member=add_member("ROU", "Romania")))
        self.amina = badge_for(add_registration(meeting, "Amina", "Diallo", organisation="Femmes du Sahel"))
        # Approved when the badge was printed, then withdrawn.
        pending = add_registration(meeting, "Noor", "Haddad")
        self.pending = badge_for(pending)
        pending.status = RegistrationStatus.WITHDRAWN
        old = add_registration(meeting, "Lin", "Wei")
        self.revoked = badge_for(old)
        db.session.query(Badge).filter_by(registration_id=old.id).update({"revoked_at": utcnow()})
        self.bearer = device_token(meeting)
        # A device that was used a moment ago (the first use goes through Flask, which marks it).
        db.session.query(DeviceToken).update({"last_used_at": utcnow() - timedelta(minutes=1)})
        db.session.commit()
        self.flask_calls = 0
        self.language = ""
        self.content_type = "application/json"
        view = app.view_functions["api.scan_badge"]

        def counted(*args: object, **kwargs: object) -> object:
            self.flask_calls += 1
            return view(*args, **kwargs)

        app.view_functions["api.scan_badge"] = counted

    def served(self) -> Client:
        assert isinstance(self.app.wsgi_app, ScanFastPath)
        return Client(self.app.wsgi_app)

    def flask_only(self) -> Client:
        return Client(self.app.wsgi_app.inner)  # type: ignore[attr-defined]

    def scan(self, client: Client, token: str, **body: object) -> tuple[int, dict[str, str], object]:
        payload = {"token": token, "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex} | body
        headers = {"Authorization": f"Bearer {self.bearer}"}
        if self.language:
            headers["Accept-Language"] = self.language
        response = client.post(
            f"/api/v1/meetings/{self.slug}/scans",
            data=json.dumps(payload),
            headers=headers,
            content_type=self.content_type,
        )
        headers = {k: v for k, v in response.headers.items() if k not in ("Date",)}
        return response.status_code, headers, response.get_json()

    def forget_scans(self) -> None:
        db.session.query(CheckIn).delete()
        db.session.query(Presence).delete()
        db.session.commit()


@pytest.fixture
def world(pg_database_factory) -> Iterator[World]:
    app = make_app(pg_database_factory())
    with app.app_context():
        Base.metadata.create_all(db.engine)
        yield World(app)
        db.session.remove()
        db.engine.dispose()


def _journey(world: World, client: Client) -> list[tuple[int, dict[str, str], object]]:
    return [
        world.scan(client, world.ana),
        world.scan(client, world.ana),
        world.scan(client, world.ana, direction="out"),
        world.scan(client, world.amina, scanned_at="2030-06-06T09:00:00Z"),
        world.scan(client, world.pending),
        world.scan(client, world.revoked),
    ]


def test_same_answers_as_flask_and_flask_not_called(world: World) -> None:
    through_flask = _journey(world, world.flask_only())
    assert world.flask_calls == 6
    stored_by_flask = [(c.result, c.reason, c.device) for c in db.session.query(CheckIn).order_by(CheckIn.id)]
    world.forget_scans()

    served = _journey(world, world.served())
    assert world.flask_calls == 6, "the fast path handed ordinary door scans to Flask"
    assert served == through_flask
    assert [r[2]["result"] for r in served] == [  # type: ignore[index]
        "admitted",
        "already_inside",
        "exited",
        "admitted",
        "not_approved",
        "revoked",
    ]
    stored = [(c.result, c.reason, c.device) for c in db.session.query(CheckIn).order_by(CheckIn.id)]
    assert stored == stored_by_flask


def test_a_door_scan_is_one_statement(world: World) -> None:
    client = world.served()
    world.scan(client, world.amina)  # the worker learns the meeting's public key
    with count_statements() as statements:
        admitted = world.scan(client, world.ana)
        again = world.scan(client, world.ana)
    assert [admitted[2]["result"], again[2]["result"]] == ["admitted", "already_inside"]  # type: ignore[index]
    assert len(statements) == 2, statements
    assert world.flask_calls == 0


def test_a_changed_meeting_key_is_checked_by_flask_and_nothing_is_written_before(world: World) -> None:
    client = world.served()
    world.scan(client, world.amina)  # the worker remembers the key the badges were signed with
    meeting = db.session.query(Meeting).filter_by(slug=world.slug).one()
    meeting.badge_signing_key = meeting.badge_public_key = None
    ensure_meeting_key(meeting)
    db.session.commit()

    served = world.scan(client, world.ana, nonce="after-rekey")
    assert world.flask_calls == 1
    assert served[2]["result"] == "invalid"  # type: ignore[index]
    assert db.session.query(Presence).filter_by(inside=True).count() == 1  # Amina only
    assert [c.result.value for c in db.session.query(CheckIn).filter_by(nonce="after-rekey")] == ["invalid"]
    db.session.query(CheckIn).filter_by(nonce="after-rekey").delete()
    db.session.commit()
    assert world.scan(world.flask_only(), world.ana, nonce="after-rekey") == served


def test_a_nonce_seen_before_is_answered_by_flask_with_the_stored_scan(world: World) -> None:
    client = world.served()
    first = world.scan(client, world.ana, nonce="again")
    second = world.scan(client, world.ana, nonce="again")
    assert first[2]["result"] == second[2]["result"] == "admitted"  # type: ignore[index]
    assert second[2]["duplicate"] is True  # type: ignore[index]
    assert world.flask_calls == 1
    assert db.session.query(CheckIn).count() == 1


@pytest.mark.parametrize(
    "case",
    [
        "session checkpoint",
        "bad body",
        "forged badge",
        "unknown device",
        "stale device",
        "other meeting",
        "French",
        "not JSON",
    ],
)
def test_unusual_requests_go_to_flask(world: World, case: str) -> None:
    client = world.served()
    body: dict[str, object] = {}
    token = world.ana
    if case == "session checkpoint":
        body = {"checkpoint": "session-999999"}
    elif case == "bad body":
        body = {"direction": "sideways"}
    elif case == "forged badge":
        token = world.ana[:-4] + ("AAAA" if not world.ana.endswith("AAAA") else "BBBB")
    elif case == "unknown device":
        world.bearer = "evd_" + "x" * 40
    elif case == "stale device":
        db.session.query(DeviceToken).update({"last_used_at": None})
        db.session.commit()
    elif case == "other meeting":
        world.slug = add_meeting("2031-accra").slug
    elif case == "French":
        world.language = "fr-FR,fr;q=0.9"
    elif case == "not JSON":
        world.content_type = "text/plain"
    served = world.scan(client, token, nonce="n1", **body)
    assert world.flask_calls == 1
    db.session.query(CheckIn).delete()
    db.session.query(Presence).delete()
    if case == "stale device":
        db.session.query(DeviceToken).update({"last_used_at": None})
    db.session.commit()
    assert world.scan(world.flask_only(), token, nonce="n1", **body)[:2] == served[:2]
    if case == "French":
        assert served[2]["result"] == "admitted"  # type: ignore[index]


def test_a_resent_scan_answered_by_flask_is_counted_once(pg_database_factory) -> None:
    app = make_app(pg_database_factory(), RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute")
    with app.app_context():
        Base.metadata.create_all(db.engine)
        world = World(app)
        client = world.served()
        statuses = [world.scan(client, world.ana, nonce="same")[0] for _ in range(3)]
        assert statuses == [200, 200, 200]
        assert world.flask_calls == 2  # the repeats
        assert world.scan(client, world.ana, direction="out")[0] == 429  # 3 counted, not 5
        db.session.remove()
        db.engine.dispose()


def test_over_budget_is_refused_by_flask(pg_database_factory) -> None:
    app = make_app(pg_database_factory(), RATELIMIT_ENABLED=True, RATELIMIT_API="2 per minute")
    with app.app_context():
        Base.metadata.create_all(db.engine)
        world = World(app)
        client = world.served()
        answers = [world.scan(client, world.ana, direction=d)[0] for d in ("in", "out", "in")]
        assert answers == [200, 200, 429]
        assert db.session.query(CheckIn).count() == 2
        db.session.remove()
        db.engine.dispose()


def test_concurrent_door_scans_of_one_badge_admit_once(world: World) -> None:
    client_per_thread = [world.served() for _ in range(12)]
    barrier = threading.Barrier(12)
    results: list[str] = []
    errors: list[BaseException] = []

    def scan(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            nonce = "shared" if i % 3 == 0 else uuid.uuid4().hex
            results.append(world.scan(client_per_thread[i], world.ana, nonce=nonce)[2]["result"])  # type: ignore[index]
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = db.session.query(CheckIn).all()
    assert [c.result.value for c in stored].count("admitted") == 1
    assert len(stored) == 9  # 8 distinct nonces + the shared one once
    assert db.session.query(CheckIn).filter_by(nonce="shared").count() == 1
