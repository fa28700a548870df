"""Requests at a fixed rate from one thread: the latency a client sees at a given load.

Request i is due at start + i / rate and goes out on connection i % concurrency. Its latency
counts from when it was due, not from when it went out, so a request held up behind a slow one
still counts the wait (a closed loop would hide it by sending less).

The load generator shares the server's cores, so it must cost little: every CPU millisecond
it spends is one the server does not get. One epoll loop drives raw non-blocking sockets with
HTTP/1.1 written out beforehand; no thread waits for the GIL to notice its answer. On the
benchmark host it costs about 0.36 ms of CPU per request, most of it the kernel's loopback TCP
work; asyncio streams cost 0.7 ms, a fifth of the host at 550 requests a second.
"""

from __future__ import annotations

import errno
import heapq
import selectors
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.harness import Request, Result, Server, measured

HEAD_END = b"\r\n\r\n"


def _wire(port: int, request: Request) -> bytes:
    method, path, headers, body = request
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


@dataclass
class _Answer:
    """What has arrived of one response."""

    data: bytearray = field(default_factory=bytearray)
    status: int = 0
    length: int | None = None
    body_at: int = 0
    keep: bool = True

    def complete(self, closed: bool = False) -> bool:
        """Whether the whole answer is in; `closed`: the server has closed its side."""
        if self.body_at == 0:
            end = self.data.find(HEAD_END)
            if end < 0:
                return False
            self.body_at = end + len(HEAD_END)
            lines = bytes(self.data[:end]).decode("latin-1").split("\r\n")
            self.status = int(lines[0].split(" ", 2)[1])
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    self.length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    self.keep = False
        if self.length is None:  # no length given: the answer ends where the connection does
            self.keep = False
            return closed
        return len(self.data) - self.body_at >= self.length


@dataclass
class _Connection:
    """One client connection: its requests, in turn, over sockets opened as needed."""

    indexes: list[int]
    next: int = 0
    sock: socket.socket | None = None
    pending: memoryview | None = None
    answer: _Answer | None = None


class _Driver:
    def __init__(self, port: int, wires: list[bytes], rate: float, concurrency: int, expect: tuple[int, ...]):
        self.address = ("127.0.0.1", port)
        self.wires = wires
        self.rate = rate
        self.expect = expect
        self.selector = selectors.DefaultSelector()  # epoll on Linux
        self.connections = [_Connection(list(range(n, len(wires), concurrency))) for n in range(concurrency)]
        self.latencies: list[float] = []
        self.errors = 0
        self.start = 0.0

    def due(self, conn: _Connection) -> float:
        return self.start + conn.indexes[conn.next] / self.rate

    def run(self) -> tuple[list[float], int]:
        self.start = time.perf_counter() + 0.05
        waiting = [(self.due(c), n) for n, c in enumerate(self.connections) if c.indexes]
        heapq.heapify(waiting)
        busy = 0
        while waiting or busy:
            now = time.perf_counter()
            while waiting and waiting[0][0] <= now:
                _, n = heapq.heappop(waiting)
                conn = self.connections[n]
                if self._send(conn, n):
                    busy += 1
                elif conn.next < len(conn.indexes):  # over already (refused): on to the next one
                    heapq.heappush(waiting, (self.due(conn), n))
            if not (waiting or busy):
                break
            timeout = max(0.0, waiting[0][0] - time.perf_counter()) if waiting else None
            for key, _ in self.selector.select(timeout):
                n = key.data
                conn = self.connections[n]
                if self._advance(conn, n):
                    busy -= 1
                    if conn.next < len(conn.indexes):
                        heapq.heappush(waiting, (self.due(conn), n))
        for conn in self.connections:
            if conn.sock is not None:
                conn.sock.close()
        self.selector.close()
        return self.latencies, self.errors

    def _send(self, conn: _Connection, n: int) -> bool:
        """Start the connection's next request; whether it is in flight (False: already over)."""
        conn.answer = _Answer()
        conn.pending = memoryview(self.wires[conn.indexes[conn.next]])
        fresh = conn.sock is None
        if fresh:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            code = sock.connect_ex(self.address)
            if code not in (0, errno.EINPROGRESS):
                sock.close()
                self._finish(conn, status=0)
                return False
            conn.sock = sock
        # Over loopback the handshake is usually done when connect returns: write at once, and
        # wait to be able to write only when the kernel says so.
        try:
            sent = conn.sock.send(conn.pending)
        except OSError:  # not connected yet, or refused: the selector says which
            sent = 0
        conn.pending = conn.pending[sent:] if sent < len(conn.pending) else None
        events = selectors.EVENT_WRITE if conn.pending is not None else selectors.EVENT_READ
        if fresh:
            self.selector.register(conn.sock, events, n)
        else:
            self.selector.modify(conn.sock, events, n)
        return True

    def _advance(self, conn: _Connection, n: int) -> bool:
        """Move the connection on after an event; whether its request is over."""
        sock = conn.sock
        assert sock is not None
        if conn.answer is None:  # the server closed a kept-alive connection between requests
            self.selector.unregister(sock)
            sock.close()
            conn.sock = None
            return False
        try:
            if conn.pending is not None:
                sent = sock.send(conn.pending)
                conn.pending = conn.pending[sent:] if sent < len(conn.pending) else None
                if conn.pending is None:
                    self.selector.modify(sock, selectors.EVENT_READ, n)
                return False
            chunk = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            self._finish(conn, status=0)
            return True
        answer = conn.answer
        answer.data += chunk
        if not answer.complete(closed=not chunk):
            if chunk:
                return False
            self._finish(conn, status=0)  # closed before the whole answer came
            return True
        self._finish(conn, status=answer.status, keep=answer.keep)
        return True

    def _finish(self, conn: _Connection, status: int, keep: bool = False) -> None:
        self.latencies.append((time.perf_counter() - self.due(conn)) * 1000)
        if status not in self.expect:
            self.errors += 1
        if not keep and conn.sock is not None:
            self.selector.unregister(conn.sock)
            conn.sock.close()
            conn.sock = None
        conn.next += 1
        conn.pending = None
        conn.answer = None


def paced(
    server: Server,
    name: str,
    make_request: Callable[[int], Request],
    *,
    rate: float,
    requests: int = 2000,
    concurrency: int = 16,
    expect: tuple[int, ...] = (200,),
) -> Result:
    """Send `requests` requests at `rate` per second over `concurrency` connections (see above)."""
    wires = [_wire(server.port, make_request(i)) for i in range(requests)]
    driver = _Driver(server.port, wires, rate, concurrency, expect)
    steal: list[float | None] = []
    with measured(steal):
        began = time.perf_counter()
        latencies, errors = driver.run()
        seconds = time.perf_counter() - began - 0.05
    return Result(name, requests, seconds, latencies, errors, steal[0])
