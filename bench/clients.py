"""What the wrk scripts need from the served app before a run: a signed-in host, feed validators."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

import pyotp

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


def _form(base: str, path: str, cookie: str = "") -> tuple[str, str]:
    """(CSRF token, Cookie header) of the form at `path`."""
    answer = _get(base, path, {"Cookie": cookie} if cookie else None)
    found = CSRF.search(answer.read().decode())
    if answer.status != 200 or not found:
        raise RuntimeError(f"{path} answered {answer.status} without a form")
    return found.group(1) or found.group(2), _cookie(answer) or cookie


def _post(base: str, path: str, fields: dict[str, str], cookie: str) -> http.client.HTTPResponse:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    conn.request("POST", path, body=urlencode(fields), headers=headers)
    answer = conn.getresponse()
    answer.read()
    return answer


def sign_in(base: str, email: str, password: str, totp_secret: str) -> str:
    """Sign in through the sign-in form and the code step; the session's Cookie header.

    Production cookies are Secure and the bench speaks plain HTTP to gunicorn, so the caller
    carries the cookie in a header itself.
    """
    token, cookie = _form(base, "/login")
    answer = _post(base, "/login", {"csrf_token": token, "email": email, "password": password}, cookie)
    if answer.status != 302 or not answer.headers.get("Location", "").endswith("/login/code"):
        raise RuntimeError(f"signing in answered {answer.status} to {answer.headers.get('Location')}")
    token, cookie = _form(base, "/login/code", _cookie(answer))
    answer = _post(base, "/login/code", {"csrf_token": token, "code": pyotp.TOTP(totp_secret).now()}, cookie)
    if answer.status != 302:
        raise RuntimeError(f"the sign-in code answered {answer.status}")
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
