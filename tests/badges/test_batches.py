from __future__ import annotations

import pytest

from eventapp.badges.batches import batch_path, request_batch, run_batch
from eventapp.extensions import db
from eventapp.models import BadgeBatch, BadgeBatchStatus, RegistrationCategory
from tests.checkin.builders import add_registration
from tests.conftest import add_meeting, services_required

REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_or_skip():
    try:
        from redis import Redis

        client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001 (any connection error means "no Redis here")
        if services_required():
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}")
    client.flushdb()
    return client


@pytest.mark.parametrize("app_config", [{"REDIS_URL": REDIS_URL}])
def test_with_redis_the_batch_waits_for_a_worker(app, tmp_path):
    client = redis_or_skip()
    app.instance_path = str(tmp_path)
    meeting = add_meeting()
    add_registration(meeting, "Ana", "Pop")
    add_registration(meeting, "Lee", "Kim", category=RegistrationCategory.MEDIA)
    batch = request_batch(meeting, "letter-4x3", category="media")
    assert batch.status == BadgeBatchStatus.QUEUED
    from rq import Queue

    queue = Queue("eventapp", connection=client)
    job = queue.jobs[0]
    assert job.args == ("eventapp.badges.batches:run_batch", batch.id)
    run_batch(*job.args[1:])  # what the worker does, inside this test's app and database
    db.session.refresh(batch)
    assert batch.status == BadgeBatchStatus.DONE and batch.badge_count == 1
    assert batch_path(batch).read_bytes().startswith(b"%PDF")
    client.flushdb()


def test_without_redis_the_batch_is_done_on_return(app, tmp_path):
    app.instance_path = str(tmp_path)
    meeting = add_meeting()
    add_registration(meeting, "Ana", "Pop")
    batch = request_batch(meeting, "a6")
    assert db.session.get(BadgeBatch, batch.id).status == BadgeBatchStatus.DONE
