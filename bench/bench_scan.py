"""scanBadge under load: gunicorn + PostgreSQL, 16 connections, against /hello of the same app.

Every request is a real scan: bearer-token lookup, signature check, badge and registration
lookup, the Presence row locked FOR UPDATE and a CheckIn row inserted (a fresh nonce each time).
500 badges are scanned in turn, so the first scan of each admits and later ones are
"already inside". Target: at least 50% of hello-world's requests per second and p99 under 15 ms.
"""

from __future__ import annotations

import itertools
import json
import os
import uuid

from bench.harness import BENCH_ENV, Row, against_hello, database, pg_available, serve

PEOPLE = 500
REQUESTS = 2000
ROUNDS = 3
CONNECTIONS = 16
#: As deployed (README: `gunicorn -w 4` on 2 cores); BENCH_WORKERS=2 compares another count.
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


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
            return [
                against_hello(
                    server,
                    f"scanBadge (PostgreSQL, {WORKERS} workers, {CONNECTIONS} conn)",
                    scan_request,
                    requests=REQUESTS,
                    rounds=ROUNDS,
                    concurrency=CONNECTIONS,
                    target=">= 50% of hello, p99 < 15 ms",
                )
            ]
