"""Host list pages load what they show in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.registration.delegations import add_delegate, invite_all_members
from tests.conftest import AuthActions, Users, add_member, count_statements
from tests.registration.conftest import applicant, open_meeting, person


def _queries(client: FlaskClient, path: str) -> int:
    db.session.expire_all()  # the tests share the app's session: start each page from a cold one
    with count_statements() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_review_and_invitation_pages_have_no_n_plus_one(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = open_meeting()
    [(first, _)] = invite_all_members(meeting, actor=users.admin)
    add_delegate(first, person("first@example.org"), actor=users.host, by_host=True)
    applicant(meeting, "applicant@example.org")
    auth.login("host@example.org")
    few_review = _queries(client, f"/meetings/{meeting.slug}/review")
    few_invitations = _queries(client, f"/meetings/{meeting.slug}/invitations")
    for i in range(8):
        add_member(f"M{i:02d}", f"Member {i}")
        applicant(meeting, f"a{i}@example.org")
    for delegation, _ in invite_all_members(meeting, actor=users.admin):
        add_delegate(delegation, person(f"d{delegation.id}@example.org"), actor=users.host, by_host=True)
    assert _queries(client, f"/meetings/{meeting.slug}/review") == few_review
    assert _queries(client, f"/meetings/{meeting.slug}/invitations") == few_invitations
