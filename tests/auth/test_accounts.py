"""Accounts in the app: invitations, password rules, lost passwords, roles and deactivation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from eventapp.auth.passwords import is_common
from eventapp.config import ConfigurationError, load_config
from eventapp.extensions import db
from eventapp.models import AccountLink, AuditLog, OutboxMessage, Role, User
from eventapp.models.base import utcnow
from tests.auth.accounts_helpers import last_link_to
from tests.conftest import PASSWORD, Users, make_app

GOOD = "lanterns over the lake"


@pytest.fixture
def fresh(_schema: str, users: Users) -> Flask:
    """An app of its own: each request runs in a fresh app context (no user cached in `g`)."""
    return make_app(_schema)


def _signed_in(app: Flask, email: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    return client


def _invite(admin: FlaskClient, **data: str) -> object:
    form = {"email": "amina.diallo@example.org", "name": "Amina Diallo", "role": "scanner", "member": ""}
    form.update(data)
    return admin.post("/accounts/invite", data=form)


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditLog.action).order_by(AuditLog.id)))


def test_an_invitation_link_chooses_a_password_once(fresh: Flask) -> None:
    admin = _signed_in(fresh, "admin@example.org")
    assert _invite(admin).status_code == 302
    link = last_link_to("amina.diallo@example.org")
    guest = fresh.test_client()
    page = guest.get(link)
    assert page.status_code == 200 and "amina.diallo@example.org" in page.get_data(as_text=True)
    # No password yet: signing in fails like any wrong password.
    assert guest.post("/login", data={"email": "amina.diallo@example.org", "password": ""}).status_code == 422
    for password, confirm, message in [
        ("short", "short", "at least 10 characters"),
        ("password123", "password123", "too common"),
        ("Qwertyuiop", "Qwertyuiop", "too common"),
        ("amina.diallo@example.org", "amina.diallo@example.org", "too common"),
        (GOOD, GOOD + "!", "not the same"),
    ]:
        answer = guest.post(link, data={"password": password, "confirm": confirm})
        assert answer.status_code == 422 and message in answer.get_data(as_text=True), password
    assert guest.post(link, data={"password": GOOD, "confirm": GOOD}).status_code == 200
    assert guest.get(link).status_code == 404, "a link works once"
    assert (
        guest.post(link, data={"password": "another good phrase", "confirm": "another good phrase"}).status_code == 404
    )
    _signed_in(fresh, "amina.diallo@example.org", GOOD)
    actions = _actions()
    assert actions.index("user.invite") < actions.index("user.invitation_accepted")


def test_a_link_older_than_72_hours_does_not_work(fresh: Flask) -> None:
    admin = _signed_in(fresh, "admin@example.org")
    _invite(admin)
    link = last_link_to("amina.diallo@example.org")
    db.session.execute(sa.update(AccountLink).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    answer = fresh.test_client().get(link)
    assert answer.status_code == 404 and "This link no longer works" in answer.get_data(as_text=True)


def test_sending_the_invitation_again_spends_the_first_link(fresh: Flask) -> None:
    admin = _signed_in(fresh, "admin@example.org")
    _invite(admin)
    first = last_link_to("amina.diallo@example.org")
    user_id = db.session.scalar(sa.select(User.id).where(User.email == "amina.diallo@example.org"))
    assert admin.post(f"/accounts/{user_id}/resend-invitation").status_code == 302
    second = last_link_to("amina.diallo@example.org")
    assert first != second
    assert fresh.test_client().get(first).status_code == 404
    assert fresh.test_client().get(second).status_code == 200


def test_a_focal_point_is_invited_for_a_member_and_errors_keep_the_form(fresh: Flask) -> None:
    admin = _signed_in(fresh, "admin@example.org")
    answer = _invite(admin, role="focal_point", email="fp.new@example.org", name="Ioana Pop")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="member-error"' in body and "Choose the member" in body
    assert 'value="Ioana Pop"' in body and 'value="fp.new@example.org"' in body
    taken = _invite(admin, email="HOST@example.org")
    assert taken.status_code == 422 and "already an account for host@example.org" in taken.get_data(as_text=True)
    assert _invite(admin, role="focal_point", email="fp.new@example.org", member="ROU").status_code == 302
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "fp.new@example.org"))
    assert user.role == Role.FOCAL_POINT and user.member.code == "ROU"


def test_forgot_password_answers_the_same_and_mails_only_accounts(fresh: Flask) -> None:
    client = fresh.test_client()
    known = client.post("/forgot-password", data={"email": "scanner@example.org"}, follow_redirects=True)
    unknown = client.post("/forgot-password", data={"email": "nobody@example.org"}, follow_redirects=True)
    say = "a link to choose a new password is on its way"
    assert say in known.get_data(as_text=True) and say in unknown.get_data(as_text=True)
    assert known.status_code == unknown.status_code == 200
    db.session.expire_all()
    recipients = list(db.session.scalars(sa.select(OutboxMessage.to)))
    assert recipients == ["scanner@example.org"]
    link = last_link_to("scanner@example.org")
    assert client.post(link, data={"password": GOOD, "confirm": GOOD}).status_code == 200
    assert (
        fresh.test_client().post("/login", data={"email": "scanner@example.org", "password": PASSWORD}).status_code
        == 422
    )
    _signed_in(fresh, "scanner@example.org", GOOD)


def test_deactivating_an_account_ends_its_sessions_at_once(fresh: Flask, users: Users) -> None:
    host = _signed_in(fresh, "host@example.org")
    assert host.get("/meetings/new").status_code == 200
    admin = _signed_in(fresh, "admin@example.org")
    assert admin.post(f"/accounts/{users.host.id}/deactivate").status_code == 302
    assert host.get("/meetings/new").status_code == 302, "the open session ended"
    assert (
        fresh.test_client().post("/login", data={"email": "host@example.org", "password": PASSWORD}).status_code == 422
    )
    # Nobody deactivates themselves.
    admin.post(f"/accounts/{users.admin.id}/deactivate")
    db.session.expire_all()
    assert db.session.get(User, users.admin.id).is_active_account
    assert admin.post(f"/accounts/{users.host.id}/reactivate").status_code == 302
    _signed_in(fresh, "host@example.org")
    assert [a for a in _actions() if a != "user.sign_in"][-2:] == ["user.deactivate", "user.reactivate"]


def test_the_secretariat_changes_a_role_and_the_change_is_audited(fresh: Flask, users: Users) -> None:
    admin = _signed_in(fresh, "admin@example.org")
    answer = admin.post(
        f"/accounts/{users.scanner.id}", data={"name": "Door team", "role": "focal_point", "member": "ROU"}
    )
    assert answer.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, users.scanner.id)
    assert (user.role, user.member.code, user.name) == (Role.FOCAL_POINT, "ROU", "Door team")
    entry = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "user.update"))
    assert entry.details["role"] == ["scanner", "focal_point"] and entry.details["member"] == [None, "ROU"]
    own = admin.post(f"/accounts/{users.admin.id}", data={"name": "", "role": "host", "member": ""})
    assert own.status_code == 422 and "cannot change your own role" in own.get_data(as_text=True)


def test_the_list_is_shipped_and_compared_lower_case() -> None:
    assert is_common("PASSWORD2024") and is_common("1234567890") and is_common("iloveyou123")
    assert not is_common("lanterns over the lake")
    assert is_common("ana.pop@example.org", email="ana.pop@example.org")


def test_production_cannot_turn_two_factor_off(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    keys = {"SECRET_KEY": "k" * 32, "DATA_ENCRYPTION_KEY": "x3DCdEbvXqAmbNCLUBI1R3y6i9k7Lv7TaTNT_0l7x0k="}
    with pytest.raises(ConfigurationError, match="TWO_FACTOR_FOR_STAFF"):
        load_config(str(tmp_path), overrides={**keys, "TWO_FACTOR_FOR_STAFF": False})
    assert load_config(str(tmp_path), overrides=keys)["TWO_FACTOR_FOR_STAFF"] is True


def test_changing_ones_password_needs_the_current_one_and_ends_other_sessions(fresh: Flask) -> None:
    elsewhere = _signed_in(fresh, "fp@example.org")
    here = _signed_in(fresh, "fp@example.org")
    wrong = here.post("/account/", data={"current": "not it at all", "password": GOOD, "confirm": GOOD})
    assert wrong.status_code == 422 and 'id="current-error"' in wrong.get_data(as_text=True)
    done = here.post("/account/", data={"current": PASSWORD, "password": GOOD, "confirm": GOOD})
    assert done.headers["Location"] == "/account/"
    assert here.get("/account/").status_code == 200, "this session goes on"
    assert elsewhere.get("/account/").status_code == 302, "the other one ended"


def test_a_new_password_typed_twice_differently_is_refused_next_to_the_second_one(fresh: Flask) -> None:
    """The rule lives in the form every password page shares: the account page and invitation/reset links."""
    here = _signed_in(fresh, "fp@example.org")
    answer = here.post("/account/", data={"current": PASSWORD, "password": GOOD, "confirm": GOOD + "!"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="confirm-error"' in page and "not the same" in page
    _signed_in(fresh, "fp@example.org", PASSWORD)  # unchanged
