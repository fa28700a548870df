from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.demo.seed import seed_demo
from eventapp.extensions import db
from eventapp.models import AuditLog, Meeting, MeetingStatus, Session, SessionAccess
from tests.conftest import AuthActions, Users, add_meeting, add_member, count_statements


def test_home_lists_upcoming_first_then_past(client: FlaskClient) -> None:
    seed_demo()
    body = client.get("/").get_data(as_text=True)
    upcoming, past = body.split('id="past-heading"')
    assert "WPS Open Debate" in upcoming
    assert "5th Capital-Level Meeting" in past
    assert past.index("5th Capital-Level Meeting") < past.index("Foundational Meeting")
    assert "6-9 June 2023" in past
    assert "Co-chairs: Romania and United States" in past


def test_meeting_page_shows_facts_and_agenda_in_its_zone(client: FlaskClient) -> None:
    seed_demo()
    body = client.get("/meetings/2023-washington").get_data(as_text=True)
    assert "5th Capital-Level Meeting" in body
    assert "New York time (EDT)" in body  # the zone in words, not its IANA name
    assert "7 June 2023" in body
    assert '<time datetime="2023-06-07T13:30:00+00:00">09:30</time>' in body
    assert "National Action Plan Implementation" in body
    # the closed session shows only to those allowed
    assert "Adoption of the Joint Communiqué" not in body


def test_closed_session_visible_to_focal_points_and_hosts(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = add_meeting(agenda_published=True)
    start = datetime.combine(meeting.starts_on, datetime.min.time(), UTC) + timedelta(hours=9)
    db.session.add(
        Session(
            meeting=meeting,
            title="Closed consultations",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            access=SessionAccess.DELEGATIONS,
        )
    )
    db.session.commit()
    url = f"/meetings/{meeting.slug}"
    assert "Closed consultations" not in client.get(url).get_data(as_text=True)
    auth.login("fp@example.org")
    assert "Closed consultations" in client.get(url).get_data(as_text=True)


def test_draft_meeting_is_hidden_from_the_public(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    add_meeting("2031-draft", status=MeetingStatus.DRAFT, title="Secret draft")
    assert client.get("/meetings/2031-draft").status_code == 404
    assert "Secret draft" not in client.get("/").get_data(as_text=True)
    auth.login("host@example.org")
    assert client.get("/meetings/2031-draft").status_code == 200
    assert "Secret draft" in client.get("/").get_data(as_text=True)


def _form(**overrides: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "kind": "capital_level",
        "number": "6",
        "title": "6th Capital-Level Meeting",
        "slug": "",
        "theme": "Localising WPS",
        "city": "Bucharest",
        "country_iso3": "ROU",
        "timezone": "Europe/Bucharest",
        "starts_on": "2031-05-12",
        "ends_on": "2031-05-14",
        "secretariat": "UN Women",
        "status": "published",
        "registration_opens": "2031-01-10T09:00",
        "registration_closes": "2031-04-30T18:00",
        "delegation_quota": "4",
        "cochairs": ["ROU"],
    }
    data.update(overrides)
    return data


def test_host_creates_a_meeting_with_times_in_its_zone(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    add_member("KEN", "Kenya")
    auth.login("host@example.org")
    response = client.post("/meetings/new", data=_form(cochairs=["ROU", "KEN"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == "/meetings/2031-bucharest"
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "2031-bucharest"))
    assert meeting.registration_opens_at == datetime(2031, 1, 10, 7, 0, tzinfo=UTC)  # EET is UTC+2
    assert meeting.registration_closes_at == datetime(2031, 4, 30, 15, 0, tzinfo=UTC)  # EEST is UTC+3
    assert [m.code for m in meeting.cochairs] == ["KEN", "ROU"]
    assert db.session.scalar(select(AuditLog.meeting_id).where(AuditLog.action == "meeting.create")) == meeting.id
    edit = client.get("/meetings/2031-bucharest/edit").get_data(as_text=True)
    assert 'value="10/01/2031 09:00"' in edit  # day first, on a 24-hour clock


def test_bad_meeting_input_keeps_what_was_typed(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    auth.login("host@example.org")
    response = client.post("/meetings/new", data=_form(ends_on="2031-05-01", title="Meeting “Ünïcode”"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="ends_on-error"' in body and "cannot end before it starts" in body
    assert 'value="Meeting “Ünïcode”"' in body
    assert 'value="2031-05-01"' in body
    response = client.post("/meetings/new", data=_form(registration_closes="2031-01-01T09:00"))
    assert "Registration must close after it opens." in response.get_data(as_text=True)
    response = client.post("/meetings/new", data=_form(timezone="Mars/Olympus"))
    assert 'id="timezone-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == 0


def test_edit_meeting_records_changes(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = add_meeting("2031-geneva")
    auth.login("admin@example.org")
    data = _form(slug="2031-geneva", city="Genève", timezone="Europe/Zurich", cochairs=["ROU"])
    response = client.post("/meetings/2031-geneva/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).city == "Genève"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "meeting.update"))
    assert entry.details["city"][1] == "Genève"
    assert entry.details["cochairs"] == [[], ["ROU"]]


def test_slug_clash_is_refused(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    add_meeting("2031-bucharest")
    auth.login("host@example.org")
    response = client.post("/meetings/new", data=_form())
    assert "The address 2031-bucharest is taken" in response.get_data(as_text=True)


def test_home_page_queries_do_not_grow_with_meetings(client: FlaskClient) -> None:
    counts = []
    for batch in range(2):
        for i in range(10 * (batch + 1)):
            add_meeting(
                f"m-{batch}-{i}", days_ahead=i + 1, cochairs=[add_member(f"{chr(65 + batch)}{i:02d}", f"Q {i}")]
            )
        with count_statements() as statements:
            assert client.get("/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
