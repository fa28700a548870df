"""The benchmarks' fixed-rate load generator, against small HTTP servers whose behaviour is set."""

from __future__ import annotations

import errno
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench import paced as paced_module
from bench.harness import Server
from bench.paced import paced


def _get(i: int) -> tuple[str, str, dict[str, str], bytes | None]:
    return ("GET", f"/item/{i}", {}, None)


def _post(i: int) -> tuple[str, str, dict[str, str], bytes | None]:
    return ("POST", f"/item/{i}", {"Content-Type": "application/json"}, b'{"n": %d}' % i)


class _Handler(socketserver.StreamRequestHandler):
    """Answers each request on a connection; what it answers is the server's `answer` function."""

    server: Any

    def handle(self) -> None:
        self.server.connections += 1
        while True:
            line = self.rfile.readline()
            if not line:
                return
            length = 0
            while (header := self.rfile.readline()) not in (b"\r\n", b""):
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = self.rfile.read(length) if length else b""
            path = line.split()[1].decode()
            self.server.seen.append((path, body))
            data, keep = self.server.answer(path)
            self.wfile.write(data)
            self.wfile.flush()
            if not keep:
                return


@contextmanager
def _serving(answer: Callable[[str], tuple[bytes, bool]]) -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.answer = answer  # type: ignore[attr-defined]
    server.connections = 0  # type: ignore[attr-defined]
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _ok(body: bytes = b"ok", keep: bool = False, status: str = "200 OK") -> tuple[bytes, bool]:
    connection = b"" if keep else b"Connection: close\r\n"
    head = b"HTTP/1.1 %s\r\nContent-Length: %d\r\n%s\r\n" % (status.encode(), len(body), connection)
    return head + body, keep


def _target(server: Any) -> Server:
    return Server(server.server_address[1], None)  # type: ignore[arg-type]


def test_every_request_goes_out_once_at_the_rate_on_fresh_connections() -> None:
    with _serving(lambda path: _ok()) as server:
        result = paced(_target(server), "items", _post, rate=400, requests=120, concurrency=4)
        seen = list(server.seen)
    assert (result.requests, result.errors, len(result.latencies_ms)) == (120, 0, 120)
    assert sorted(seen) == sorted((f"/item/{i}", b'{"n": %d}' % i) for i in range(120))
    assert result.seconds >= 119 / 400  # the last request was not due before then
    assert server.connections == 120  # the server closed each connection: one per request


def test_kept_alive_connections_are_used_again() -> None:
    with _serving(lambda path: _ok(keep=True)) as server:
        result = paced(_target(server), "items", _get, rate=500, requests=80, concurrency=4)
    assert (result.errors, len(result.latencies_ms)) == (0, 80)
    assert server.connections == 4


def test_an_answer_without_a_length_ends_with_the_connection() -> None:
    def answer(path: str) -> tuple[bytes, bool]:
        return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"x" * 70_000, False

    with _serving(answer) as server:
        result = paced(_target(server), "items", _get, rate=200, requests=10, concurrency=2)
    assert (result.errors, len(result.latencies_ms)) == (0, 10)


def test_a_request_held_up_behind_a_slow_one_counts_the_wait_from_when_it_was_due() -> None:
    def answer(path: str) -> tuple[bytes, bool]:
        if path == "/item/0":
            time.sleep(0.3)
        return _ok()

    with _serving(answer) as server:
        # One connection, a request due every 10 ms: requests 1-29 are due while request 0 waits.
        result = paced(_target(server), "items", _get, rate=100, requests=30, concurrency=1)
    assert result.errors == 0
    assert result.latencies_ms[0] >= 290
    # Request 1 was due at 10 ms and could not go out before about 300 ms.
    assert result.latencies_ms[1] >= 250
    assert result.percentile(50) >= 100


def test_unexpected_statuses_and_refused_connections_are_errors() -> None:
    def answer(path: str) -> tuple[bytes, bool]:
        return _ok(status="500 INTERNAL SERVER ERROR") if path.endswith(("3", "7")) else _ok()

    with _serving(answer) as server:
        result = paced(_target(server), "items", _get, rate=300, requests=20, concurrency=2)
    assert (result.errors, len(result.latencies_ms)) == (4, 20)  # 3, 7, 13, 17

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, not listening: connections are refused
        refused = paced(Server(port, None), "items", _get, rate=300, requests=6, concurrency=2)  # type: ignore[arg-type]
    assert (refused.errors, len(refused.latencies_ms)) == (6, 6)


def test_a_server_closing_mid_answer_is_an_error() -> None:
    def answer(path: str) -> tuple[bytes, bool]:
        return b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", False

    with _serving(answer) as server:
        result = paced(_target(server), "items", _get, rate=200, requests=4, concurrency=2)
    assert (result.errors, len(result.latencies_ms)) == (4, 4)


def test_connections_refused_at_once_are_errors_and_the_run_goes_on(monkeypatch) -> None:
    class Refusing(socket.socket):
        def connect_ex(self, address: object) -> int:
            return errno.ECONNREFUSED

    monkeypatch.setattr(paced_module.socket, "socket", Refusing)
    outcome: list[Any] = []
    runner = threading.Thread(
        target=lambda: outcome.append(paced(Server(9, None), "items", _get, rate=300, requests=6, concurrency=2))  # type: ignore[arg-type]
    )
    runner.start()
    runner.join(timeout=10)
    assert outcome, "the run never ended"
    assert (outcome[0].errors, len(outcome[0].latencies_ms)) == (6, 6)
