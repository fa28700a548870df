"""HTTP caching of the feeds: validators read from the database, 304s, Cache-Control by audience."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import http_date

from eventapp.agenda import editor, rooms
from eventapp.extensions import db
from eventapp.models import Meeting, Registration, Session, SessionAccess, SessionStatus, SpeakerRole
from eventapp.registration.tokens import make_calendar_token
from tests.agenda.builders import add_registration, add_room, add_session
from tests.conftest import AuthActions, Users, add_meeting, count_statements
from tests.feeds.parsing import events, parse_both

NY = ZoneInfo("America/New_York")
SLUG = "2030-new-york"
URL = f"/meetings/{SLUG}/agenda.ics"


def _meeting(**fields: object) -> Meeting:
    values: dict[str, object] = {
        "timezone": "America/New_York",
        "city": "New York",
        "starts_on": date(2030, 11, 1),
        "ends_on": date(2030, 11, 5),
        "agenda_published": True,
    }
    values.update(fields)
    return add_meeting(SLUG, **values)


def _unfolded(body: bytes) -> bytes:
    return body.replace(b"\r\n ", b"")


def test_a_public_feed_carries_validators_and_may_be_kept_by_shared_caches(
    app: Flask, client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")

    response = client.get(URL)
    assert response.status_code == 200
    etag, weak = response.get_etag()
    assert etag and not weak
    assert response.last_modified is not None
    assert response.cache_control.public and not response.cache_control.private
    assert response.cache_control.max_age == app.config["FEED_MAX_AGE"] > 0
    # DTSTAMP is the version's time, so that one ETag is one body whoever builds it.
    (event,) = parse_both(response.data)[0].walk("VEVENT")
    assert event.decoded("DTSTAMP") == response.last_modified

    app.config["FEED_MAX_AGE"] = 60
    assert client.get(URL).cache_control.max_age == 60

    # The same bytes for a signed-in reader, and no cookie a shared cache could hand on.
    auth.login(users.host.email)
    signed_in = client.get(URL)
    assert signed_in.data == response.data and signed_in.headers["ETag"] == response.headers["ETag"]
    assert "Set-Cookie" not in signed_in.headers


def test_a_held_version_gets_304_by_etag_or_by_date_and_anything_else_gets_the_feed(client: FlaskClient) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")
    first = client.get(URL)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        held = client.get(URL, headers=headers)
        assert held.status_code == 304, headers
        assert held.data == b""
        assert held.headers["ETag"] == etag
        assert held.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert client.head(URL, headers={"If-None-Match": etag}).status_code == 304

    earlier = http_date(first.last_modified - timedelta(seconds=1))  # type: ignore[operator]
    for headers in ({"If-None-Match": '"another-version"'}, {"If-Modified-Since": earlier}):
        again = client.get(URL, headers=headers)
        assert again.status_code == 200, headers
        assert again.data == first.data and again.headers["ETag"] == etag


def test_a_304_costs_one_query_and_a_feed_a_fixed_number_whatever_its_size(client: FlaskClient) -> None:
    meeting = _meeting()
    hall = add_room(meeting, "Hall A")
    speaker = add_registration(meeting, "amina@example.org")
    for day in (2, 3):
        add_session(meeting, f"Panel {day}", f"2030-11-0{day} 09:00", f"2030-11-0{day} 10:00", room_id=hall.id)
    etag = client.get(URL).headers["ETag"]

    with count_statements() as statements:
        assert client.get(URL, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1

    def statements_for_the_feed() -> int:
        db.session.expire_all()  # nothing loaded beforehand, as in a request of its own
        with count_statements() as statements:
            assert client.get(URL).status_code == 200
        return len(statements)

    small = statements_for_the_feed()
    assert small == 2  # the meeting with the version, then the sessions with all they show
    for i in range(6):
        s = add_session(meeting, f"Side event {i}", "2030-11-04 13:00", "2030-11-04 14:00", speakers=[f"Guest {i}"])
        s.speakers[0].registration_id = speaker.id
        s.room = add_room(meeting, f"Room {i}")
        db.session.commit()
    assert statements_for_the_feed() == small


def test_a_personal_feed_is_private_and_revalidated_each_time(client: FlaskClient) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")
    person = add_registration(meeting, "ana@example.org")
    url = f"/calendar/{make_calendar_token(person)}.ics"

    first = client.get(url)
    assert first.status_code == 200
    assert first.cache_control.private and first.cache_control.no_cache and not first.cache_control.public
    with count_statements() as statements:
        held = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert held.status_code == 304 and held.data == b""
    assert len(statements) == 1  # the link's registration, its meeting and the version at once
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304


def test_a_session_feed_is_public_only_when_everyone_may_read_it(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    open_session = add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")
    closed = add_session(
        meeting, "Consultations", "2030-11-02 11:00", "2030-11-02 12:00", access=SessionAccess.DELEGATIONS
    )
    open_url = f"/meetings/{SLUG}/sessions/{open_session.id}.ics"
    closed_url = f"/meetings/{SLUG}/sessions/{closed.id}.ics"

    public = client.get(open_url)
    assert public.status_code == 200 and public.cache_control.public
    assert public.cache_control.max_age == client.application.config["FEED_MAX_AGE"]
    assert client.get(open_url, headers={"If-None-Match": public.headers["ETag"]}).status_code == 304
    assert client.get(closed_url).status_code == 404

    auth.login(users.focal_point.email)
    members_only = client.get(closed_url)
    assert members_only.status_code == 200
    assert members_only.cache_control.private and not members_only.cache_control.public
    auth.logout()

    # A host still reads an open session of a hidden agenda: for them alone.
    editor.set_agenda_published(meeting, False)
    auth.login(users.host.email)
    hidden = client.get(open_url)
    assert hidden.status_code == 200
    assert hidden.cache_control.private and not hidden.cache_control.public


def _data(s: Session, **changes: object) -> editor.SessionData:
    values: dict[str, object] = {
        "title": s.title,
        "starts_local": s.starts_at.astimezone(NY).replace(tzinfo=None),
        "ends_local": s.ends_at.astimezone(NY).replace(tzinfo=None),
        "room_id": s.room_id,
        "status": s.status,
        "speakers": [editor.SpeakerData(x.name, x.affiliation, x.role, x.registration_id) for x in s.speakers],
    }
    values.update(changes)
    return editor.SessionData(**values)  # type: ignore[arg-type]


def _rename_speaker(s: Session, other_room: int) -> None:
    person = db.session.get(Registration, s.speakers[0].registration_id)
    assert person is not None
    person.family_name = "Diallo-Sow"
    db.session.commit()


CHANGES: dict[str, tuple[Callable[[Session, int], object], bytes]] = {
    "title": (
        lambda s, _: editor.update_session(s, _data(s, title="Panel on mediation")),
        b"SUMMARY:Panel on mediation",
    ),
    "time": (
        lambda s, _: editor.reschedule_session(s, datetime(2030, 11, 2, 10, 0), datetime(2030, 11, 2, 11, 0)),
        b"DTSTART;TZID=America/New_York:20301102T100000",
    ),
    "room": (lambda s, room: editor.update_session(s, _data(s, room_id=room)), b"LOCATION:Hall B"),
    "cancel": (lambda s, _: editor.set_session_status(s, SessionStatus.CANCELLED), b"STATUS:CANCELLED"),
    "room renamed": (
        lambda s, _: rooms.update_room(s.room, rooms.RoomData(name="Hall A East")),  # type: ignore[arg-type]
        b"LOCATION:Hall A East",
    ),
    "speaker renamed": (_rename_speaker, b"Amina Diallo-Sow"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_a_session_changes_the_etag_and_the_body_of_its_feeds(client: FlaskClient, change: str) -> None:
    meeting = _meeting()
    hall, other = add_room(meeting, "Hall A"), add_room(meeting, "Hall B")
    s = add_session(meeting, "Panel", "2030-11-02 09:00", "2030-11-02 10:00", room_id=hall.id)
    person = add_registration(meeting, "amina@example.org")
    person.given_name, person.family_name = "Amina", "Diallo"
    editor.update_session(
        s, _data(s, speakers=[editor.SpeakerData(role=SpeakerRole.SPEAKER, registration_id=person.id)])
    )
    urls = (URL, f"/meetings/{SLUG}/sessions/{s.id}.ics")
    before = {url: client.get(url) for url in urls}
    for url, response in before.items():
        assert response.status_code == 200 and b"Amina Diallo" in _unfolded(response.data), url

    make_change, expected = CHANGES[change]
    make_change(s, other.id)

    for url, old in before.items():
        new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert new.status_code == 200, url
        assert new.headers["ETag"] != old.headers["ETag"], url
        assert new.data != old.data and expected in _unfolded(new.data), url
        assert client.get(url, headers={"If-None-Match": new.headers["ETag"]}).status_code == 304, url


def test_a_deleted_or_unpublished_session_changes_the_meeting_feed(client: FlaskClient) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")
    extra = add_session(meeting, "Extra", "2030-11-02 15:00", "2030-11-02 16:00")
    draft = add_session(meeting, "Draft", "2030-11-03 15:00", "2030-11-03 16:00")

    etag = client.get(URL).headers["ETag"]
    editor.delete_session(extra)
    gone = client.get(URL, headers={"If-None-Match": etag})
    assert gone.status_code == 200 and b"Extra" not in gone.data and b"Draft" in gone.data

    editor.update_session(draft, _data(draft, is_published=False))
    hidden = client.get(URL, headers={"If-None-Match": gone.headers["ETag"]})
    assert hidden.status_code == 200 and b"Draft" not in hidden.data
    assert set(events(parse_both(hidden.data)[0])) == {"Opening"}
