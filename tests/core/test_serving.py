"""`gunicorn -w 2 wsgi:app` serves the migrated, seeded app, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.read().decode()


def _serve_and_check(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "serving-test-key",
        "DATA_ENCRYPTION_KEY": "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k=",
        "APP_ENV": "production",
    }
    flask = [str(BIN / "flask"), "--app", "eventapp"]
    for args in (["db", "upgrade"], ["seed-demo"]):
        done = subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _get(f"http://127.0.0.1:{port}/healthz") == '{"status":"ok"}\n'
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        home = _get(f"http://127.0.0.1:{port}/")
        assert "5th Capital-Level Meeting" in home
        members = _get(f"http://127.0.0.1:{port}/members/")
        assert "57 Member States and 7 regional organisations." in members
        # several workers answer alike
        pages = {_get(f"http://127.0.0.1:{port}/meetings/2023-washington") for _ in range(6)}
        assert len(pages) == 1
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_gunicorn_serves_sqlite(tmp_path: Path) -> None:
    _serve_and_check(f"sqlite:///{tmp_path / 'served.sqlite3'}", tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_gunicorn_serves_postgresql(tmp_path: Path, pg_database_factory: Callable[[], str]) -> None:
    _serve_and_check(pg_database_factory(), tmp_path)
