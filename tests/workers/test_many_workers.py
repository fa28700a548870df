"""Under `gunicorn -w 4` on PostgreSQL and Redis the app behaves as with one worker.

Each test sends many requests at once so that they land on different workers, and checks from
gunicorn's access log that at least two workers answered them.
"""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from eventapp.models import CheckIn, Registration, RegistrationStatus, ScanResult, Session
from tests.workers.cluster import Agent, Cluster, Reply, at_once, csrf_token, sign_in
from tests.workers.conftest import CATEGORY_CAPACITY, LOGIN_LIMIT, World

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def workers_seen(cluster: Cluster, replies: list[Reply]) -> set[int]:
    pids = set(cluster.pids_of(replies).values())
    assert pids <= cluster.worker_pids(), "a reply came from a process that is not a worker"
    assert len(pids) >= 2, f"all {len(replies)} requests were answered by one worker"
    print(f"{len(replies)} concurrent requests answered by {len(pids)} workers")  # shown with -rP
    return pids


def test_login_rate_limit_is_one_counter_for_all_workers(served: tuple[Cluster, World]) -> None:
    cluster, world = served
    agent = Agent(cluster, address="198.51.100.10")
    token = csrf_token(agent.get("/login", tag="limit").body)
    attempt = {"email": world.host_email, "password": "not the password", "csrf_token": token}

    replies = at_once(30, lambda _: agent.post("/login", tag="limit", form=attempt))

    answered = [r for r in replies if r.status != 429]
    assert len(answered) == LOGIN_LIMIT
    assert all(r.status == 422 and "Email or password is not right." in r.body for r in answered)
    workers_seen(cluster, replies)
    # Counted per client address: another address still gets its attempts.
    other = Agent(cluster, address="198.51.100.11")
    fresh = other.post(
        "/login", tag="limit", form={**attempt, "csrf_token": csrf_token(other.get("/login", tag="limit").body)}
    )
    assert fresh.status == 422


def test_concurrent_scans_of_one_badge_admit_once(served: tuple[Cluster, World]) -> None:
    cluster, world = served
    agent = Agent(cluster, address="198.51.100.20")
    url = f"/api/v1/meetings/{world.scan_slug}/scans"
    bearer = {"Authorization": f"Bearer {world.device_token}"}

    def scan(badge: str, nonce: str) -> Reply:
        body = {"token": badge, "checkpoint": "entrance", "direction": "in", "nonce": nonce}
        return agent.post(url, tag="scan", json=body, headers=bearer)

    # Warm-up: every worker has served a scan, and the device's first scan, which stamps its last
    # use and so would queue the scans below on the device row (hiding any race), is done.
    warm = cluster.from_every_worker(lambda _: scan("NOT-A-BADGE", uuid.uuid4().hex))
    assert {r.json()["result"] for replies in warm.values() for r in replies} == {"invalid"}

    replies = at_once(40, lambda _: scan(world.badges[0], uuid.uuid4().hex))
    assert {r.status for r in replies} == {200}
    results = sorted(r.json()["result"] for r in replies)
    assert results == ["admitted"] + ["already_inside"] * 39
    workers_seen(cluster, replies)

    nonce = uuid.uuid4().hex
    repeats = at_once(20, lambda _: scan(world.badges[1], nonce))
    assert {r.status for r in repeats} == {200}
    assert {r.json()["result"] for r in repeats} == {"admitted"}
    assert sorted(r.json()["duplicate"] for r in repeats) == [False] + [True] * 19
    workers_seen(cluster, repeats)

    with world.engine.connect() as conn:
        stored = dict(
            conn.execute(
                sa.select(CheckIn.result, sa.func.count())
                .where(CheckIn.checkpoint == "entrance", CheckIn.registration_id.is_not(None))
                .group_by(CheckIn.result)
            ).all()
        )
        same_nonce = conn.scalar(sa.select(sa.func.count()).where(CheckIn.nonce == nonce))
    assert stored == {ScanResult.ADMITTED: 2, ScanResult.ALREADY_INSIDE: 39}
    assert same_nonce == 1


def test_concurrent_approvals_fill_a_category_exactly(served: tuple[Cluster, World]) -> None:
    cluster, world = served
    host = Agent(cluster, address="198.51.100.30")
    sign_in(host, world.host_email, world.password, world.totp_secrets[world.host_email], tag="capacity")
    review = f"/meetings/{world.meeting_slug}/review"

    def approve(i: int) -> Reply:
        token = csrf_token(host.get(review, tag="capacity").body)  # fetched on whichever worker
        form = {"csrf_token": token, "action": "approve", "reason": "", "selected": str(world.applicant_ids[i])}
        return host.post(review, tag="capacity", form=form)

    replies = at_once(len(world.applicant_ids), approve)

    assert {r.status for r in replies} == {302}, [r.body[:300] for r in replies if r.status != 302][:2]
    workers_seen(cluster, replies)
    with world.engine.connect() as conn:
        counts = dict(
            conn.execute(
                sa.select(Registration.status, sa.func.count())
                .where(Registration.id.in_(world.applicant_ids))
                .group_by(Registration.status)
            ).all()
        )
    assert counts == {
        RegistrationStatus.APPROVED: CATEGORY_CAPACITY,
        RegistrationStatus.WAITLISTED: 2 * CATEGORY_CAPACITY,
    }


def test_one_sign_in_holds_on_every_worker_and_sign_out_ends_it_everywhere(served: tuple[Cluster, World]) -> None:
    cluster, world = served
    agent = Agent(cluster, address="198.51.100.40")
    sign_in(agent, world.admin_email, world.password, world.totp_secrets[world.admin_email], tag="session")
    assert f"Signed in as {world.admin_email}." in agent.get("/", tag="session").body

    signed_in = at_once(20, lambda _: agent.get("/admin/outbox", tag="session"))
    assert {r.status for r in signed_in} == {200}
    assert all(world.admin_email in r.body for r in signed_in)
    workers_seen(cluster, signed_in)

    page = agent.get("/", tag="session")
    out = agent.post("/logout", tag="session", form={"csrf_token": csrf_token(page.body)})
    assert out.status == 302
    home = agent.get("/", tag="session")
    assert "You are signed out." in home.body and world.admin_email not in home.body

    signed_out = at_once(20, lambda _: agent.get("/admin/outbox", tag="session"))
    assert {r.status for r in signed_out} == {302}
    assert all(r.headers["location"].startswith("/login") for r in signed_out)
    workers_seen(cluster, signed_out)


def test_a_message_flashed_on_one_worker_shows_on_another(served: tuple[Cluster, World]) -> None:
    cluster, _ = served
    crossed = 0

    def round_trip(i: int) -> tuple[Reply, Reply, Reply]:
        agent = Agent(cluster, address=f"198.51.100.{100 + i}")
        refused = agent.get("/admin/outbox", tag="flash")  # flashes "Please sign in..."
        shown = agent.get(refused.headers["location"], tag="flash")
        again = agent.get("/login", tag="flash")
        return refused, shown, again

    for _ in range(5):  # until a message was set and shown by different workers (nearly always at once)
        trips = at_once(20, round_trip)
        for refused, shown, again in trips:
            assert refused.status == 302
            assert "Please sign in to see that page." in shown.body
            assert "Please sign in to see that page." not in again.body  # shown once
        pids = cluster.pids_of([reply for trip in trips for reply in trip[:2]])
        crossed += sum(pids[refused.tag] != pids[shown.tag] for refused, shown, _ in trips)
        if crossed:
            break
    print(f"{crossed} of 20 messages set on one worker and shown by another")
    assert crossed, "no message was ever set on one worker and shown by another"


def _one_answer(by_worker: dict[int, list[Reply]], *header_names: str) -> tuple[int, str, tuple[str, ...]]:
    answers = {
        (r.status, r.body, tuple(r.headers.get(h, "") for h in header_names))
        for replies in by_worker.values()
        for r in replies
    }
    assert len(answers) == 1, f"{len(answers)} different answers"
    print(f"{sum(map(len, by_worker.values()))} requests, the same answer from all {len(by_worker)} workers")
    return answers.pop()


def test_every_worker_answers_a_page_and_a_feed_alike_and_sees_a_change_at_once(
    served: tuple[Cluster, World],
) -> None:
    cluster, world = served
    agent = Agent(cluster, address="198.51.100.50")
    page = f"/meetings/{world.meeting_slug}"
    status, body, _ = _one_answer(cluster.from_every_worker(lambda _: agent.get(page, tag="same")))
    assert status == 200 and world.meeting_title in body
    feed = f"/meetings/{world.meeting_slug}/agenda.ics"
    status, body, (etag,) = _one_answer(cluster.from_every_worker(lambda _: agent.get(feed, tag="feed")), "etag")
    assert status == 200 and "SUMMARY:Opening plenary" in body and etag

    # A change made elsewhere (here: straight in the database) reaches every worker's next answer.
    with world.engine.begin() as conn:
        conn.execute(
            sa.update(Session)
            .where(Session.id == world.session_id)
            .values(title="Opening plenary (moved)", updated_at=sa.func.now())
        )
    changed = cluster.from_every_worker(lambda _: agent.get(feed, tag="feed-changed", headers={"If-None-Match": etag}))
    status, body, (new_etag,) = _one_answer(changed, "etag")
    assert status == 200 and "SUMMARY:Opening plenary (moved)" in body and new_etag != etag


def _peak_memory_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise LookupError(f"no VmHWM for {pid}")


def _send_huge_form(cluster: Cluster, path: str, size: int) -> tuple[int | None, int]:
    """POST `size` bytes of form to `path`, streamed; the status (None if the server hung up first) and bytes sent."""
    chunk = b"a" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", cluster.port), timeout=30) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode()
        )
        try:
            while sent < size:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:  # the server answered and closed before the body was all sent
            pass
        try:
            head = sock.recv(4096).decode("latin-1")
        except OSError:
            return None, sent
    return (int(head.split()[1]) if head.startswith("HTTP/") else None), sent


def test_a_400_mb_form_is_refused_without_being_read(served: tuple[Cluster, World]) -> None:
    cluster, world = served
    before = {pid: _peak_memory_kib(pid) for pid in cluster.worker_pids()}
    size = 400 * 1024 * 1024
    answers = [_send_huge_form(cluster, path, size) for path in ("/login", f"/meetings/{world.meeting_slug}/apply")]
    after = {pid: _peak_memory_kib(pid) for pid in cluster.worker_pids()}
    growth_mib = max(after[pid] - before.get(pid, after[pid]) for pid in after) / 1024
    print(f"statuses {[a[0] for a in answers]}, bytes sent {[a[1] for a in answers]}, peak growth {growth_mib:.1f} MiB")
    assert [status for status, _ in answers] == [413, 413]
    assert all(sent < size for _, sent in answers), "the whole body went through before the answer"
    assert growth_mib < 20
    assert Agent(cluster).get("/healthz", tag="after-big-body").status == 200
