"""Two-factor sign-in: required for the secretariat and hosts, replay refused, recovery codes once, rate limits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import AuditLog, RecoveryCode, SecondFactor
from tests.auth.accounts_helpers import code_at, totp_for
from tests.conftest import PASSWORD, Users, make_app

RECOVERY = r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>"


@pytest.fixture
def strict(_schema: str, users: Users) -> Flask:
    """The production rule: staff must have a second factor."""
    return make_app(_schema, TWO_FACTOR_FOR_STAFF=True)


def _password(client: FlaskClient, email: str = "host@example.org") -> object:
    return client.post("/login", data={"email": email, "password": PASSWORD})


def _enrol(app: Flask, email: str = "host@example.org") -> tuple[FlaskClient, list[str]]:
    import re

    client = app.test_client()
    first = _password(client, email)
    assert first.headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in page and 'id="totp-secret"' in page
    totp = totp_for(email)
    assert totp.secret[:4] in page.replace(" ", "")
    done = client.post("/account/two-factor", data={"code": totp.now()})
    assert done.status_code == 200
    codes = re.findall(RECOVERY, done.get_data(as_text=True))
    assert len(set(codes)) == 10
    return client, codes


def test_staff_must_set_up_a_second_factor_before_anything_else(strict: Flask) -> None:
    client = strict.test_client()
    _password(client)
    assert client.get("/meetings/new").headers["Location"] == "/account/two-factor"
    assert client.get("/account/two-factor").status_code == 200
    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    client.post("/account/two-factor", data={"code": totp_for("host@example.org").now()})
    assert client.get("/meetings/new").status_code == 200


def test_others_are_not_required_to(strict: Flask) -> None:
    client = strict.test_client()
    assert _password(client, "scanner@example.org").headers["Location"] == "/"
    assert client.get("/scanner").status_code in (200, 302)
    assert client.get("/account/").status_code == 200


def test_sign_in_with_a_code_no_replay_and_recovery_codes_once(strict: Flask) -> None:
    _, codes = _enrol(strict)
    totp = totp_for("host@example.org")
    client = strict.test_client()
    assert _password(client).headers["Location"] == "/login/code"
    assert client.get("/meetings/new").status_code == 302, "not signed in before the code"
    wrong = client.post("/login/code", data={"code": "123456" if totp.now() != "123456" else "654321"})
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    code = code_at(totp, 1)  # the next step's code: later than the one used at enrolment
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/meetings/new").status_code == 200
    # The same code again, from another browser inside its window: refused.
    other = strict.test_client()
    _password(other)
    assert other.post("/login/code", data={"code": code}).status_code == 422
    # A recovery code works once.
    assert other.post("/login/code", data={"code": codes[0].upper()}).status_code == 302
    third = strict.test_client()
    _password(third)
    assert third.post("/login/code", data={"code": codes[0]}).status_code == 422
    db.session.expire_all()
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)


def test_five_wrong_codes_send_back_to_the_password(strict: Flask) -> None:
    _enrol(strict)
    client = strict.test_client()
    _password(client)
    for _ in range(4):
        assert client.post("/login/code", data={"code": "000001"}).status_code == 422
    assert client.post("/login/code", data={"code": "000001"}).headers["Location"] == "/login"
    assert client.get("/login/code").headers["Location"] == "/login"


def test_codes_are_rate_limited_like_passwords(_schema: str, users: Users) -> None:
    app = make_app(_schema, TWO_FACTOR_FOR_STAFF=True, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    _enrol(app, "admin@example.org")
    client = app.test_client()
    client.post(
        "/login", data={"email": "admin@example.org", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "192.0.2.50"}
    )
    answers = [
        client.post("/login/code", data={"code": "000001"}, environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code
        for _ in range(4)
    ]
    assert answers == [422, 422, 422, 429]


def test_the_secretariat_resets_a_lost_second_factor(strict: Flask, users: Users) -> None:
    host, _ = _enrol(strict)
    admin, _ = _enrol(strict, "admin@example.org")
    assert admin.post(f"/accounts/{users.host.id}/reset-two-factor").status_code == 302
    assert host.get("/meetings/new").status_code == 302, "the host's sessions ended"
    db.session.expire_all()
    assert db.session.get(SecondFactor, users.host.id) is None
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.two_factor_reset"))
    assert entry.actor_id == users.admin.id and entry.entity_id == users.host.id
    assert _password(strict.test_client()).headers["Location"] == "/account/two-factor"


def test_an_optional_factor_is_asked_for_once_set_up(strict: Flask) -> None:
    client = strict.test_client()
    _password(client, "fp@example.org")
    client.get("/account/two-factor")
    client.post("/account/two-factor", data={"code": totp_for("fp@example.org").now()})
    again = strict.test_client()
    assert _password(again, "fp@example.org").headers["Location"] == "/login/code"
