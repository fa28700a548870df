from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.demo.seed import seed_demo
from eventapp.extensions import db
from eventapp.models import AuditLog, Member
from tests.conftest import AuthActions, Users


def test_members_page_lists_all_64_members_states_first(client: FlaskClient) -> None:
    seed_demo()
    body = client.get("/members/").get_data(as_text=True)
    assert "57 Member States and 7 regional organisations." in body
    assert body.count('<span class="code"') == 64
    assert "Côte d&#39;Ivoire" in body
    states, orgs = body.split('id="orgs-heading"')
    # No entry starts with a lower-case "the", though the communiqués write "the African Union".
    assert "Uruguay" in states and ">African Union</a>" in orgs and ">the " not in body
    # alphabetical by sort name: Colombia, Côte d'Ivoire, Croatia, the Democratic Republic of the Congo, Denmark
    order = [states.index(n) for n in ("Colombia", "Côte d&#39;Ivoire", "Croatia", ">Democratic Republic", "Denmark")]
    assert order == sorted(order)


def test_admin_adds_a_member(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("admin@example.org")
    response = client.post("/members/new", data={"kind": "state", "name": "Côte d'Ivoire", "iso3": "civ"})
    assert response.status_code == 302
    member = db.session.scalar(select(Member).where(Member.code == "CIV"))
    assert (member.name, member.iso3, member.sort_name) == ("Côte d'Ivoire", "CIV", "Cote d'Ivoire")
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "member.create"))
    assert entry.actor_id == users.admin.id


def test_bad_member_input_is_shown_next_to_the_field_and_kept(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    auth.login("admin@example.org")
    before = db.session.scalar(select(func.count(Member.id)))
    response = client.post("/members/new", data={"kind": "state", "name": "Atlantis <b>", "iso3": "XYZ"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="iso3-error"' in body and "XYZ is not an ISO 3166 alpha-3 country code." in body
    assert 'value="Atlantis &lt;b&gt;"' in body  # kept, and escaped
    assert db.session.scalar(select(func.count(Member.id))) == before


def test_duplicate_code_is_refused(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("admin@example.org")
    response = client.post("/members/new", data={"kind": "state", "name": "Romania again", "iso3": "ROU"})
    assert response.status_code == 422
    assert "Another member already uses the code ROU" in response.get_data(as_text=True)


def test_admin_edits_a_member_and_the_change_is_audited(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("admin@example.org")
    form = client.get("/members/ROU/edit").get_data(as_text=True)
    assert 'value="Romania"' in form
    response = client.post(
        "/members/ROU/edit", data={"kind": "state", "name": "Romania", "iso3": "ROU", "joined_on": "2016-09-23"}
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "member.update"))
    assert entry.details == {"joined_on": [None, "2016-09-23"]}


def test_organisation_needs_a_code_not_an_iso3(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("admin@example.org")
    response = client.post("/members/new", data={"kind": "regional_organisation", "name": "the African Union"})
    assert "Give the organisation&#39;s short code" in response.get_data(as_text=True)
    ok = client.post("/members/new", data={"kind": "regional_organisation", "name": "the African Union", "code": "au"})
    assert ok.status_code == 302
    assert db.session.scalar(select(Member.sort_name).where(Member.code == "AU")) == "African Union"


def test_only_admins_manage_members(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    for email in ("host@example.org", "fp@example.org", "scanner@example.org"):
        auth.login(email)
        assert client.get("/members/ROU/edit").status_code == 403
        assert client.post("/members/new", data={"kind": "state", "name": "X", "iso3": "KEN"}).status_code == 403
        auth.logout()
    assert db.session.scalar(select(func.count(Member.id))) == 1
