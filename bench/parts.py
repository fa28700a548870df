"""What a submission's parts cost: `python -m bench.parts`.

Posts applications in-process (Flask's test client, production settings, CSRF on, PostgreSQL
when it is reachable, else SQLite) and reports the CPU per POST with the whole path, then with
optional parts swapped for no-ops: the confirmation email, the rate limiter, the audit entry with
the manage token, and all of them at once. Each setup runs twice, alternating, and keeps its
best of three rounds, since the machine's noise is of the same order as some of the parts.
Diagnostic only: a setup with parts removed is not a working app.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from itertools import count
from unittest import mock

from bench import bench_registration as reg
from bench.harness import BENCH_ENV, database, pg_available

ROUNDS = 3
PER_ROUND = 300
SETUPS: dict[str, tuple[str, ...]] = {
    "everything": (),
    "no email": ("email",),
    "no rate limiter": ("limiter",),
    "no audit entry, no token": ("audit", "token"),
    "none of these": ("email", "limiter", "audit", "token"),
}


@contextmanager
def _without(parts: tuple[str, ...]) -> Iterator[None]:
    from eventapp.extensions import limiter
    from eventapp.registration import applications

    with ExitStack() as stack:
        if "email" in parts:
            stack.enter_context(mock.patch.object(applications, "notify_submitted", lambda *a, **k: None))
        if "audit" in parts:
            stack.enter_context(mock.patch.object(applications, "record", lambda *a, **k: None))
        if "token" in parts:
            stack.enter_context(mock.patch.object(applications, "make_manage_token", lambda *a: "token"))
        if "limiter" in parts:
            stack.enter_context(mock.patch.object(limiter, "enabled", False))
        yield


def main() -> int:
    kind = "postgresql" if pg_available() else "sqlite"
    with database(kind) as url:
        reg.make_meeting(url)
        os.environ.update({**BENCH_ENV, **reg.BENCH_LIMITS, "DATABASE_URL": url})
        from eventapp import create_app

        app = create_app()
        client = app.test_client(use_cookies=False)
        path = f"/meetings/{reg.SLUG}/apply"
        page = client.get(path)
        match = reg.TOKEN_PATTERN.search(page.get_data(as_text=True))
        if page.status_code != 200 or match is None:
            print(f"bench.parts: GET {path} gave no form", file=sys.stderr)
            return 1
        cookie = "; ".join(
            c.split(";", 1)[0] for c in page.headers.getlist("Set-Cookie") if not c.split(";", 1)[0].endswith("=")
        )
        # The test client speaks https here (production settings), where CSRF wants a same-site Referer.
        headers = {"Cookie": cookie, "Referer": f"https://localhost{path}"}
        csrf = urllib.parse.urlencode({"csrf_token": match.group(1) or match.group(2)}).encode() + b"&"
        serial = count()

        def post() -> None:
            answer = client.post(
                path,
                data=csrf + reg._fields(next(serial)),
                content_type="application/x-www-form-urlencoded",
                headers=headers,
            )
            if answer.status_code != 302:
                raise RuntimeError(f"POST {path} answered {answer.status_code}")

        for _ in range(50):
            post()
        best = dict.fromkeys(SETUPS, float("inf"))
        for _ in range(2):
            for name, parts in SETUPS.items():
                with _without(parts):
                    for _ in range(ROUNDS):
                        started = time.process_time()
                        for _ in range(PER_ROUND):
                            post()
                        best[name] = min(best[name], (time.process_time() - started) * 1000 / PER_ROUND)
        print(f"CPU per application POST, in-process ({kind}), best of {2 * ROUNDS} rounds of {PER_ROUND}:")
        for name, ms in best.items():
            print(f"  {name:<26} {ms:5.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
