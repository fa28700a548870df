"""Redis unreachable under `gunicorn -w 4` on PostgreSQL: no request fails; a worker catches up later.

The server's REDIS_URL points at a closed port. Sign-ins, applications, resend-link, API scans,
review decisions and a badge batch are sent from many threads at once; none may answer 5xx, and
each change must be in the database. Then a jobs worker with a working Redis delivers the mail and
draws the batch that waited in the database.
"""

from __future__ import annotations

import subprocess
import uuid
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa

from eventapp import PROJECT_ROOT
from eventapp.config import normalise_database_url
from eventapp.models import BadgeBatch, BadgeBatchStatus, MailStatus, OutboxMessage, Registration, RegistrationStatus
from tests.faults.test_redis_down import DEAD_REDIS
from tests.registration.conftest import form_data
from tests.workers.cluster import BIN, ROOT, Agent, Cluster, Reply, at_once, csrf_token, sign_in
from tests.workers.conftest import World, _build, _claim_redis_db, _migrate, production_env

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

LOGIN_LIMIT = 5
#: Hosts signing in at once, each from its own address with an account of its own.
HOSTS = 8


@pytest.fixture(scope="module")
def served(
    pg_database_factory: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Cluster, World, dict[str, str]]]:
    url = pg_database_factory()
    _migrate(url)
    built = _build(url, hosts=HOSTS)
    env = production_env(url, DEAD_REDIS, TRUSTED_PROXIES="1", RATELIMIT_LOGIN=f"{LOGIN_LIMIT} per minute")
    cluster = Cluster(env, tmp_path_factory.mktemp("gunicorn"))
    engine = sa.create_engine(normalise_database_url(url))
    try:
        cluster.start()
        yield cluster, World(engine=engine, **built), env  # type: ignore[arg-type]
    finally:
        cluster.stop()
        engine.dispose()


#: The forms' pages fetched for their CSRF tokens: answered like the rest, counted with them.
PAGES: list[Reply] = []


def token_from(agent: Agent, path: str, tag: str) -> str:
    page = agent.get(path, tag=tag)
    PAGES.append(page)
    return csrf_token(page.body)


def test_without_redis_every_request_is_answered_and_a_worker_catches_up_later(
    served: tuple[Cluster, World, dict[str, str]],
) -> None:
    cluster, world, env = served
    replies: dict[str, list[Reply]] = {}

    # Sign-ins with password and code, each from its own address (the sign-in limit counts per
    # address) as a host of its own (a code is accepted once).
    def host_session(i: int) -> tuple[Agent, list[Reply]]:
        agent = Agent(cluster, address=f"198.51.100.{10 + i}")
        email = world.host_emails[i]
        steps = sign_in(agent, email, world.password, world.totp_secrets[email], tag="sign-in")
        PAGES.extend(steps[0::2])
        return agent, steps[1::2]

    hosts = at_once(HOSTS, host_session)
    replies["sign-in"] = [reply for _, steps in hosts for reply in steps]

    # Applications and resend-link requests from visitors.
    apply_path = f"/meetings/{world.meeting_slug}/apply"

    def apply(i: int) -> Reply:
        agent = Agent(cluster, address=f"203.0.113.{10 + i}")
        token = token_from(agent, apply_path, "apply")
        return agent.post(
            apply_path, tag="apply", form={**form_data(email=f"visitor{i}@example.org"), "csrf_token": token}
        )

    replies["apply"] = at_once(12, apply)
    resend_path = f"/meetings/{world.meeting_slug}/resend-link"

    def resend(i: int) -> Reply:
        agent = Agent(cluster, address=f"203.0.113.{50 + i}")
        token = token_from(agent, resend_path, "resend")
        return agent.post(resend_path, tag="resend", form={"email": f"visitor{i}@example.org", "csrf_token": token})

    replies["resend-link"] = at_once(12, resend)

    # API calls: scans of both badges, the door's status, and unknown tokens.
    door = Agent(cluster, address="198.51.100.200")
    scans = f"/api/v1/meetings/{world.scan_slug}/scans"
    bearer = {"Authorization": f"Bearer {world.device_token}"}

    def scan(i: int) -> Reply:
        body = {"token": world.badges[i % 2], "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex}
        return door.post(scans, tag="scan", json=body, headers=bearer)

    replies["scan"] = at_once(24, scan)
    status_path = f"/api/v1/meetings/{world.scan_slug}/status"
    replies["status"] = at_once(8, lambda _: door.get(status_path, tag="status", headers=bearer))
    stranger = Agent(cluster, address="198.51.100.201")
    replies["bad token"] = at_once(
        8, lambda i: stranger.get(status_path, tag="bad-token", headers={"Authorization": f"Bearer evd_bad{i}"})
    )

    # Review decisions by the signed-in hosts: approve and decline, one applicant each.
    review = f"/meetings/{world.meeting_slug}/review"

    def decide(i: int) -> Reply:
        agent = hosts[i % len(hosts)][0]
        token = token_from(agent, review, "review")
        action = "approve" if i % 2 == 0 else "decline"
        form = {"csrf_token": token, "action": action, "reason": "No place.", "selected": str(world.applicant_ids[i])}
        return agent.post(review, tag="review", form=form)

    deciding = world.applicant_ids[:8]
    replies["decision"] = at_once(len(deciding), decide)

    # A badge batch of the scan meeting, asked for by a host.
    batches = f"/meetings/{world.scan_slug}/badges"
    host = hosts[0][0]
    token = token_from(host, batches, "batch")
    replies["badge batch"] = [
        host.post(f"{batches}/batches", tag="batch", form={"csrf_token": token, "layout": "a6", "category": ""})
    ]

    # Bad sign-ins from one address: still limited, each worker counting in its own memory.
    tries = Agent(cluster, address="198.51.100.250")
    attempt = {
        "email": world.host_email,
        "password": "wrong",
        "csrf_token": token_from(tries, "/login", "limit"),
    }
    replies["bad sign-in"] = at_once(40, lambda _: tries.post("/login", tag="limit", form=attempt))

    replies["form pages"] = PAGES
    counts = {kind: Counter(r.status for r in answers) for kind, answers in replies.items()}
    sent = sum(len(answers) for answers in replies.values())
    failures = sum(n for statuses in counts.values() for status, n in statuses.items() if status >= 500)
    print(f"Redis unreachable: {sent} requests to 4 workers, {failures} answered 5xx: {counts}")
    assert failures == 0
    assert counts["sign-in"] == {302: 2 * HOSTS}  # the password's answer, then the code's
    assert counts["apply"] == {302: 12} and counts["resend-link"] == {302: 12}
    assert counts["scan"] == {200: 24} and counts["status"] == {200: 8} and counts["bad token"] == {401: 8}
    assert counts["decision"] == {302: 8} and counts["badge batch"] == {302: 1}
    assert counts["form pages"] == {200: len(PAGES)}
    refused = counts["bad sign-in"][429]
    assert counts["bad sign-in"][422] <= 4 * LOGIN_LIMIT and refused >= 40 - 4 * LOGIN_LIMIT, "counted per worker"
    workers = set(cluster.pids_of([r for answers in replies.values() for r in answers]).values())
    assert len(workers) >= 2, "the requests reached more than one worker"

    with world.engine.connect() as conn:
        decided = dict(
            conn.execute(sa.select(Registration.id, Registration.status).where(Registration.id.in_(deciding))).all()
        )
        mail = Counter(conn.scalars(sa.select(OutboxMessage.status)).all())
        [batch_id] = conn.scalars(sa.select(BadgeBatch.id).where(BadgeBatch.status == BadgeBatchStatus.QUEUED)).all()
    expected = [RegistrationStatus.APPROVED, RegistrationStatus.DECLINED] * 4  # 4 approvals fit the category
    assert [decided[i] for i in deciding] == expected, "every decision answered 302 is stored"
    assert mail == {MailStatus.QUEUED: 12 + 12 + 8}, "received, resent link, decision: all waiting in the outbox"

    # Redis is back: a jobs worker finds what waited and does it.
    redis, live_url = _claim_redis_db()
    try:
        done = subprocess.run(
            [str(BIN / "flask"), "--app", "eventapp", "jobs", "worker", "--burst"],
            cwd=ROOT,
            env={**env, "REDIS_URL": live_url},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        redis.flushdb()
        redis.close()
    assert done.returncode == 0, done.stderr[-2000:]
    with world.engine.connect() as conn:
        mail = Counter(conn.scalars(sa.select(OutboxMessage.status)).all())
        batch = conn.execute(sa.select(BadgeBatch.status, BadgeBatch.filename).where(BadgeBatch.id == batch_id)).one()
    if batch.filename:  # the worker writes under the project's instance folder
        (PROJECT_ROOT / "instance" / "badge-batches" / batch.filename).unlink(missing_ok=True)
    assert mail == {MailStatus.KEPT: 32}
    assert batch.status == BadgeBatchStatus.DONE
