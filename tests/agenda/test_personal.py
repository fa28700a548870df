from __future__ import annotations

from datetime import date

from flask import url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import (
    Meeting,
    Member,
    RegistrationStatus,
    SessionAccess,
    SessionAttendance,
    SessionType,
)
from eventapp.registration.tokens import make_calendar_token, make_manage_token
from tests.agenda.builders import add_registration, add_session
from tests.conftest import AuthActions, Users, add_meeting
from tests.feeds.parsing import events, parse_both


def _meeting() -> Meeting:
    return add_meeting(
        "2030-geneva",
        timezone="Europe/Zurich",
        starts_on=date(2030, 6, 3),
        ends_on=date(2030, 6, 4),
        agenda_published=True,
    )


def _picks(registration_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(SessionAttendance.session_id).where(SessionAttendance.registration_id == registration_id)
        )
    )


def test_the_personal_agenda_endpoint_is_named_for_the_registration_pages(client: FlaskClient) -> None:
    meeting = _meeting()
    person = add_registration(meeting, "ana@example.org")
    token = make_manage_token(person)
    with client.application.test_request_context():
        assert url_for("agenda.personal", token=token) == f"/r/{token}/agenda"
    assert client.get(f"/r/{token}/agenda").status_code == 200
    assert client.get("/r/forged-token/agenda").status_code == 404


def test_a_registrant_picks_and_drops_open_sessions(client: FlaskClient) -> None:
    meeting = _meeting()
    person = add_registration(meeting, "ana@example.org")
    panel = add_session(meeting, "Panel", "2030-06-03 09:00", "2030-06-03 10:00", type=SessionType.WORKING)
    token = make_manage_token(person)
    response = client.post(f"/r/{token}/agenda/pick", data={"session_id": str(panel.id)}, follow_redirects=True)
    assert response.status_code == 200
    assert "On my agenda" in response.get_data(as_text=True)
    assert _picks(person.id) == {panel.id}
    # picking twice keeps one pick
    client.post(f"/r/{token}/agenda/pick", data={"session_id": str(panel.id)})
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 1
    client.post(f"/r/{token}/agenda/drop", data={"session_id": str(panel.id)})
    assert _picks(person.id) == set()


def test_access_policy_decides_who_may_pick(client: FlaskClient, member: Member) -> None:
    meeting = _meeting()
    applicant = add_registration(meeting, "ngo@example.org")
    delegate = add_registration(meeting, "delegate@example.org", member=member)
    pending = add_registration(meeting, "later@example.org", status=RegistrationStatus.SUBMITTED)
    closed = add_session(
        meeting,
        "Closed consultations",
        "2030-06-03 11:00",
        "2030-06-03 12:00",
        type=SessionType.CLOSED,
        access=SessionAccess.DELEGATIONS,
    )
    dinner = add_session(meeting, "Dinner", "2030-06-03 19:00", "2030-06-03 21:00", access=SessionAccess.INVITATION)
    open_one = add_session(meeting, "Open panel", "2030-06-03 14:00", "2030-06-03 15:00")

    applicant_page = client.get(f"/r/{make_manage_token(applicant)}/agenda").get_data(as_text=True)
    assert "Closed consultations" not in applicant_page and "Open panel" in applicant_page
    refused = client.post(f"/r/{make_manage_token(applicant)}/agenda/pick", data={"session_id": str(closed.id)})
    assert refused.status_code == 409 and "delegations only" in refused.get_data(as_text=True)
    assert _picks(applicant.id) == set()

    client.post(f"/r/{make_manage_token(delegate)}/agenda/pick", data={"session_id": str(closed.id)})
    assert _picks(delegate.id) == {closed.id}

    for person in (applicant, delegate):
        response = client.post(f"/r/{make_manage_token(person)}/agenda/pick", data={"session_id": str(dinner.id)})
        assert response.status_code == 409 and "invitation" in response.get_data(as_text=True)
    assert dinner.id not in _picks(delegate.id)

    response = client.post(f"/r/{make_manage_token(pending)}/agenda/pick", data={"session_id": str(open_one.id)})
    assert response.status_code == 409 and "approved" in response.get_data(as_text=True)
    assert _picks(pending.id) == set()


def test_capacity_is_respected(client: FlaskClient) -> None:
    meeting = _meeting()
    first, second = add_registration(meeting, "a@example.org"), add_registration(meeting, "b@example.org")
    visit = add_session(
        meeting, "Site visit", "2030-06-04 14:00", "2030-06-04 17:00", type=SessionType.SITE_VISIT, capacity=1
    )
    client.post(f"/r/{make_manage_token(first)}/agenda/pick", data={"session_id": str(visit.id)})
    response = client.post(f"/r/{make_manage_token(second)}/agenda/pick", data={"session_id": str(visit.id)})
    assert response.status_code == 409 and "is full" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == 1
    page = client.get(f"/r/{make_manage_token(second)}/agenda").get_data(as_text=True)
    assert "1 of 1 places taken" in page


def test_personal_feed_holds_picks_and_plenaries_and_rotates(client: FlaskClient, member: Member) -> None:
    meeting = _meeting()
    person = add_registration(meeting, "delegate@example.org", member=member)
    add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00")
    closed = add_session(
        meeting,
        "Closed consultations",
        "2030-06-03 11:00",
        "2030-06-03 12:00",
        type=SessionType.CLOSED,
        access=SessionAccess.DELEGATIONS,
    )
    add_session(meeting, "Unpicked workshop", "2030-06-03 14:00", "2030-06-03 15:00", type=SessionType.WORKING)
    manage = make_manage_token(person)
    old_feed = f"/calendar/{make_calendar_token(person)}.ics"
    first = client.get(old_feed)
    assert set(events(parse_both(first.data)[0])) == {"Opening plenary"}

    client.post(f"/r/{manage}/agenda/pick", data={"session_id": str(closed.id)})
    again = client.get(old_feed, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200  # a new pick changes the feed
    loose, strict = parse_both(again.data)
    assert set(events(loose)) == {"Opening plenary", "Closed consultations"}
    assert len(strict.events) == 2
    assert client.get(old_feed, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304

    page = client.get(f"/r/{manage}/agenda").get_data(as_text=True)
    assert f"webcal://localhost{old_feed}" in page
    client.post(f"/r/{manage}/agenda/calendar/rotate")
    assert client.get(old_feed).status_code == 404
    db.session.refresh(person)
    assert client.get(f"/calendar/{make_calendar_token(person)}.ics").status_code == 200


def test_hosts_invite_registrants_to_invitation_sessions(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    guest, other = add_registration(meeting, "guest@example.org"), add_registration(meeting, "other@example.org")
    dinner = add_session(meeting, "Dinner", "2030-06-03 19:00", "2030-06-03 21:00", access=SessionAccess.INVITATION)
    panel = add_session(meeting, "Open panel", "2030-06-03 14:00", "2030-06-03 15:00")
    auth.login("host@example.org")
    edit = client.get(f"/meetings/2030-geneva/agenda/sessions/{dinner.id}/edit").get_data(as_text=True)
    assert "Invited registrants" in edit
    assert "Invited registrants" not in client.get(f"/meetings/2030-geneva/agenda/sessions/{panel.id}/edit").get_data(
        as_text=True
    )
    client.post(f"/meetings/2030-geneva/agenda/sessions/{dinner.id}/invitees", data={"invitees": [str(guest.id)]})
    assert _picks(guest.id) == {dinner.id} and _picks(other.id) == set()
    refused = client.post(
        f"/meetings/2030-geneva/agenda/sessions/{panel.id}/invitees",
        data={"invitees": [str(other.id)]},
        follow_redirects=True,
    )
    assert "Only sessions by invitation have invitees." in refused.get_data(as_text=True)
    assert _picks(other.id) == set()
    auth.logout()

    guest_page = client.get(f"/r/{make_manage_token(guest)}/agenda").get_data(as_text=True)
    assert "Dinner" in guest_page and "On my agenda" in guest_page
    assert "Dinner" not in client.get(f"/r/{make_manage_token(other)}/agenda").get_data(as_text=True)
    feed = client.get(f"/calendar/{make_calendar_token(guest)}.ics").data
    assert "Dinner" in events(parse_both(feed)[0])
