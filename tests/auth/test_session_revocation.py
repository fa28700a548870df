"""Signing out and a new password end every copy of the session and remember-me cookies.

Each test uses its own app (not the `app` fixture) so that every request runs in a fresh app
context: Flask-Login caches the signed-in user in `g`, which would hide a revoked cookie.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from eventapp.auth.loader import load_user
from eventapp.auth.services import change_password
from eventapp.extensions import db
from eventapp.models import User
from tests.conftest import PASSWORD, Users, make_app

NEW_PASSWORD = "a brand new passphrase"
HOST_ONLY = "/meetings/new"  # 200 for a signed-in host, a redirect to sign in for anybody else


@pytest.fixture
def own_app(_schema: str, users: Users) -> Flask:
    return make_app(_schema)


def _signed_in(app: Flask, email: str = "host@example.org", password: str = PASSWORD, **extra: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password, **extra})
    assert response.status_code == 302, "sign-in failed"
    return client


def _replay(app: Flask, name: str, value: str) -> FlaskClient:
    """A fresh browser that carries only a copied cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _saved(client: FlaskClient, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _is_host(client: FlaskClient) -> bool:
    status = client.get(HOST_ONLY).status_code
    assert status in (200, 302)
    return status == 200


def _version_of(user: User) -> int:
    db.session.refresh(user)
    return user.session_version


def test_a_signed_in_session_keeps_working_across_requests(own_app: Flask) -> None:
    client = _signed_in(own_app)
    assert all(_is_host(client) for _ in range(3))
    assert _is_host(_replay(own_app, "session", _saved(client, "session")))  # same cookie, other client


def test_a_session_cookie_saved_before_sign_out_no_longer_signs_in(own_app: Flask, users: Users) -> None:
    client = _signed_in(own_app)
    copied = _saved(client, "session")
    assert _is_host(_replay(own_app, "session", copied))
    before = _version_of(users.host)

    assert client.post("/logout").status_code == 302
    assert _version_of(users.host) == before + 1
    assert not _is_host(_replay(own_app, "session", copied))


def test_a_remember_me_cookie_saved_before_sign_out_no_longer_works(own_app: Flask) -> None:
    client = _signed_in(own_app, remember="y")
    copied = _saved(client, "remember_token")
    assert _is_host(_replay(own_app, "remember_token", copied))  # the cookie alone signs in, before

    client.post("/logout")
    assert not _is_host(_replay(own_app, "remember_token", copied))


def test_signing_out_on_one_device_signs_out_every_device(own_app: Flask) -> None:
    laptop = _signed_in(own_app)
    phone = _signed_in(own_app, remember="y")
    laptop.post("/logout")
    assert not _is_host(phone)
    phone.delete_cookie("session")  # even after the browser restarts with its remember-me cookie
    assert not _is_host(phone)
    again = _signed_in(own_app)  # signing in again works as before
    assert _is_host(again)


def test_a_new_password_ends_the_sessions_made_with_the_old_one(own_app: Flask, users: Users) -> None:
    client = _signed_in(own_app, remember="y")
    session, remember = _saved(client, "session"), _saved(client, "remember_token")
    assert _is_host(_replay(own_app, "session", session))

    change_password(users.host, NEW_PASSWORD)
    assert not _is_host(client)
    assert not _is_host(_replay(own_app, "session", session))
    assert not _is_host(_replay(own_app, "remember_token", remember))
    assert _is_host(_signed_in(own_app, password=NEW_PASSWORD))
    assert (
        own_app.test_client().post("/login", data={"email": "host@example.org", "password": PASSWORD}).status_code
        == 422
    )


def test_the_cli_sets_a_new_password_and_signs_the_account_out(own_app: Flask, runner: FlaskCliRunner) -> None:
    client = _signed_in(own_app)
    result = runner.invoke(args=["users", "set-password", "host@example.org"], input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "New password set for host@example.org" in result.output
    assert not _is_host(client)
    assert _is_host(_signed_in(own_app, password=NEW_PASSWORD))


def test_the_cli_refuses_a_short_password_and_changes_nothing(
    own_app: Flask, runner: FlaskCliRunner, users: Users
) -> None:
    client = _signed_in(own_app)
    before = _version_of(users.host)
    result = runner.invoke(args=["users", "set-password", "host@example.org"], input="short\n")
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert _version_of(users.host) == before
    assert _is_host(client)
    unknown = runner.invoke(args=["users", "set-password", "nobody@example.org"], input=NEW_PASSWORD + "\n")
    assert unknown.exit_code != 0
    assert "No account for nobody@example.org" in unknown.output


@pytest.mark.parametrize(
    "make_value",
    [
        lambda u: str(u.id),  # the old format, without a version
        lambda u: f"{u.id}:{u.session_version + 1}",
        lambda u: f"{u.id}:{u.session_version - 1}",
        lambda u: f"{u.id}:",
        lambda u: f":{u.session_version}",
        lambda u: f"{u.id}:{u.session_version}:{u.session_version}",
        lambda u: f"{u.id}:x{u.session_version}",
        lambda u: f"{u.id}: {u.session_version}",
        lambda u: f"{u.id}:{'9' * 40}",
        lambda u: f"{u.id}:\u0661",  # an Arabic-Indic digit
    ],
)
def test_an_id_without_the_current_version_loads_nobody(app: Flask, users: Users, make_value: object) -> None:
    users.host.end_sessions()
    db.session.commit()
    assert load_user(users.host.get_id()) == users.host
    assert load_user(make_value(users.host)) is None  # type: ignore[operator]


def test_a_session_with_a_bare_id_does_not_sign_in(own_app: Flask, users: Users) -> None:
    """Sessions from before versions existed (`_user_id` = the bare id) are signed out."""
    client = _signed_in(own_app)
    with client.session_transaction() as session:
        session["_user_id"] = str(users.host.id)
    assert not _is_host(client)
    with client.session_transaction() as session:
        session["_user_id"] = users.host.get_id()
    assert _is_host(client)
