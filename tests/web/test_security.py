from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Users, make_app


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    for path in ("/", "/members/", "/login", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP: no HSTS


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_hsts_behind_a_tls_proxy(client: FlaskClient) -> None:
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_proto_is_ignored_without_a_trusted_proxy(client: FlaskClient) -> None:
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient, users: Users) -> None:
    response = client.post("/login", data={"email": "host@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_is_rate_limited(_schema: str, users: Users) -> None:
    app = make_app(_schema, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [
        client.post("/login", data={"email": "host@example.org", "password": "wrong"}).status_code for _ in range(12)
    ]
    assert codes[:10] == [422] * 10
    assert codes[10:] == [429, 429]
    assert client.get("/login").status_code == 200  # reading the form is not limited
