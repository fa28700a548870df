"""Member invitations and the delegations focal points register."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Delegation, Registration, RegistrationCategory, RegistrationStatus, Role
from eventapp.registration.delegations import (
    add_delegate,
    delegation_for_token,
    hash_token,
    invite_all_members,
    reinvite,
    revoke_invitation,
    set_quota,
)
from eventapp.registration.errors import RegistrationError
from tests.conftest import AuthActions, Users, add_member, add_user
from tests.registration.conftest import fresh, open_meeting, outbox, person


def _delegate_form(email: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "honorific": "H.E.",
        "given_name": "Ioana",
        "family_name": "Popescu",
        "position": "Ambassador",
        "organisation": "Ministry of Foreign Affairs",
        "email": email,
        "nationality": "ROU",
    }
    data.update(overrides)
    return data


def _invite(meeting: object, users: Users) -> dict[str, tuple[Delegation, str]]:
    return {d.member.code: (d, token) for d, token in invite_all_members(meeting, actor=users.admin)}  # type: ignore[arg-type]


def test_invite_all_makes_one_hashed_link_per_member_and_emails_focal_points(app: object, users: Users) -> None:
    add_member("KEN", "Kenya")
    meeting = open_meeting()
    issued = _invite(meeting, users)
    assert set(issued) == {"ROU", "KEN"}
    delegation, token = issued["ROU"]
    assert delegation.invitation_token_hash == hash_token(token) and token not in delegation.invitation_token_hash
    assert delegation_for_token(token) is delegation
    [mail] = outbox("fp@example.org")
    assert f"/invitation/{token}" in mail.body_text and mail.attachments[0]["filename"].endswith(".ics")
    assert invite_all_members(meeting, actor=users.admin) == []  # nothing new the second time


def test_revoke_and_reinvite(client: FlaskClient, users: Users) -> None:
    meeting = open_meeting()
    delegation, token = _invite(meeting, users)["ROU"]
    revoke_invitation(delegation, actor=users.admin)
    assert delegation_for_token(token) is None
    assert client.get(f"/invitation/{token}").status_code == 404
    new_token = reinvite(delegation, actor=users.admin)
    assert new_token != token and delegation_for_token(new_token) is delegation
    assert client.get(f"/invitation/{token}").status_code == 404
    response = client.get(f"/invitation/{new_token}")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    assert fresh_delegation(delegation).invitation_used_at is not None


def fresh_delegation(delegation: Delegation) -> Delegation:
    db.session.expire_all()
    return db.session.get(Delegation, delegation.id)  # type: ignore[return-value]


def test_invitation_link_opens_only_its_delegation_and_stops_when_revoked(client: FlaskClient, users: Users) -> None:
    add_member("KEN", "Kenya")
    meeting = open_meeting()
    issued = _invite(meeting, users)
    rou, rou_token = issued["ROU"]
    ken, _ = issued["KEN"]
    client.get(f"/invitation/{rou_token}")
    assert client.get(f"/delegations/{rou.id}").status_code == 200
    assert client.get(f"/delegations/{ken.id}").status_code == 302  # anonymous: sign in
    response = client.post(f"/delegations/{rou.id}/people/new", data=_delegate_form("ioana@example.org"))
    assert response.status_code == 302
    revoke_invitation(fresh_delegation(rou), actor=users.admin)
    assert client.get(f"/delegations/{rou.id}").status_code == 302
    assert client.post(f"/delegations/{rou.id}/people/new", data=_delegate_form("x@example.org")).status_code == 302
    assert db.session.scalar(select(Registration).where(Registration.email == "x@example.org")) is None


def test_focal_point_of_one_member_cannot_open_anothers_delegation(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    kenya = add_member("KEN", "Kenya")
    add_user("fp-ken@example.org", Role.FOCAL_POINT, kenya)
    meeting = open_meeting()
    issued = _invite(meeting, users)
    rou, _ = issued["ROU"]
    ken, _ = issued["KEN"]
    auth.login("fp-ken@example.org")
    assert client.get(f"/delegations/{ken.id}").status_code == 200
    assert client.get(f"/delegations/{rou.id}").status_code == 403
    assert client.post(f"/delegations/{rou.id}/people/new", data=_delegate_form("y@example.org")).status_code == 403
    page = client.get("/my-delegation").get_data(as_text=True)
    assert f"/delegations/{ken.id}" in page and f"/delegations/{rou.id}" not in page


def test_focal_point_registers_the_delegation_from_the_account(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = open_meeting(delegation_quota=2)
    delegation, _ = _invite(meeting, users)["ROU"]
    auth.login("fp@example.org")
    assert "My delegation" in client.get("/").get_data(as_text=True)
    assert f"/delegations/{delegation.id}" in client.get("/my-delegation").get_data(as_text=True)
    assert (
        client.post(f"/delegations/{delegation.id}/people/new", data=_delegate_form("a@example.org")).status_code == 302
    )
    page = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert "1 of 2 places used" in page and "Head of delegation" in page
    response = client.post(
        f"/delegations/{delegation.id}/people/new",
        data=_delegate_form("b@example.org", given_name="Maria", honorific="Ms", make_head="y"),
    )
    assert response.status_code == 302
    head = db.session.scalar(select(Registration).where(Registration.email == "b@example.org"))
    assert fresh_delegation(delegation).head_registration_id == head.id
    assert head.status == RegistrationStatus.APPROVED and head.category == RegistrationCategory.DELEGATE
    assert "2 of 2 places used" in client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    over = client.post(f"/delegations/{delegation.id}/people/new", data=_delegate_form("c@example.org"))
    assert over.status_code == 422 and "used all its 2 places" in over.get_data(as_text=True)
    assert "confirmed" in outbox("b@example.org")[-1].body_text


def test_edit_mark_head_and_remove(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = open_meeting(delegation_quota=2)
    delegation, _ = _invite(meeting, users)["ROU"]
    a = add_delegate(delegation, person("a@example.org", given_name="Ana"), actor=users.focal_point)
    b = add_delegate(delegation, person("b@example.org", given_name="Bianca"), actor=users.focal_point)
    assert fresh_delegation(delegation).head_registration_id == a.id
    auth.login("fp@example.org")
    assert client.post(f"/delegations/{delegation.id}/people/{b.id}/head").status_code == 302
    assert fresh_delegation(delegation).head_registration_id == b.id
    edited = client.post(
        f"/delegations/{delegation.id}/people/{a.id}/edit",
        data=_delegate_form("a@example.org", given_name="Ana-Maria", dietary_needs="Vegetarian"),
    )
    assert edited.status_code == 302
    assert (fresh(a).given_name, fresh(a).dietary_needs) == ("Ana-Maria", "Vegetarian")
    assert client.post(f"/delegations/{delegation.id}/people/{b.id}/remove").status_code == 302
    assert fresh(b).status == RegistrationStatus.WITHDRAWN
    assert fresh_delegation(delegation).head_registration_id is None
    assert "1 of 2 places used" in client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    # A person of another delegation is not reachable through this one.
    kenya = add_member("KEN", "Kenya")
    other = Delegation(meeting_id=meeting.id, member_id=kenya.id)
    db.session.add(other)
    db.session.commit()
    stranger = add_delegate(other, person("k@example.org"), actor=users.host, by_host=True)
    assert client.get(f"/delegations/{delegation.id}/people/{stranger.id}/edit").status_code == 404


def test_host_approval_meeting_puts_entries_in_the_review_queue(app: object, users: Users) -> None:
    meeting = open_meeting(requires_host_approval=True)
    delegation, _ = _invite(meeting, users)["ROU"]
    entry = add_delegate(delegation, person("a@example.org"), actor=users.focal_point)
    assert entry.status == RegistrationStatus.SUBMITTED
    assert "review" in outbox("a@example.org")[-1].body_text


def test_quota_raise_and_limits(app: object, users: Users) -> None:
    meeting = open_meeting(delegation_quota=1)
    delegation, _ = _invite(meeting, users)["ROU"]
    add_delegate(delegation, person("a@example.org"), actor=users.focal_point)
    with pytest.raises(RegistrationError):
        add_delegate(delegation, person("b@example.org"), actor=users.focal_point)
    set_quota(delegation, 3, actor=users.host)
    assert fresh_delegation(delegation).quota == 3
    add_delegate(fresh_delegation(delegation), person("b@example.org"), actor=users.focal_point)
    with pytest.raises(RegistrationError) as too_low:
        set_quota(fresh_delegation(delegation), 1, actor=users.host)
    assert too_low.value.field == "quota"


def test_delegates_beyond_the_meeting_capacity_go_on_the_waiting_list(app: object, users: Users) -> None:
    meeting = open_meeting(capacity=1, delegation_quota=2)
    delegation, _ = _invite(meeting, users)["ROU"]
    a = add_delegate(delegation, person("a@example.org"), actor=users.focal_point)
    b = add_delegate(delegation, person("b@example.org"), actor=users.focal_point)
    assert (a.status, b.status) == (RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED)


def test_host_page_invites_and_shows_links_once(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = open_meeting()
    auth.login("host@example.org")
    page = client.post(f"/meetings/{meeting.slug}/invitations").get_data(as_text=True)
    [link] = re.findall(r"/invitation/([A-Za-z0-9_\-]+)", page)
    assert delegation_for_token(link) is not None
    listing = client.get(f"/meetings/{meeting.slug}/invitations").get_data(as_text=True)
    assert "Romania" in listing and link not in listing and "not used yet" in listing
    delegation = db.session.scalar(select(Delegation))
    response = client.post(f"/meetings/{meeting.slug}/invitations/{delegation.id}/quota", data={"quota": "6"})
    assert response.status_code == 302 and fresh_delegation(delegation).quota == 6
    client.post(f"/meetings/{meeting.slug}/invitations/{delegation.id}/revoke")
    assert delegation_for_token(link) is None
    auth.logout()
    auth.login("fp@example.org")
    assert client.post(f"/meetings/{meeting.slug}/invitations").status_code == 403


def test_duplicate_email_in_a_delegation_is_shown_next_to_the_field(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = open_meeting()
    delegation, _ = _invite(meeting, users)["ROU"]
    add_delegate(delegation, person("a@example.org"), actor=users.focal_point)
    auth.login("fp@example.org")
    response = client.post(f"/delegations/{delegation.id}/people/new", data=_delegate_form("A@example.org"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and "resend-link" in page and 'value="Popescu"' in page


def test_focal_point_edits_until_the_deadline_hosts_after_it(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    from datetime import timedelta

    from eventapp.models.base import utcnow

    meeting = open_meeting(edit_deadline_at=utcnow() - timedelta(hours=1))
    delegation, _ = _invite(meeting, users)["ROU"]
    a = add_delegate(delegation, person("a@example.org", given_name="Ana"), actor=users.focal_point)
    auth.login("fp@example.org")
    late = client.post(
        f"/delegations/{delegation.id}/people/{a.id}/edit", data=_delegate_form("a@example.org", given_name="Late")
    )
    assert late.status_code == 422 and "deadline" in late.get_data(as_text=True)
    assert fresh(a).given_name == "Ana"
    auth.logout()
    auth.login("host@example.org")
    fixed = client.post(
        f"/delegations/{delegation.id}/people/{a.id}/edit", data=_delegate_form("a@example.org", given_name="Fixed")
    )
    assert fixed.status_code == 302 and fresh(a).given_name == "Fixed"


def test_submitted_delegate_is_approved_from_the_review_queue(app: object, users: Users) -> None:
    from eventapp.registration.applications import APPROVE, decide

    meeting = open_meeting(requires_host_approval=True)
    delegation, _ = _invite(meeting, users)["ROU"]
    entry = add_delegate(delegation, person("a@example.org"), actor=users.focal_point)
    decide(meeting, [entry.id], APPROVE, actor=users.host)
    assert fresh(entry).status == RegistrationStatus.APPROVED
    assert "confirmed" in outbox("a@example.org")[-1].subject.lower()
