"""A `gunicorn -w 4 wsgi:app` server for tests, user agents with their own cookies, and the worker
that answered each request, read from gunicorn's access log (the app exposes nothing for it).
"""

from __future__ import annotations

import contextlib
import http.client
import json as jsonlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import pyotp

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = 4
#: Every request carries a unique tag in this header; the access log writes it next to the worker's pid.
TAG_HEADER = "X-Test-Tag"
ACCESS_FORMAT = "%(p)s %({x-test-tag}i)s %(s)s"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no csrf_token in the page"
    return found.group(1)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    tag: str

    def json(self) -> Any:
        return jsonlib.loads(self.body)


class Cluster:
    """gunicorn with WORKERS sync workers in its own process group, so every process can be killed."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.port = free_port()
        self.access_log = log_dir / "access.log"
        self.error_log = log_dir / "error.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._counter = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        # As deployed: no --preload, so each worker imports the app itself and state made at import
        # (a key, a cache) is per worker here as in production.
        command = [
            str(BIN / "gunicorn"),
            "--workers", str(WORKERS),
            "--bind", f"127.0.0.1:{self.port}",
            "--graceful-timeout", "2",
            "--timeout", "60",
            "--access-logfile", str(self.access_log),
            "--access-logformat", ACCESS_FORMAT,
            "--error-logfile", str(self.error_log),
            "--no-control-socket",  # one path per user by default: test servers would share it
            "wsgi:app",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_for_every_worker()

    def stop(self) -> None:
        if self.process is None:
            return
        group = self.process.pid  # start_new_session: the master leads its own process group
        if self.process.poll() is None:
            # Quick shutdown: idle sync workers ignore SIGTERM until their select() times out.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(group, signal.SIGKILL)
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # workers left behind by a master that died first
            os.killpg(group, signal.SIGKILL)

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return {int(child) for child in children}

    def _wait_for_every_worker(self) -> None:
        """Until each worker has loaded the app and answered (they boot one after another on 2 cores)."""
        deadline = time.monotonic() + 90  # four app imports on a busy 2-core machine
        seen: set[int] = set()
        agent = Agent(self)
        while True:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.error_log.read_text()[-2000:]}")
            try:
                replies = at_once(8, lambda _: agent.get("/healthz", tag="boot"))
                seen |= set(self.pids_of(replies).values())
            except OSError:
                pass
            if len(seen) >= WORKERS:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(seen)} of {WORKERS} workers answered within 90 s")
            time.sleep(0.2)

    def from_every_worker(self, call: Callable[[int], Reply], batch: int = 16) -> dict[int, list[Reply]]:
        """Run `call` in concurrent rounds until every worker has answered; the replies by worker pid."""
        by_worker: dict[int, list[Reply]] = {}
        for _ in range(12):
            replies = at_once(batch, call)
            pids = self.pids_of(replies)
            for reply in replies:
                by_worker.setdefault(pids[reply.tag], []).append(reply)
            if len(by_worker) == WORKERS:
                break
        assert set(by_worker) == self.worker_pids(), f"{len(by_worker)} of {WORKERS} workers answered"
        return by_worker

    def next_tag(self, label: str) -> str:
        with self._lock:
            self._counter += 1
            return f"{label}-{self._counter}"

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        return connection.getresponse()

    def pids_of(self, replies: list[Reply]) -> dict[str, int]:
        """The pid of the worker that answered each reply, by tag (waits for the log lines)."""
        wanted = {reply.tag for reply in replies}
        deadline = time.monotonic() + 5
        while True:
            found: dict[str, int] = {}
            if self.access_log.exists():
                for line in self.access_log.read_text().splitlines():
                    parts = line.split(" ")
                    if len(parts) >= 2 and parts[1] in wanted:
                        found[parts[1]] = int(parts[0].strip("<>"))  # %(p)s is "<pid>"
            if len(found) == len(wanted) or time.monotonic() > deadline:
                assert len(found) == len(wanted), f"{len(wanted) - len(found)} requests missing from the access log"
                return found
            time.sleep(0.05)


@dataclass
class Agent:
    """One user agent: its cookies and its client address (sent as X-Forwarded-For, as a proxy would)."""

    cluster: Cluster
    address: str = "192.0.2.1"
    cookies: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, path: str, *, tag: str, headers: dict[str, str] | None = None) -> Reply:
        return self.request("GET", path, tag=tag, headers=headers)

    def post(self, path: str, *, tag: str, form: dict[str, Any] | None = None, **kw: Any) -> Reply:
        return self.request("POST", path, tag=tag, form=form, **kw)

    def request(
        self,
        method: str,
        path: str,
        *,
        tag: str,
        form: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        unique = self.cluster.next_tag(tag)
        sent = {TAG_HEADER: unique, "X-Forwarded-For": self.address, **(headers or {})}
        with self._lock:
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif json is not None:
            body = jsonlib.dumps(json).encode()
            sent["Content-Type"] = "application/json"
        response = self.cluster.send(method, path, sent, body)
        text = response.read().decode()
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text, unique)

    def _keep_cookies(self, headers: list[str]) -> None:
        with self._lock:
            for header in headers:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value


#: The last time step whose code was sent, per TOTP secret: the app accepts each step's code once.
_STEPS_SENT: dict[str, int] = {}
_STEPS_LOCK = threading.Lock()


def _next_code(secret: str) -> str:
    """The code of the current time step, or, if that one was sent already, of the next (waited for)."""
    totp = pyotp.TOTP(secret)
    with _STEPS_LOCK:
        step = max(int(time.time()) // totp.interval, _STEPS_SENT.get(secret, -1) + 1)
        _STEPS_SENT[secret] = step
    time.sleep(max(0.0, step * totp.interval - time.time()))
    return totp.generate_otp(step)


def sign_in(agent: Agent, email: str, password: str, secret: str, *, tag: str) -> list[Reply]:
    """Sign in as staff do: the password at /login, then the authenticator's code at /login/code.

    The replies in order: the sign-in page, the password's answer, the code page, the code's answer.
    """
    login_page = agent.get("/login", tag=tag)
    password_step = agent.post(
        "/login", tag=tag, form={"email": email, "password": password, "csrf_token": csrf_token(login_page.body)}
    )
    assert password_step.status == 302 and password_step.headers["location"] == "/login/code", (
        password_step.status,
        password_step.body[:500],
    )
    code_page = agent.get("/login/code", tag=tag)
    code_step = agent.post(
        "/login/code", tag=tag, form={"code": _next_code(secret), "csrf_token": csrf_token(code_page.body)}
    )
    signed_in = code_step.status == 302 and not code_step.headers["location"].startswith("/login")
    assert signed_in, (code_step.status, code_step.body[:500])
    return [login_page, password_step, code_page, code_step]


def at_once(count: int, call: Callable[[int], T]) -> list[T]:
    """Run `call(i)` for i in range(count) in as many threads, released together."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call(i)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results
