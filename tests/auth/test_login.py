from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.auth.services import safe_next_url
from tests.conftest import PASSWORD, AuthActions, Users, make_app


def test_login_and_logout(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    response = auth.login("Host@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "host@example.org (Host)" in page
    assert auth.logout().status_code == 302
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_shown_next_to_the_field_and_email_kept(auth: AuthActions, users: Users) -> None:
    response = auth.login("host@example.org", "wrong password")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error"' in body
    assert "Email or password is not right." in body
    assert 'value="host@example.org"' in body
    assert 'aria-invalid="true"' in body


def test_disabled_account_cannot_sign_in(auth: AuthActions, users: Users, app: Flask) -> None:
    from eventapp.extensions import db

    users.host.is_active_account = False
    db.session.commit()
    assert auth.login("host@example.org").status_code == 422


def test_safe_next_redirect(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    response = auth.login("admin@example.org", next_url="/members/new")
    assert response.headers["Location"] == "/members/new"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "\t//evil"]
)
def test_next_never_leaves_the_site(target: str, client: FlaskClient, auth: AuthActions, users: Users) -> None:
    response = auth.login("admin@example.org", next_url=target)
    assert response.headers["Location"] == "/"
    assert safe_next_url(target) is None


def test_anonymous_is_sent_to_sign_in_with_next(client: FlaskClient) -> None:
    response = client.get("/members/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Fmembers%2Fnew")


def test_wrong_role_gets_the_403_page(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("fp@example.org")
    response = client.get("/members/new")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
    auth.logout()
    auth.login("scanner@example.org")
    assert client.get("/meetings/new").status_code == 403


def test_logout_is_post_only(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("host@example.org")
    assert client.get("/logout").status_code == 405
    assert "host@example.org" in client.get("/").get_data(as_text=True)


def test_session_is_renewed_at_sign_in(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("host@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == users.host.get_id()


def test_csrf_is_enforced_on_every_form(_schema: str) -> None:
    app = make_app(_schema, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        response = client.post("/login", data={"email": "host@example.org", "password": PASSWORD})
        assert response.status_code == 400
        assert "Form expired" in response.get_data(as_text=True)
        page = client.get("/login").get_data(as_text=True)
        assert 'name="csrf_token"' in page
