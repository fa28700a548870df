"""Host views: the registration list with search, filters and counts; delegations; catering."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventapp.extensions import db
from eventapp.models import MemberKind, RegistrationCategory, RegistrationStatus
from eventapp.models.base import utcnow
from tests.conftest import add_meeting, add_member, count_statements
from tests.reports.helpers import add_delegation, add_registration


@pytest.fixture
def meeting(app):
    return add_meeting("2030-geneva")


def names_in(html: str, *names: str) -> list[str]:
    return [n for n in names if n in html]


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (None, 302),
        ("fp@example.org", 403),
        ("scanner@example.org", 403),
        ("host@example.org", 200),
        ("admin@example.org", 200),
    ],
)
def test_only_hosts_and_admins_see_registrations(client, auth, users, meeting, email, expected):
    if email:
        auth.login(email)
    for path in ("registrations", "delegations", "catering", "registrations.csv", "registrations.xlsx"):
        assert client.get(f"/meetings/{meeting.slug}/{path}").status_code == expected, path


def test_unknown_meeting_is_404(client, auth, users):
    auth.login("host@example.org")
    assert client.get("/meetings/nowhere/registrations").status_code == 404


def test_search_by_name_email_and_organisation(client, auth, users, meeting):
    add_registration(meeting, given_name="Йоана", family_name="Попеску", organisation="Пример")
    add_registration(meeting, given_name="美玲", family_name="王", email="meiling@peace.example")
    add_registration(meeting, given_name="Amina", family_name="Diallo", organisation="Femmes Leaders Sahel")
    auth.login("host@example.org")

    html = client.get(f"/meetings/{meeting.slug}/registrations?q=Попеску").get_data(as_text=True)
    assert names_in(html, "Попеску", "美玲", "Diallo") == ["Попеску"]
    html = client.get(f"/meetings/{meeting.slug}/registrations?q=meiling@peace").get_data(as_text=True)
    assert names_in(html, "Попеску", "美玲", "Diallo") == ["美玲"]
    html = client.get(f"/meetings/{meeting.slug}/registrations?q=leaders+sahel").get_data(as_text=True)
    assert names_in(html, "Попеску", "美玲", "Diallo") == ["Diallo"]
    html = client.get(f"/meetings/{meeting.slug}/registrations?q=Amina+Diallo").get_data(as_text=True)
    assert names_in(html, "Попеску", "美玲", "Diallo") == ["Diallo"]


def test_filters_by_category_status_member_and_needs(client, auth, users, member, meeting):
    kenya = add_member("KEN", "Kenya")
    rou = add_delegation(meeting, member)
    ken = add_delegation(meeting, kenya)
    add_registration(meeting, family_name="Delegaterou", delegation=rou, status=RegistrationStatus.APPROVED)
    add_registration(meeting, family_name="Delegateken", delegation=ken, dietary_needs="Halal")
    add_registration(meeting, family_name="Academic", category=RegistrationCategory.ACADEMIA, needs_visa_letter=True)
    add_registration(meeting, family_name="Journalist", category=RegistrationCategory.MEDIA, accessibility_needs="Ramp")
    other = add_meeting("2031-nairobi")
    add_registration(other, family_name="Elsewhere")
    auth.login("host@example.org")
    everyone = ("Delegaterou", "Delegateken", "Academic", "Journalist", "Elsewhere")

    def shown(query: str) -> list[str]:
        return names_in(client.get(f"/meetings/{meeting.slug}/registrations?{query}").get_data(as_text=True), *everyone)

    assert shown("") == ["Delegaterou", "Delegateken", "Academic", "Journalist"]
    assert shown("category=academia") == ["Academic"]
    assert shown("status=approved") == ["Delegaterou"]
    assert shown("member=KEN") == ["Delegateken"]
    assert shown("need=dietary") == ["Delegateken"]
    assert shown("need=visa") == ["Academic"]
    assert shown("need=accessibility") == ["Journalist"]
    assert shown("category=media&status=approved") == []
    # Unknown filter values are ignored rather than failing.
    assert shown("status=bogus&category=nope") == ["Delegaterou", "Delegateken", "Academic", "Journalist"]


def test_counts_per_status_and_category(client, auth, users, meeting):
    for _ in range(3):
        add_registration(meeting, status=RegistrationStatus.APPROVED, category=RegistrationCategory.ACADEMIA)
    add_registration(meeting, status=RegistrationStatus.WAITLISTED, category=RegistrationCategory.MEDIA)
    auth.login("host@example.org")
    html = client.get(f"/meetings/{meeting.slug}/registrations").get_data(as_text=True)
    assert "(4 in all)" in html
    assert ">Approved</a></th><td>3</td>" in html
    assert ">Waiting list</a></th><td>1</td>" in html
    assert ">Academia</a></th><td>3</td>" in html
    assert ">Media</a></th><td>1</td>" in html


def test_registration_list_is_escaped(client, auth, users, meeting):
    add_registration(meeting, given_name="<script>alert(1)</script>", organisation="<b>Org</b>")
    auth.login("host@example.org")
    html = client.get(f"/meetings/{meeting.slug}/registrations").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _statements_for_list(client, slug: str) -> int:
    with count_statements() as statements:
        response = client.get(f"/meetings/{slug}/registrations")
    assert response.status_code == 200
    return len(statements)


def test_registration_list_query_count_does_not_grow_with_rows(client, auth, users, meeting):
    auth.login("host@example.org")
    members = [add_member(code, name) for code, name in (("KEN", "Kenya"), ("CHL", "Chile"), ("NOR", "Norway"))]
    delegation = add_delegation(meeting, members[0])
    add_registration(meeting, delegation=delegation)
    add_registration(meeting)
    few = _statements_for_list(client, meeting.slug)
    for m in members[1:]:
        d = add_delegation(meeting, m)
        for _ in range(5):
            add_registration(meeting, delegation=d)
    for _ in range(10):
        add_registration(meeting, category=RegistrationCategory.MEDIA)
    many = _statements_for_list(client, meeting.slug)
    assert many == few


def test_delegation_overview(client, auth, users, member, meeting):
    au = add_member("AU", "the African Union", MemberKind.REGIONAL_ORGANISATION)
    add_member("ASEAN", "Association of Southeast Asian Nations", MemberKind.REGIONAL_ORGANISATION)
    chile = add_member("CHL", "Chile")
    rou = add_delegation(meeting, member, invited_at=utcnow(), invitation_used_at=utcnow(), quota_override=6)
    head = add_registration(meeting, given_name="Elena", family_name="Ionescu", delegation=rou)
    add_registration(meeting, delegation=rou, status=RegistrationStatus.APPROVED)
    add_registration(meeting, delegation=rou, status=RegistrationStatus.WITHDRAWN)
    rou.head = head
    db.session.commit()
    add_delegation(meeting, au, invited_at=utcnow() - timedelta(days=1))
    auth.login("admin@example.org")

    html = client.get(f"/meetings/{meeting.slug}/delegations").get_data(as_text=True)
    order = [
        html.index(name)
        for name in ("Chile", "Romania", "Regional organisations", ">African Union<", "Association of Southeast")
    ]
    assert order == sorted(order)
    romania_row = html[html.index(">Romania<") : html.index("</tr>", html.index(">Romania<"))]
    assert "2 / 6" in romania_row and "Elena Ionescu" in romania_row and "Used" in romania_row
    # A list entry does not start with a lower-case "the" (the communiqués write "the African Union").
    au_row = html[html.index(">African Union<") : html.index("</tr>", html.index(">African Union<"))]
    assert "0 / 4" in au_row and "Sent, not used" in au_row
    chile_row = html[html.index(">Chile<") : html.index("</tr>", html.index(">Chile<"))]
    assert "Not sent" in chile_row
    assert chile.code in html


def test_catering_summary_counts_approved_participants_only(client, auth, users, meeting):
    add_registration(meeting, status=RegistrationStatus.APPROVED, dietary_needs="Vegetarian")
    add_registration(meeting, status=RegistrationStatus.APPROVED, dietary_needs="  vegetarian ")
    add_registration(meeting, status=RegistrationStatus.APPROVED, dietary_needs="Halal")
    add_registration(
        meeting, status=RegistrationStatus.APPROVED, family_name="Wheelchair", accessibility_needs="Step-free access"
    )
    add_registration(meeting, status=RegistrationStatus.SUBMITTED, dietary_needs="Kosher", accessibility_needs="Sign")
    auth.login("host@example.org")
    html = client.get(f"/meetings/{meeting.slug}/catering").get_data(as_text=True)
    assert "For the 4 approved participants" in html
    assert "<td>Vegetarian</td><td>2</td>" in html
    assert "<td>Halal</td><td>1</td>" in html
    assert "Kosher" not in html
    assert "Step-free access" in html and "Wheelchair" in html
    assert "Sign" not in html.split("Accessibility needs", 1)[1].split("</table>")[0]
