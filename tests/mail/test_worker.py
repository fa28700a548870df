"""Mail through the job queue on Redis: enqueue puts the job on Redis, a worker delivers it to the outbox."""

from __future__ import annotations

import os
import time

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from eventapp.extensions import db
from eventapp.jobs import QUEUE_NAME, looks
from eventapp.mail import sweeps
from eventapp.mail.services import queue_email
from eventapp.models import MailStatus
from tests.conftest import services_required

#: A database number of its own: only this one is ever flushed.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_available() -> str | None:
    """None when Redis answers, else the reason it does not."""
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # any connection error means "not here"
        return f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"
    return None


@pytest.fixture
def redis_conn():
    reason = redis_available()
    if reason:
        if services_required():
            pytest.fail(reason + " (REQUIRE_SERVICES is set)")
        pytest.skip(reason)
    conn = Redis.from_url(REDIS_URL)
    conn.flushdb()
    yield conn
    conn.flushdb()
    conn.close()


@pytest.fixture
def app_config(redis_conn):
    return {"REDIS_URL": REDIS_URL}


@pytest.fixture
def worker_env(app, monkeypatch):
    """The worker builds its own app from the environment: point it at the test database."""
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", app.config["SECRET_KEY"])
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", app.config["DATA_ENCRYPTION_KEY"])
    monkeypatch.setenv("MAIL_BACKEND", "outbox")
    monkeypatch.setenv("REDIS_URL", REDIS_URL)


def test_email_goes_through_redis_and_a_worker_keeps_it(app, redis_conn, worker_env):
    message = queue_email("amina@example.org", "Registration received", "Dear Amina, ...")
    db.session.commit()
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    assert queue.count == 1, "the commit put the delivery job on Redis"
    db.session.expire_all()
    assert message.status == MailStatus.QUEUED, "nothing is delivered before a worker runs"

    SimpleWorker([queue], connection=redis_conn).work(burst=True)

    assert queue.count == 0
    db.session.expire_all()
    assert message.status == MailStatus.KEPT


def test_rolled_back_email_never_reaches_redis(app, redis_conn, worker_env):
    queue_email("amina@example.org", "Never sent", "...")
    db.session.rollback()
    assert Queue(QUEUE_NAME, connection=redis_conn).count == 0


def test_jobs_worker_command_runs_queued_jobs(app, runner, redis_conn, worker_env):
    message = queue_email("elena@example.org", "Decision", "Dear Elena, ...")
    db.session.commit()
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert f"on queue {QUEUE_NAME!r}" in result.output
    db.session.expire_all()
    assert message.status == MailStatus.KEPT


def test_a_rush_of_messages_queues_one_sweep_that_delivers_them_all(app, redis_conn, worker_env):
    messages = []
    for n in range(3):
        messages.append(queue_email(f"applicant{n}@example.org", "Registration received", "..."))
        db.session.commit()  # three submissions, three commits
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    assert queue.count == 1, "one sweep waits for all three messages, not a job each"

    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    db.session.expire_all()
    assert [m.status for m in messages] == [MailStatus.KEPT] * 3
    assert sweeps.poll() is False and queue.count == 0, "nothing waits: the look queues nothing"


def test_a_message_committed_after_the_sweep_started_queues_the_next_one(app, redis_conn, worker_env):
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    queue_email("one@example.org", "Registration received", "...")
    db.session.commit()
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    late = queue_email("late@example.org", "Registration received", "...")
    db.session.commit()
    assert queue.count == 1
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    db.session.expire_all()
    assert late.status == MailStatus.KEPT


def test_a_message_committed_while_the_sweep_waits_is_in_that_sweep(app, redis_conn, worker_env):
    first = queue_email("first@example.org", "Registration received", "...")
    db.session.commit()
    second = queue_email("second@example.org", "Registration received", "...")
    db.session.commit()
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    assert queue.count == 1
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    db.session.expire_all()
    assert (first.status, second.status) == (MailStatus.KEPT, MailStatus.KEPT)
    assert queue.count == 0


@pytest.fixture
def lost_asks(monkeypatch):
    """Commits that queue mail ask for no sweep, as when Redis was away at the commit."""
    monkeypatch.setattr("eventapp.mail.services.ask_for_sweep", lambda: None)


def test_the_jobs_worker_looks_for_mail_nobody_asked_a_sweep_for(app, redis_conn, worker_env, lost_asks):
    app.config["MAIL_SWEEP_INTERVAL"] = 0.05
    queue = Queue(QUEUE_NAME, connection=redis_conn)
    poller = looks.Poller(app)
    poller.start()
    try:
        unasked = queue_email("unasked@example.org", "Registration received", "...")
        db.session.commit()
        deadline = time.monotonic() + 10
        while queue.count == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert queue.count == 1, "the poller queued a sweep for the message"
    finally:
        poller.stop()
        poller.join(5)
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    db.session.expire_all()
    assert unasked.status == MailStatus.KEPT
    assert poller.polls >= 1 and not poller.is_alive()


def test_a_burst_worker_sends_mail_nobody_asked_a_sweep_for(app, runner, redis_conn, worker_env, lost_asks):
    message = queue_email("quiet@example.org", "Registration received", "...")
    db.session.commit()
    assert Queue(QUEUE_NAME, connection=redis_conn).count == 0
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert message.status == MailStatus.KEPT
