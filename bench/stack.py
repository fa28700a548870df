"""The app served as in production for the load tests: PostgreSQL, Redis, gunicorn, jobs worker.

Everything lives for one `make bench`: a throwaway database (dropped afterwards), a Redis
database of the bench's own (emptied before and after), seeded with the project's commands.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
WORKERS = os.environ.get("BENCH_WORKERS", "4")

#: Production settings. The per-address and per-device limits are lifted because every request
#: comes from 127.0.0.1 and the door scans share one device token; the limiter still runs.
APP_ENV = {
    "APP_ENV": "production",
    "SECRET_KEY": secrets.token_hex(32),
    "DATA_ENCRYPTION_KEY": "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k=",
    "MAIL_BACKEND": "outbox",
    "REDIS_URL": REDIS_URL,
    "RATELIMIT_PUBLIC_FORMS": "1000000 per minute",
    "RATELIMIT_PRIVATE_LINKS": "1000000 per minute",
    "RATELIMIT_API": "1000000 per minute",
}


def check_services() -> str | None:
    """Why the bench cannot run here (PostgreSQL or Redis unreachable), or None."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL} (set BENCH_PG_URL): {exc.orig}"
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except RedisConnectionError as exc:
        return f"Redis is not reachable at {REDIS_URL} (set BENCH_REDIS_URL): {exc}"
    return None


def app_env(database_url: str) -> dict[str, str]:
    return {**os.environ, **APP_ENV, "DATABASE_URL": database_url}


def flask(database_url: str, *args: str, stdin: str | None = None) -> str:
    """Run `flask --app eventapp <args>` against the bench database; its standard output."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "eventapp", *args],
        cwd=ROOT,
        env=app_env(database_url),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def database() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped on the way out."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"eventapp_bench_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def redis_database() -> Iterator[None]:
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        yield
    finally:
        client.flushdb()
        client.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serve(database_url: str, logs: Path) -> Iterator[str]:
    """gunicorn (BENCH_WORKERS, 4 as deployed) and the jobs worker, logging into `logs`; yields the base URL."""
    env = app_env(database_url)
    port = _free_port()
    with (logs / "gunicorn.log").open("w") as gunicorn_log, (logs / "worker.log").open("w") as worker_log:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", WORKERS, "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        worker = subprocess.Popen(
            [str(BIN / "flask"), "--app", "eventapp", "jobs", "worker"],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(port, gunicorn)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(worker)
        _stop(gunicorn)


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not start")
        time.sleep(0.3)
