"""Redis unreachable: every page and API call answers as usual; committed work waits in the database.

The app's REDIS_URL (jobs) and its rate-limit storage point at a closed port. Rate limits then
count in the worker's memory (Flask-Limiter's in-memory fallback); queued mail and badge batches
stay queued in the database, and the jobs worker's look queues them once Redis is back.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue

from eventapp import PROJECT_ROOT
from eventapp.extensions import db
from eventapp.jobs import QUEUE_NAME
from eventapp.models import BadgeBatch, BadgeBatchStatus, MailStatus, OutboxMessage, Registration, RegistrationStatus
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import PASSWORD, Users, services_required
from tests.registration.conftest import applicant, form_data, open_meeting

#: A closed port: connecting is refused at once, as when Redis is stopped.
DEAD_REDIS = "redis://127.0.0.1:1/0"
#: A database number of this module's own (mail and badges use 5, bench 6, tests/workers 7-15).
LIVE_REDIS = os.environ.get("TEST_FAULTS_REDIS_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {
        "REDIS_URL": DEAD_REDIS,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": DEAD_REDIS,
        "RATELIMIT_LOGIN": "3 per minute",
        "RATELIMIT_API": "4 per minute",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def queued_mail(to: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to == to)))


def test_sign_in_application_and_resend_link_answer_as_usual(app: Flask, client: FlaskClient, users: Users) -> None:
    sign_in(client, users.host.email)
    meeting = open_meeting()
    visitor = app.test_client()
    applied = visitor.post(f"/meetings/{meeting.slug}/apply", data=form_data(email="amina@example.org"))
    assert applied.status_code == 302
    [received] = queued_mail("amina@example.org")
    assert received.status == MailStatus.QUEUED, "the mail waits in the outbox for the queue"
    resent = visitor.post(f"/meetings/{meeting.slug}/resend-link", data={"email": "amina@example.org"})
    assert resent.status_code == 302
    assert [m.status for m in queued_mail("amina@example.org")] == [MailStatus.QUEUED] * 2


def test_rate_limits_still_count_in_memory(app: Flask, client: FlaskClient, users: Users) -> None:
    codes = [client.post("/login", data={"email": users.host.email, "password": "wrong"}).status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]


def test_api_calls_and_scans_answer_as_usual(app: Flask, client: FlaskClient) -> None:
    meeting = open_meeting()
    badge = badge_for(add_registration(meeting, "Ana", "Pop"))
    bearer = {"Authorization": f"Bearer {device_token(meeting)}"}
    scan = {"token": badge, "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex}
    answer = client.post(f"/api/v1/meetings/{meeting.slug}/scans", json=scan, headers=bearer)
    assert answer.status_code == 200 and answer.json["result"] == "admitted"
    assert client.get(f"/api/v1/meetings/{meeting.slug}/status", headers=bearer).status_code == 200
    unknown = client.get(f"/api/v1/meetings/{meeting.slug}/status", headers={"Authorization": "Bearer evd_nobody"})
    assert unknown.status_code == 401
    # The device's budget (4 a minute) is still counted, in this worker's memory.
    codes = [client.get(f"/api/v1/meetings/{meeting.slug}/status", headers=bearer).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_a_review_decision_is_stored_and_its_mail_queued(
    app: Flask, client: FlaskClient, users: Users, action: str, caplog: pytest.LogCaptureFixture
) -> None:
    meeting = open_meeting()
    person = applicant(meeting, "elena@example.org")  # its commit queued mail too, and did not raise
    sign_in(client, users.host.email)
    response = client.post(
        f"/meetings/{meeting.slug}/review", data={"selected": [str(person.id)], "action": action, "reason": "Full."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    expected = RegistrationStatus.APPROVED if action == "approve" else RegistrationStatus.DECLINED
    assert db.session.get(Registration, person.id).status == expected
    statuses = [m.status for m in queued_mail("elena@example.org")]
    assert statuses == [MailStatus.QUEUED, MailStatus.QUEUED], "received, then the decision"
    warnings = [r for r in caplog.records if r.name == "eventapp.jobs" and r.levelname == "WARNING"]
    assert warnings and "not queued" in warnings[-1].getMessage()


@pytest.fixture
def live_redis() -> Iterator[Redis]:
    try:
        Redis.from_url(LIVE_REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:  # any connection error means "no Redis here"
        reason = f"Redis not reachable at {LIVE_REDIS}: {type(exc).__name__}"
        if services_required():
            pytest.fail(reason + " (REQUIRE_SERVICES is set)")
        pytest.skip(reason)
    connection = Redis.from_url(LIVE_REDIS)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def worker_env(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's jobs build their own app from the environment: point it at the test database."""
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", app.config["DATA_ENCRYPTION_KEY"])
    monkeypatch.setenv("MAIL_BACKEND", "outbox")
    monkeypatch.setenv("REDIS_URL", LIVE_REDIS)


def test_a_badge_batch_and_mail_wait_queued_until_a_worker_with_redis_runs(
    app: Flask, client: FlaskClient, users: Users, live_redis: Redis, worker_env: None
) -> None:
    meeting = open_meeting()
    add_registration(meeting, "Ana", "Pop")
    person = applicant(meeting, "nino@example.org")
    sign_in(client, users.host.email)
    response = client.post(f"/meetings/{meeting.slug}/badges/batches", data={"layout": "a6", "category": ""})
    assert response.status_code == 302
    batch = db.session.scalars(sa.select(BadgeBatch)).one()
    assert batch.status == BadgeBatchStatus.QUEUED
    assert client.get(f"/meetings/{meeting.slug}/badges").status_code == 200

    # Redis is back; its queue knows nothing of the work committed meanwhile.
    app.config["REDIS_URL"] = LIVE_REDIS
    assert Queue(QUEUE_NAME, connection=live_redis).count == 0
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output

    db.session.expire_all()
    batch = db.session.get(BadgeBatch, batch.id)
    try:
        assert batch.status == BadgeBatchStatus.DONE and batch.badge_count == 1, batch.error
    finally:
        if batch.filename:  # written by the worker's own app, under the project's instance folder
            (PROJECT_ROOT / "instance" / "badge-batches" / batch.filename).unlink(missing_ok=True)
    assert [m.status for m in queued_mail(person.email)] == [MailStatus.KEPT]


def test_the_look_asks_once_per_waiting_batch_and_a_batch_is_drawn_once(
    app: Flask, live_redis: Redis, tmp_path: Path
) -> None:
    from eventapp.badges.batches import queue_waiting_batches, request_batch, run_batch

    app.instance_path = str(tmp_path)
    meeting = open_meeting()
    add_registration(meeting, "Ana", "Pop")
    lost = request_batch(meeting, "a6")  # Redis away: no job
    app.config["REDIS_URL"] = LIVE_REDIS
    waiting = request_batch(meeting, "a6")  # Redis back: its job waits
    queue = Queue(QUEUE_NAME, connection=live_redis)
    assert queue.count == 1
    assert queue_waiting_batches() == 2 and queue_waiting_batches() == 2
    assert [job.args[1] for job in queue.jobs] == [waiting.id, lost.id], "one job each, however often it looks"
    run_batch(lost.id)
    run_batch(lost.id)  # a second job for the same batch finds it taken
    db.session.expire_all()
    drawn = db.session.get(BadgeBatch, lost.id)
    assert drawn.status == BadgeBatchStatus.DONE
    assert sorted(p.name for p in (tmp_path / "badge-batches").iterdir()) == [drawn.filename]
