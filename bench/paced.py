"""Requests at a fixed rate from one asyncio loop: the latency a client sees at a given load.

Request i is due at start + i / rate and goes out on connection i % concurrency. Its latency
counts from when it was due, not from when it went out, so a request held up behind a slow one
still counts the wait (a closed loop would hide it by sending less). One event loop with raw
HTTP/1.1 costs the shared CPU less than a thread per connection with http.client, and no
thread waits for the GIL to notice its answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bench.harness import Request, Result, Server, measured


def _wire(port: int, request: Request) -> bytes:
    method, path, headers, body = request
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> tuple[int, bool]:
    """Send one request; (status, whether the server keeps the connection open)."""
    writer.write(data)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, keep = 0, True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            keep = False
    if length:
        await reader.readexactly(length)
    return status, keep


async def _run(
    port: int, wires: list[bytes], rate: float, concurrency: int, expect: tuple[int, ...]
) -> tuple[list[float], int, float]:
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    latencies: list[float] = []
    errors = 0

    async def connection(first: int) -> None:
        nonlocal errors
        stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        for i in range(first, len(wires), concurrency):
            due = start + i / rate
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                if stream is None:
                    stream = await asyncio.open_connection("127.0.0.1", port)
                status, keep = await _exchange(*stream, wires[i])
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                status, keep = 0, False
            latencies.append((loop.time() - due) * 1000)
            if status not in expect:
                errors += 1
            if not keep and stream is not None:
                stream[1].close()
                stream = None
        if stream is not None:
            stream[1].close()

    began = time.perf_counter()
    await asyncio.gather(*(connection(n) for n in range(concurrency)))
    return latencies, errors, time.perf_counter() - began - 0.05


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
    steal: list[float | None] = []
    with measured(steal):
        latencies, errors, seconds = asyncio.run(_run(server.port, wires, rate, concurrency, expect))
    return Result(name, requests, seconds, latencies, errors, steal[0])
