"""Cookies: Secure in production, HttpOnly and SameSite=Lax always, a new session at sign-in.

The session cookie's HttpOnly and SameSite in development are checked in tests/web/test_security.py.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pyotp
import pytest
from flask.testing import FlaskClient

from tests.auth.accounts_helpers import enrol_second_factor
from tests.conftest import PASSWORD, Users, make_app

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _cookies(response: object) -> dict[str, str]:
    """Each Set-Cookie header by cookie name (the whole header, attributes included)."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):  # type: ignore[attr-defined]
        name = next(iter(SimpleCookie(header)))
        found[name] = header
    return found


def _sign_in(client: FlaskClient, email: str = "host@example.org", **extra: str) -> object:
    return client.post("/login", data={"email": email, "password": PASSWORD, **extra})


@pytest.mark.parametrize("env, secure", [("production", True), ("development", False)])
def test_sign_in_cookies_are_secure_in_production_httponly_and_lax(
    monkeypatch: pytest.MonkeyPatch, _schema: str, users: Users, env: str, secure: bool
) -> None:
    """The host signs in as in production: the password, then the authenticator's code."""
    totp = pyotp.TOTP(enrol_second_factor(users.host))
    monkeypatch.setenv("APP_ENV", env)
    app = make_app(_schema, TWO_FACTOR_FOR_STAFF=True)  # production refuses to run without it
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    client = app.test_client()
    password_step = _sign_in(client, remember="y")
    assert password_step.status_code == 302 and password_step.headers["Location"] == "/login/code"
    code_step = client.post("/login/code", data={"code": totp.now()})
    assert code_step.status_code == 302 and code_step.headers["Location"] == "/"
    # The session cookie that carries the half-done sign-in, then the signed-in ones.
    cookies = [("session (password step)", _cookies(password_step)["session"])]
    cookies += sorted(_cookies(code_step).items())
    assert [name for name, _ in cookies[1:]] == ["remember_token", "session"]
    for name, header in cookies:
        attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
        assert "httponly" in attributes, name
        assert "SameSite=Lax" in header, name
        assert ("secure" in attributes) is secure, name


def test_the_cookie_from_before_sign_in_does_not_carry_the_signed_in_session(_schema: str, users: Users) -> None:
    """Session fixation: whoever planted or read the pre-sign-in cookie gets nothing from it."""
    app = make_app(_schema, WTF_CSRF_ENABLED=True)
    victim = app.test_client()
    form = victim.get("/login")
    planted = _cookies(form)["session"].split(";")[0].split("=", 1)[1]
    known_token = CSRF_FIELD.search(form.get_data(as_text=True)).group(1)  # type: ignore[union-attr]

    signed_in = _sign_in(victim, csrf_token=known_token)
    assert signed_in.status_code == 302
    renewed = _cookies(signed_in)["session"].split(";")[0].split("=", 1)[1]
    assert renewed != planted

    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert attacker.get("/meetings/new").status_code == 302  # sent to sign in: not the victim's session
    assert "host@example.org" not in attacker.get("/").get_data(as_text=True)

    # The CSRF token of the old session is void in the new one: it cannot sign the victim out.
    assert victim.post("/logout", data={"csrf_token": known_token}).status_code == 400
    assert victim.get("/meetings/new").status_code == 200


def test_signing_out_also_ends_keep_me_signed_in(_schema: str, users: Users) -> None:
    # Its own app, so that every request has its own app context (the `app` fixture keeps one
    # open, and Flask-Login caches the signed-in user in `g`).
    client = make_app(_schema).test_client()
    _sign_in(client, remember="y")
    response = client.post("/logout")
    assert "Expires=Thu, 01 Jan 1970" in _cookies(response)["remember_token"]
    client.delete_cookie("session")  # the browser is closed and opened again
    assert client.get("/meetings/new").status_code == 302
