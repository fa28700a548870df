"""Submitting the public application form under gunicorn, against /hello in the same run.

The app runs in production mode with CSRF on, so each client thread first opens the form (GET) to get
a session cookie and a token, then posts applications with them; every post is a new applicant
(a new email address) and must answer 302 (to the applicant's manage page). Target: 20% of /hello.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import sys
import threading
import urllib.parse
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bench.harness import DEPLOYED_WORKERS, Request, Row, Server, against_hello, database, pg_available, serve

SLUG = "bench-apply"
ROUNDS = 3
WARMUP = 50
TARGET = ">= 20% of hello"
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
#: Every post comes from 127.0.0.1: with the production limit (20 a minute per address) almost all
#: of them would be 429s. The limiter still runs (and is measured); it just never says no.
BENCH_LIMITS = {"RATELIMIT_PUBLIC_FORMS": "1000000 per minute"}
TOKEN_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def make_meeting(database_url: str) -> None:
    """A published meeting with registration open, written straight into the bench database."""
    from eventapp.config import normalise_database_url
    from eventapp.models import Meeting, MeetingKind, MeetingStatus

    engine = sa.create_engine(normalise_database_url(database_url))
    start = date.today() + timedelta(days=60)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Meeting.__table__).values(
                slug=SLUG,
                kind=MeetingKind.CAPITAL_LEVEL,
                title="Benchmark meeting",
                city="Geneva",
                timezone="Europe/Zurich",
                starts_on=start,
                ends_on=start + timedelta(days=2),
                status=MeetingStatus.PUBLISHED,
                registration_opens_at=datetime.now(UTC) - timedelta(days=1),
            )
        )
    engine.dispose()


def form_session(server: Server) -> tuple[str, str] | None:
    """(cookie header, csrf token) from one GET of the form, or None when there is no form."""
    conn = server.connection()
    conn.request("GET", f"/meetings/{SLUG}/apply")
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    if response.status != 200:
        return None
    match = TOKEN_PATTERN.search(body)
    # Keep the cookies that carry a value (the session); skip ones being cleared.
    pairs = [c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie") or []]
    cookie = "; ".join(p for p in pairs if not p.endswith("="))
    if not match or not cookie:
        return None
    return cookie, match.group(1) or match.group(2)


class Applicants:
    """One application per request: a fresh email each time, a session per client thread.

    The bodies are built before the clock starts (as the scan benchmark does), so the client's
    own work in the timed loop is what it is for /hello: send and read.
    """

    def __init__(self, server: Server, count: int) -> None:
        self._server = server
        self._serial = itertools.count()
        self._bodies = [_fields(n) for n in range(count)]
        self._sessions: dict[int, tuple[dict[str, str], bytes]] = {}
        self._lock = threading.Lock()

    def _session(self) -> tuple[dict[str, str], bytes]:
        key = threading.get_ident()
        with self._lock:
            found = self._sessions.get(key)
        if found is None:
            opened = form_session(self._server)
            if opened is None:
                raise http.client.HTTPException("could not open the application form")
            cookie, token = opened
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            found = (headers, urllib.parse.urlencode({"csrf_token": token}).encode() + b"&")
            with self._lock:
                self._sessions[key] = found
        return found

    def __call__(self, _: int) -> Request:
        headers, token_part = self._session()
        return ("POST", f"/meetings/{SLUG}/apply", headers, token_part + self._bodies[next(self._serial)])


def _fields(n: int) -> bytes:
    return urllib.parse.urlencode(
        {
            "category": "civil_society",
            "given_name": "Amina",
            "family_name": f"Applicant {n}",
            "email": f"applicant{n}@bench.example.org",
            "organisation": "Femmes Leaders du Sahel",
            "country": "MLI",
            "nationality": "MLI",
            "motivation": "Local peacebuilding and the national action plan on women, peace and security.",
            "dietary_needs": "Vegetarian",
            "consent_data_processing": "y",
            "consent_participant_list": "y",
        }
    ).encode()


def _run(kind: str, requests: int, redis_url: str = "") -> list[Row]:
    label = f"{kind}+redis" if redis_url else kind
    with database(kind) as url:
        make_meeting(url)
        extra_env = {**BENCH_LIMITS, **({"REDIS_URL": redis_url} if redis_url else {})}
        with serve(url, workers=DEPLOYED_WORKERS, extra_env=extra_env) as server:
            if form_session(server) is None:
                print(
                    f"bench_registration: skipped: GET /meetings/{SLUG}/apply gave no form with a CSRF token "
                    "(is the application form built?)",
                    file=sys.stderr,
                )
                return []
            row = against_hello(
                server,
                f"apply submit ({label}, {DEPLOYED_WORKERS} workers)",
                Applicants(server, count=ROUNDS * (requests + WARMUP)),
                requests=requests,
                rounds=ROUNDS,
                warmup=WARMUP,
                expect=(302,),
                target=TARGET,
            )
        print(f"bench_registration ({label}): {stored(url)} applications stored", file=sys.stderr)
        return [row]


def stored(database_url: str) -> int:
    """How many applications reached the database (a check that the posts did real work)."""
    from eventapp.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM registrations")).scalar_one()
    engine.dispose()
    return int(count)


def redis_db() -> str:
    """A Redis database of the bench's own (emptied before and after), or "" when Redis is not there."""
    try:
        from redis import Redis

        Redis.from_url(BENCH_REDIS_URL, socket_connect_timeout=2).flushdb()
    except Exception:  # any connection error: run without the queue
        return ""
    return BENCH_REDIS_URL


def run() -> list[Row]:
    rows = _run("sqlite", requests=400)
    if not pg_available():
        print("bench_registration: PostgreSQL not reachable; SQLite only", file=sys.stderr)
        return rows
    rows += _run("postgresql", requests=400)
    # Production runs with REDIS_URL: the emails go to the queue instead of being delivered in the request.
    redis_url = redis_db()
    if redis_url:
        try:
            rows += _run("postgresql", requests=400, redis_url=redis_url)
        finally:
            redis_db()
    return rows
