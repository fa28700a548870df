"""The 200-session meeting feed, full and 304 (If-None-Match), against /hello in the same run.

Targets: the full feed at least 30% and the 304 answer at least 70% of hello-world's requests/s.
"""

from __future__ import annotations

from bench.feed_meeting import SLUG, make_feed_meeting
from bench.harness import Request, Row, against_hello, database, pg_available, serve

FEED = f"/meetings/{SLUG}/agenda.ics"


def _etag(server: object) -> str:
    conn = server.connection()  # type: ignore[attr-defined]
    conn.request("GET", FEED)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200 or b"BEGIN:VEVENT" not in body:
        raise RuntimeError(f"the feed did not answer: {response.status}")
    return response.getheader("ETag") or ""


def _measure(server: object, label: str) -> list[Row]:
    etag = _etag(server)

    def full(_: int) -> Request:
        return ("GET", FEED, {}, None)

    def not_modified(_: int) -> Request:
        return ("GET", FEED, {"If-None-Match": etag}, None)

    return [
        against_hello(server, f"meeting feed, 200 sessions ({label})", full, requests=1000, rounds=5, target=">= 30%"),  # type: ignore[arg-type]
        against_hello(
            server,  # type: ignore[arg-type]
            f"meeting feed 304 ({label})",
            not_modified,
            requests=1500,
            rounds=5,
            expect=(304,),
            target=">= 70%",
        ),
    ]


def _rows(kind: str) -> list[Row]:
    with database(kind) as url:
        make_feed_meeting(url)
        rows = []
        # As deployed: one aggregate query decides on every request, so all workers agree.
        with serve(url, workers=2) as server:
            rows += _measure(server, f"{kind}, 2 workers")
        # With the opt-in one-second validator memo (FEED_VALIDATOR_TTL=1), for comparison.
        with serve(url, workers=2, extra_env={"FEED_VALIDATOR_TTL": "1"}) as server:
            rows += _measure(server, f"{kind}, 2 workers, 1 s memo")
        return rows


def run() -> list[Row]:
    rows = _rows("sqlite")
    if pg_available():
        rows += _rows("postgresql")
    return rows
