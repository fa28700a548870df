from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from eventapp.models.base import utcnow
from tests.conftest import PASSWORD, Users, add_meeting, make_app


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


def test_public_form_submissions_are_rate_limited(_schema: str, app: object) -> None:  # `app` empties the tables after
    app = make_app(_schema, RATELIMIT_ENABLED=True, RATELIMIT_PUBLIC_FORMS="3 per minute")
    client = app.test_client()
    with app.app_context():
        meeting = add_meeting("2031-limits", registration_opens_at=utcnow() - timedelta(days=1))
        slug = meeting.slug
    codes = [
        client.post(f"/meetings/{slug}/resend-link", data={"email": "x@example.org"}).status_code for _ in range(5)
    ]
    assert 429 not in codes[:3]
    assert codes[3:] == [429, 429]
    refused = client.post(f"/meetings/{slug}/resend-link", data={"email": "x@example.org"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"  # the window: a minute
    assert "X-RateLimit-Remaining" not in refused.headers
    assert client.get(f"/meetings/{slug}/apply").status_code == 200  # showing the form is not limited


def test_private_links_share_one_limit(_schema: str) -> None:
    app = make_app(_schema, RATELIMIT_ENABLED=True, RATELIMIT_PRIVATE_LINKS="4 per minute")
    client = app.test_client()
    paths = ["/r/guess1", "/r/guess2/agenda", "/calendar/guess3.ics", "/invitation/guess4", "/r/guess5"]
    codes = [client.get(p).status_code for p in paths]
    assert 429 not in codes[:4]
    assert codes[4] == 429
