"""CPU per request, by process: `python -m bench.cpu [registration] [scan]`.

Where a request's cost goes when the app is served: the gunicorn workers, the PostgreSQL server
processes, Redis and the load generator. One connection sends requests one after another, so
load and queueing do not change the figures; each is the CPU time the processes' counters in
/proc gained during the run, divided by the number of requests, next to /hello's measured the
same way. Linux only (it reads /proc); PostgreSQL must be reachable.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.harness import DEPLOYED_WORKERS, Request, Server, _send, database, hello_request, pg_available, serve

TICKS = os.sysconf("SC_CLK_TCK")
REQUESTS = 600
#: Process name prefix -> the group it is counted in.
GROUPS = {"postgres": "postgresql", "gunicorn": "gunicorn", "redis": "redis"}


def _cpu_by_group() -> dict[str, float]:
    """Seconds of CPU (user + system) so far of every process, summed per group."""
    totals: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        group = next((g for prefix, g in GROUPS.items() if prefix in name), None)
        if group is not None:
            fields = stat[stat.rindex(")") + 2 :].split()
            totals[group] = totals.get(group, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return totals


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def per_request(server: Server, make_request: Callable[[int], Request], requests: int = REQUESTS) -> dict[str, float]:
    """Milliseconds of CPU per request in each group, and the client's."""
    for i in range(30):  # warm every worker
        _send(server.connection(), make_request(i))
    before, own = _cpu_by_group(), _own_cpu()
    conn = server.connection()
    for i in range(requests):
        _send(conn, make_request(i))
    after, own_after = _cpu_by_group(), _own_cpu()
    costs = {g: (after[g] - before.get(g, 0.0)) * 1000 / requests for g in after}
    costs["client"] = (own_after - own) * 1000 / requests
    return {g: ms for g, ms in costs.items() if ms > 0}


def _show(label: str, costs: dict[str, float]) -> None:
    parts = ", ".join(f"{g} {ms:.2f}" for g, ms in sorted(costs.items()))
    print(f"{label:<28} {sum(costs.values()):6.2f} ms  ({parts})", flush=True)


def registration() -> None:
    from bench import bench_registration as reg

    # Without Redis the outbox keeps the confirmation with the insert itself; with it, the message
    # is queued and a sweep asked for (at most once a second per worker).
    for redis_url in ("", reg.redis_db()):
        with database("postgresql") as url:
            reg.make_meeting(url)
            extra_env = {**reg.BENCH_LIMITS, **({"REDIS_URL": redis_url} if redis_url else {})}
            with serve(url, workers=DEPLOYED_WORKERS, extra_env=extra_env) as server:
                applicants = reg.Applicants(server, count=REQUESTS + 100)
                _show("hello", per_request(server, hello_request))
                _show(f"apply submit (PostgreSQL{'+Redis' if redis_url else ''})", per_request(server, applicants))
        if redis_url:
            reg.redis_db()


def scan() -> None:
    from bench import bench_scan

    with database("postgresql") as url:
        slug, bearer, tokens = bench_scan._seed(url)
        headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
        path = f"/api/v1/meetings/{slug}/scans"
        bodies = [
            json.dumps({"checkpoint": "entrance", "direction": "in", "token": t, "nonce": uuid.uuid4().hex}).encode()
            for t in itertools.islice(itertools.cycle(tokens), REQUESTS + 100)
        ]
        handed_out = itertools.count()

        def scan_request(_: int) -> Request:
            return ("POST", path, headers, bodies[next(handed_out)])

        limits = {"RATELIMIT_API": "1000000 per minute"}
        with serve(url, workers=DEPLOYED_WORKERS, extra_env=limits) as server:
            _show("hello", per_request(server, hello_request))
            _show("scanBadge (PostgreSQL)", per_request(server, scan_request))


def main(argv: list[str]) -> int:
    if not pg_available():
        print("bench.cpu: PostgreSQL not reachable", file=sys.stderr)
        return 1
    wanted = argv[1:] or ["registration", "scan"]
    for name in wanted:
        print(f"{name} (CPU ms per request, one connection, {time.strftime('%H:%M:%S')}):")
        {"registration": registration, "scan": scan}[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
