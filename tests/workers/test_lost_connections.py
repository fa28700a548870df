"""Under `gunicorn -w 4`, the database ends every connection while requests keep coming: no 500.

Pages and feeds that hit a dead connection run once more; scans (writes) may answer 503 with
Retry-After and are then simply sent again, as the scanner page does. After the storm every
worker, idle or not, answers its next request.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa

from eventapp.models import CheckIn
from tests.workers.cluster import Agent, Cluster, Reply
from tests.workers.conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CLIENTS = 6
TERMINATIONS = 4
PAUSE = 0.75


def _terminate_every_connection(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        conn.execute(sa.text("COMMIT"))
        return int(
            conn.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        )


def test_terminated_connections_under_load_answer_no_500(served: tuple[Cluster, World]) -> None:
    cluster, world = served
    bearer = {"Authorization": f"Bearer {world.device_token}"}
    paths = [f"/meetings/{world.meeting_slug}", f"/meetings/{world.meeting_slug}/agenda.ics", "/healthz"]
    statuses: Counter[tuple[str, int]] = Counter()
    lock = threading.Lock()
    stop = threading.Event()
    scans_stored_by_200: list[str] = []

    def client(number: int) -> None:
        agent = Agent(cluster, address=f"198.51.100.{60 + number}")
        i = 0
        while not stop.is_set():
            i += 1
            if i % 3 == 0:
                nonce = uuid.uuid4().hex
                body = {"token": world.badges[i % 2], "checkpoint": "entrance", "direction": "in", "nonce": nonce}
                reply: Reply = agent.post(
                    f"/api/v1/meetings/{world.scan_slug}/scans", tag="scan", json=body, headers=bearer
                )
                kind = "scan"
                if reply.status == 200:
                    with lock:
                        scans_stored_by_200.append(nonce)
                elif reply.status == 503:
                    assert reply.headers.get("retry-after") == "1"
            else:
                reply = agent.get(paths[i % len(paths)], tag="read")
                kind = "read"
            with lock:
                statuses[(kind, reply.status)] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    ended = 0
    try:
        for _ in range(TERMINATIONS):
            time.sleep(PAUSE)
            ended += _terminate_every_connection(world.engine)
        time.sleep(PAUSE)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    print(f"{sum(statuses.values())} requests, {ended} connections ended: {dict(statuses)}")  # shown with -rP
    assert ended >= TERMINATIONS
    assert sum(statuses.values()) > 50
    assert not [key for key in statuses if key[1] >= 500 and key != ("scan", 503)], statuses
    assert {status for kind, status in statuses if kind == "read"} == {200}

    # Every scan answered 200 is stored: nothing was reported done that was not.
    with world.engine.connect() as conn:
        stored = set(conn.scalars(sa.select(CheckIn.nonce).where(CheckIn.nonce.in_(scans_stored_by_200))))
    assert stored == set(scans_stored_by_200)

    # Idle workers' pooled connections died too: each worker's next request still succeeds.
    _terminate_every_connection(world.engine)
    time.sleep(1)
    agent = Agent(cluster, address="198.51.100.99")
    replies = cluster.from_every_worker(lambda _: agent.get("/healthz", tag="after"))
    assert {reply.status for answered in replies.values() for reply in answered} == {200}
