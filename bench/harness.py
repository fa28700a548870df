"""Benchmark harness: serve the app with gunicorn, load it over loopback, compare with /hello.

Every figure is reported next to the hello-world endpoint of the same app, served the same way
in the same run, so results read as ratios that do not depend on the machine.
"""

from __future__ import annotations

import gc
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BENCH_ENV = {
    "SECRET_KEY": "bench-secret-key",
    "DATA_ENCRYPTION_KEY": "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k=",
    "APP_ENV": "production",
    "RATELIMIT_API": "1000000 per minute",
    "MAIL_BACKEND": "outbox",
}

#: gunicorn workers as deployed (README: `gunicorn -w 4` on 2 cores); BENCH_WORKERS=2 compares another count.
DEPLOYED_WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))

#: A request: (method, path, headers, body).
Request = tuple[str, str, dict[str, str], bytes | None]


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    #: Share of the host's CPU time the hypervisor took during the round (None: not known).
    steal: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class Row:
    benchmark: str
    result: Result
    baseline: Result
    target: str = ""

    @property
    def ratio(self) -> float:
        return self.result.rps / self.baseline.rps if self.baseline.rps else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return False
    return True


@contextmanager
def database(kind: str = "sqlite") -> Iterator[str]:
    """A fresh, migrated database: 'sqlite' (a temp file) or 'postgresql' (a throwaway database)."""
    if kind == "postgresql":
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        name = f"eventapp_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        try:
            flask("db", "upgrade", database_url=url)
            yield url
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.sqlite3"
            flask("db", "upgrade", database_url=url)
            yield url


def flask(*args: str, database_url: str, stdin: str | None = None) -> str:
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url}
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "eventapp", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)


@contextmanager
def serve(database_url: str, workers: int = 2, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url, **(extra_env or {})}
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=env,
    )
    server = Server(port, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = server.connection()
            conn.request("GET", "/hello")
            conn.getresponse().read()
            conn.close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=15)


def _cpu_ticks() -> tuple[int, int] | None:
    """(steal, total) CPU ticks of the host so far, from /proc/stat; None where there is none."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice: already inside user/nice]
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


@contextmanager
def measured(result_steal: list[float | None]) -> Iterator[None]:
    """A measured round: the load generator's own garbage collection stays out of it (a full
    collection of this process, which imported the app to seed, pauses every connection for
    tens of milliseconds), and the host's steal time during it is appended to `result_steal`."""
    gc.collect()
    gc.disable()
    before = _cpu_ticks()
    try:
        yield
    finally:
        after = _cpu_ticks()
        gc.enable()
        if before is None or after is None or after[1] == before[1]:
            result_steal.append(None)
        else:
            result_steal.append((after[0] - before[0]) / (after[1] - before[1]))


def load(
    server: Server,
    name: str,
    make_request: Callable[[int], Request],
    *,
    requests: int = 2000,
    concurrency: int = 8,
    expect: tuple[int, ...] = (200,),
    warmup: int = 50,
) -> Result:
    """Send `requests` requests from `concurrency` threads on keep-alive connections."""
    for i in range(warmup):
        _send(server.connection(), make_request(-1 - i))
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        nonlocal errors
        conn = server.connection()
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            started = time.perf_counter()
            try:
                status = _send(conn, make_request(i))
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = server.connection()
                status = 0
            mine.append((time.perf_counter() - started) * 1000)
            if status not in expect:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    steal: list[float | None] = []
    with measured(steal):
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
    return Result(name, requests, seconds, latencies, errors, steal[0])


def _send(conn: http.client.HTTPConnection, request: Request) -> int:
    method, path, headers, body = request
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    return response.status


def hello_request(_: int) -> Request:
    return ("GET", "/hello", {}, None)


def against_hello(
    server: Server,
    name: str,
    make_request: Callable[[int], Request],
    *,
    rounds: int = 3,
    target: str = "",
    **kw: object,
) -> Row:
    """Measure the endpoint and /hello in alternating rounds; keep each one's best round."""
    best: Result | None = None
    base: Result | None = None
    for _ in range(rounds):
        b = load(server, "hello", hello_request, **kw)  # type: ignore[arg-type]
        r = load(server, name, make_request, **kw)  # type: ignore[arg-type]
        base = b if base is None or b.rps > base.rps else base
        best = r if best is None or r.rps > best.rps else best
    assert best is not None and base is not None
    return Row(name, best, base, target)


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'benchmark':<44} {'req/s':>9} {'hello req/s':>11} {'ratio':>7} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'hello p99':>9} {'errors':>6}  target"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        r = row.result
        print(
            f"{row.benchmark:<44} {r.rps:>9.0f} {row.baseline.rps:>11.0f} {row.ratio:>7.0%} "
            f"{r.percentile(50):>7.1f} {r.percentile(99):>7.1f} {row.baseline.percentile(99):>9.1f} "
            f"{r.errors:>6}  {row.target}"
        )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
