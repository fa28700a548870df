"""What a submission's parts cost: `python -m bench.parts`.

Posts applications in-process (production settings, CSRF on, PostgreSQL when it is reachable,
else SQLite) and reports the CPU per POST: as served (the form's layer in front of Flask answers
them, eventapp/registration/fastapply.py), then through the Flask view behind it with the whole
path and with optional parts swapped for no-ops: the confirmation email, the rate limiter, the
audit entry with the manage token, and all of them at once. Each setup runs twice, alternating,
and keeps its best of three rounds, since the machine's noise is of the same order as some of
the parts. Diagnostic only: a setup with parts removed is not a working app.
"""

from __future__ import annotations

import os
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from itertools import count
from unittest import mock

from werkzeug.test import Client

from bench import bench_registration as reg
from bench.harness import BENCH_ENV, database, pg_available

ROUNDS = 3
BASE_URL = "https://localhost"
PER_ROUND = 300
#: Name -> (through the Flask view?, parts swapped out).
SETUPS: dict[str, tuple[bool, tuple[str, ...]]] = {
    "as served (layer in front)": (False, ()),
    "Flask view: everything": (True, ()),
    "Flask view: no email": (True, ("email",)),
    "Flask view: no rate limiter": (True, ("limiter",)),
    "Flask view: no audit, no token": (True, ("audit", "token")),
    "Flask view: none of these": (True, ("email", "limiter", "audit", "token")),
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


def _poster(wsgi: object, path: str, serial: Iterator[int]) -> Callable[[], None] | None:
    """A function that posts one new application to `wsgi` (its own session), or None without a form."""
    client = Client(wsgi, use_cookies=False)
    # Production settings: https, where CSRF also wants a same-site Referer.
    page = client.get(path, base_url=BASE_URL)
    match = reg.TOKEN_PATTERN.search(page.get_data(as_text=True))
    if page.status_code != 200 or match is None:
        return None
    cookie = "; ".join(
        c.split(";", 1)[0] for c in page.headers.getlist("Set-Cookie") if not c.split(";", 1)[0].endswith("=")
    )
    headers = {"Cookie": cookie, "Referer": f"{BASE_URL}{path}"}
    csrf = urllib.parse.urlencode({"csrf_token": match.group(1) or match.group(2)}).encode() + b"&"

    def post() -> None:
        answer = client.post(
            path,
            data=csrf + reg._fields(next(serial)),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
            base_url=BASE_URL,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"POST {path} answered {answer.status_code}")

    return post


def main() -> int:
    kind = "postgresql" if pg_available() else "sqlite"
    with database(kind) as url:
        reg.make_meeting(url)
        os.environ.update({**BENCH_ENV, **reg.BENCH_LIMITS, "DATABASE_URL": url})
        from eventapp import create_app
        from eventapp.registration.fastapply import ApplyFastPath

        app = create_app()
        layer = app.wsgi_app
        while not isinstance(layer, ApplyFastPath):
            layer = layer.inner  # type: ignore[attr-defined]
        path = f"/meetings/{reg.SLUG}/apply"
        serial = count()
        served, through_flask = _poster(app, path, serial), _poster(layer.inner, path, serial)
        if served is None or through_flask is None:
            print(f"bench.parts: GET {path} gave no form", file=sys.stderr)
            return 1
        for _ in range(50):
            served()
            through_flask()
        best = dict.fromkeys(SETUPS, float("inf"))
        for _ in range(2):
            for name, (flask_view, parts) in SETUPS.items():
                post = through_flask if flask_view else served
                with _without(parts):
                    for _ in range(ROUNDS):
                        started = time.process_time()
                        for _ in range(PER_ROUND):
                            post()
                        best[name] = min(best[name], (time.process_time() - started) * 1000 / PER_ROUND)
        print(f"CPU per application POST, in-process ({kind}), best of {2 * ROUNDS} rounds of {PER_ROUND}:")
        for name, ms in best.items():
            print(f"  {name:<32} {ms:5.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
