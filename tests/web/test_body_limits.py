"""Over-size request bodies are refused with 413 before they are read, on every route."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from tests.conftest import add_meeting

BIG = 400 * 1024 * 1024


class Body(io.RawIOBase):
    """A request body of `size` bytes made up as it is read, counting what the app read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.size - self.read_bytes)
        buffer[:count] = b"a" * count
        self.read_bytes += count
        return count


def _post(app: Flask, path: str, size: int, content_type: str) -> tuple[int, int]:
    """POST a body of `size` bytes; the answer's status and how much of the body was read."""
    environ = EnvironBuilder(path=path, method="POST", headers={"Content-Type": content_type}).get_environ()
    body = Body(size)
    environ["wsgi.input"] = body
    environ["CONTENT_LENGTH"] = str(size)
    statuses: list[str] = []
    chunks: Iterable[bytes] = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(chunks)
    return int(statuses[0].split()[0]), body.read_bytes


@pytest.mark.parametrize("path", ["/login", "/meetings/2030-geneva/apply", "/meetings/2030-geneva/resend-link"])
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_huge_form_is_refused_unread(app: Flask, path: str, content_type: str) -> None:
    add_meeting("2030-geneva")
    assert _post(app, path, BIG, content_type) == (413, 0)


def test_the_api_refuses_a_huge_body_unread(app: Flask) -> None:
    add_meeting("2030-geneva")
    assert _post(app, "/api/v1/meetings/2030-geneva/scans", BIG, "application/json") == (413, 0)


def test_a_photo_sized_body_is_still_read_where_photos_are_sent(app: Flask) -> None:
    add_meeting("2030-geneva")
    status, read = _post(app, "/meetings/2030-geneva/apply", 2 * 1024 * 1024, "application/x-www-form-urlencoded")
    assert status != 413
    status, read = _post(app, "/login", 2 * 1024 * 1024, "application/x-www-form-urlencoded")
    assert (status, read) == (413, 0)
