from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from eventapp.agenda import editor
from eventapp.extensions import db
from eventapp.models import Meeting, MeetingStatus, SessionAccess, SessionStatus, SessionType
from tests.agenda.builders import add_room, add_session
from tests.conftest import AuthActions, Users, add_meeting
from tests.feeds.parsing import events, parse_both

NY = ZoneInfo("America/New_York")


def _ny_meeting(**fields: object) -> Meeting:
    values: dict[str, object] = {
        "timezone": "America/New_York",
        "city": "New York",
        "venue": "UN Headquarters",
        "starts_on": date(2030, 11, 1),
        "ends_on": date(2030, 11, 5),
        "agenda_published": True,
    }
    values.update(fields)
    return add_meeting("2030-new-york", **values)


def test_meeting_feed_is_valid_for_both_parsers_and_carries_every_field(client: FlaskClient) -> None:
    meeting = _ny_meeting()
    room = add_room(meeting, "Conference Room 4", venue="UN Headquarters, Conference Building", floor="2")
    add_session(
        meeting,
        "Opening plenary",
        "2030-11-01 09:30",
        "2030-11-01 11:00",
        room_id=room.id,
        speakers=["Amina Diallo"],
        description="Welcome by the co-chairs.",
    )
    add_session(meeting, "Working lunch", "2030-11-01 12:00", "2030-11-01 13:30", status=SessionStatus.TENTATIVE)

    response = client.get("/meetings/2030-new-york/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    loose, strict = parse_both(response.data)

    tz = loose.walk("VTIMEZONE")
    assert [str(t["TZID"]) for t in tz] == ["America/New_York"]
    assert {str(s["TZNAME"]) for s in tz[0].subcomponents} >= {"EDT", "EST"}
    found = events(loose)
    opening = found["Opening plenary"]
    assert opening["DTSTART"].params["TZID"] == "America/New_York"
    assert opening.decoded("DTSTART") == datetime(2030, 11, 1, 9, 30, tzinfo=NY)
    assert str(opening["UID"]).startswith("session-") and str(opening["UID"]).endswith("@2030-new-york.wps-network")
    assert int(opening["SEQUENCE"]) == 0
    assert str(opening["STATUS"]) == "CONFIRMED"
    assert str(found["Working lunch"]["STATUS"]) == "TENTATIVE"
    assert "LAST-MODIFIED" in opening and "DTSTAMP" in opening
    location = str(opening["LOCATION"])
    assert "Conference Room 4" in location and "UN Headquarters, Conference Building" in location
    assert "Amina Diallo" in str(opening["DESCRIPTION"])
    session_id = str(opening["UID"]).removeprefix("session-").split("@")[0]
    assert str(opening["URL"]) == f"http://localhost/meetings/2030-new-york/sessions/{session_id}"
    assert b"DTSTART;TZID=America/New_York:20301101T093000" in response.data.replace(b"\r\n ", b"")

    # the strict parser reads the same events at the same instants
    strict_events = {e.summary: e for e in strict.events}
    assert set(strict_events) == {"Opening plenary", "Working lunch"}
    assert strict_events["Opening plenary"].dtstart.astimezone(UTC) == datetime(2030, 11, 1, 13, 30, tzinfo=UTC)
    assert strict_events["Opening plenary"].sequence == 0


def test_daylight_saving_boundary_keeps_local_wall_times(client: FlaskClient) -> None:
    # New York leaves daylight saving time on Sunday 3 November 2030.
    meeting = _ny_meeting()
    add_session(meeting, "Before the change", "2030-11-02 09:00", "2030-11-02 10:00")
    add_session(meeting, "After the change", "2030-11-04 09:00", "2030-11-04 10:00")

    body = client.get("/meetings/2030-new-york/agenda.ics").data
    unfolded = body.replace(b"\r\n ", b"")
    assert b"DTSTART;TZID=America/New_York:20301102T090000" in unfolded
    assert b"DTSTART;TZID=America/New_York:20301104T090000" in unfolded
    loose, strict = parse_both(body)
    found = events(loose)
    assert found["Before the change"].decoded("DTSTART").astimezone(UTC).hour == 13
    assert found["After the change"].decoded("DTSTART").astimezone(UTC).hour == 14
    by_title = {e.summary: e for e in strict.events}
    assert by_title["Before the change"].dtstart.astimezone(UTC).hour == 13
    assert by_title["After the change"].dtstart.astimezone(UTC).hour == 14

    page = client.get("/meetings/2030-new-york/agenda").get_data(as_text=True)
    assert '<time datetime="2030-11-02T13:00:00+00:00" data-format="time">09:00</time>' in page
    assert '<time datetime="2030-11-04T14:00:00+00:00" data-format="time">09:00</time>' in page
    assert "EDT" in page and "EST" in page


def test_time_place_and_status_changes_bump_sequence_but_a_title_does_not(client: FlaskClient) -> None:
    meeting = _ny_meeting()
    hall = add_room(meeting, "Hall A")
    other = add_room(meeting, "Hall B")
    s = add_session(meeting, "Panel", "2030-11-02 09:00", "2030-11-02 10:00", room_id=hall.id)

    def feed_event() -> object:
        loose, strict = parse_both(client.get("/meetings/2030-new-york/agenda.ics").data)
        (event,) = loose.walk("VEVENT")
        (strict_event,) = strict.events
        assert strict_event.sequence == int(event["SEQUENCE"])
        return event

    def data(**changes: object) -> editor.SessionData:
        values: dict[str, object] = {
            "title": s.title,
            "starts_local": s.starts_at.astimezone(NY).replace(tzinfo=None),
            "ends_local": s.ends_at.astimezone(NY).replace(tzinfo=None),
            "room_id": s.room_id,
            "status": s.status,
        }
        values.update(changes)
        return editor.SessionData(**values)  # type: ignore[arg-type]

    assert int(feed_event()["SEQUENCE"]) == 0
    editor.update_session(s, data(title="Panel on localisation"))
    event = feed_event()
    assert int(event["SEQUENCE"]) == 0 and str(event["SUMMARY"]) == "Panel on localisation"
    editor.reschedule_session(s, datetime(2030, 11, 2, 10, 0), datetime(2030, 11, 2, 11, 0))
    assert int(feed_event()["SEQUENCE"]) == 1
    editor.update_session(s, data(room_id=other.id))
    event = feed_event()
    assert int(event["SEQUENCE"]) == 2 and "Hall B" in str(event["LOCATION"])
    editor.set_session_status(s, SessionStatus.CANCELLED)
    event = feed_event()
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CANCELLED"  # kept in the feed so calendars drop it
    editor.set_session_status(s, SessionStatus.CONFIRMED)
    event = feed_event()
    assert int(event["SEQUENCE"]) == 4 and str(event["STATUS"]) == "CONFIRMED"


def test_private_and_unpublished_sessions_never_reach_public_feeds(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _ny_meeting()
    add_session(meeting, "Open plenary", "2030-11-02 09:00", "2030-11-02 10:00")
    closed = add_session(
        meeting,
        "Closed consultations",
        "2030-11-02 11:00",
        "2030-11-02 12:00",
        type=SessionType.CLOSED,
        access=SessionAccess.DELEGATIONS,
    )
    add_session(meeting, "Invitation dinner", "2030-11-02 19:00", "2030-11-02 21:00", access=SessionAccess.INVITATION)
    add_session(meeting, "Draft item", "2030-11-03 09:00", "2030-11-03 10:00", is_published=False)

    for who in (None, "host@example.org"):  # the public feed is the same for everyone
        if who:
            auth.login(who)
        body = client.get("/meetings/2030-new-york/agenda.ics").data
        loose, strict = parse_both(body)
        assert set(events(loose)) == {"Open plenary"}
        assert [e.summary for e in strict.events] == ["Open plenary"]
        assert b"Closed consultations" not in body and b"Invitation dinner" not in body
    auth.logout()
    assert client.get(f"/meetings/2030-new-york/sessions/{closed.id}.ics").status_code == 404
    assert client.get(f"/meetings/2030-new-york/sessions/{closed.id}").status_code == 404
    page = client.get("/meetings/2030-new-york/agenda").get_data(as_text=True)
    assert "Closed consultations" not in page and "Invitation dinner" not in page and "Draft item" not in page


def test_no_public_feed_before_the_agenda_is_published_or_for_a_draft_meeting(client: FlaskClient) -> None:
    _ny_meeting(agenda_published=False)
    add_meeting("2031-draft", status=MeetingStatus.DRAFT, agenda_published=True)
    assert client.get("/meetings/2030-new-york/agenda.ics").status_code == 404
    assert client.get("/meetings/2031-draft/agenda.ics").status_code == 404
    assert client.get("/meetings/nowhere/agenda.ics").status_code == 404


def test_session_feed_has_one_event_and_validators(client: FlaskClient) -> None:
    meeting = _ny_meeting()
    s = add_session(meeting, "Side event on mediation", "2030-11-02 13:00", "2030-11-02 14:00")
    response = client.get(f"/meetings/2030-new-york/sessions/{s.id}.ics")
    loose, strict = parse_both(response.data)
    assert list(events(loose)) == ["Side event on mediation"]
    assert len(strict.events) == 1
    assert (
        client.get(
            f"/meetings/2030-new-york/sessions/{s.id}.ics", headers={"If-None-Match": response.headers["ETag"]}
        ).status_code
        == 304
    )
    db.session.expire_all()
    assert s.updated_at <= datetime.now(UTC) + timedelta(seconds=1)


def test_agenda_pages_offer_subscription(client: FlaskClient) -> None:
    meeting = _ny_meeting()
    s = add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")
    pages = ("/meetings/2030-new-york/agenda", f"/meetings/2030-new-york/sessions/{s.id}", "/meetings/2030-new-york")
    for url in pages:
        page = client.get(url).get_data(as_text=True)
        assert 'rel="alternate" type="text/calendar"' in page, url
        assert 'href="webcal://localhost/meetings/2030-new-york/' in page, url
