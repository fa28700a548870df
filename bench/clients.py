"""What the wrk scripts need from the served app before a run: a signed-in host, feed validators."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _get(base: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    return conn.getresponse()


def _cookie(response: http.client.HTTPResponse) -> str:
    """A Cookie header carrying what the response set (cookies being cleared left out)."""
    pairs = [value.split(";", 1)[0].strip() for value in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(pair for pair in pairs if pair.partition("=")[2])


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the sign-in form; the session's Cookie header.

    Production cookies are Secure and the bench speaks plain HTTP to gunicorn, so the caller
    carries the cookie in a header itself.
    """
    form = _get(base, "/login")
    html = form.read().decode()
    found = CSRF.search(html)
    if form.status != 200 or not found:
        raise RuntimeError(f"the sign-in page answered {form.status} without a form")
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    body = urlencode({"csrf_token": found.group(1) or found.group(2), "email": email, "password": password})
    headers = {"Cookie": _cookie(form), "Content-Type": "application/x-www-form-urlencoded"}
    conn.request("POST", "/login", body=body, headers=headers)
    answer = conn.getresponse()
    answer.read()
    if answer.status != 302:
        raise RuntimeError(f"signing in answered {answer.status}")
    return _cookie(answer)


def feed_validators(base: str, paths: list[str]) -> list[tuple[str, str]]:
    """(path, ETag) of each feed, as a calendar app keeps them from its previous poll."""
    found = []
    for path in paths:
        answer = _get(base, path)
        answer.read()
        if answer.status != 200 or not answer.headers.get("ETag"):
            raise RuntimeError(f"{path} answered {answer.status} without an ETag")
        found.append((path, answer.headers["ETag"]))
    return found
