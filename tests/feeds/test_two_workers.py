"""Two app instances on one database, as two workers: an edit made through one shows on the other at once."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from eventapp.models import Role
from tests.agenda.builders import add_session
from tests.conftest import PASSWORD, add_meeting, add_user, make_app

SLUG = "2030-geneva"
FEED = f"/meetings/{SLUG}/agenda.ics"


def _worker(app: Flask) -> FlaskClient:
    """Another app on the test's database: its own engine, pool and sessions, like a worker process."""
    return make_app(app.config["SQLALCHEMY_DATABASE_URI"]).test_client()


def _sign_in_host(worker: FlaskClient) -> None:
    reply = worker.post("/login", data={"email": "host@example.org", "password": PASSWORD})
    assert reply.status_code == 302


def _unfolded(body: bytes) -> bytes:
    return body.replace(b"\r\n ", b"")


def test_an_edit_through_one_worker_changes_the_feeds_of_the_other_at_once(app: Flask) -> None:
    add_user("host@example.org", Role.HOST)
    meeting = add_meeting(
        SLUG, timezone="Europe/Zurich", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 4), agenda_published=True
    )
    s = add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00")
    session_feed = f"/meetings/{SLUG}/sessions/{s.id}.ics"
    one, two = _worker(app), _worker(app)

    # Both workers answer the same version with the same bytes, and both have answered it before.
    held = {}
    for url in (FEED, session_feed):
        first, second = one.get(url), two.get(url)
        assert first.status_code == second.status_code == 200
        assert first.headers["ETag"] == second.headers["ETag"] and first.data == second.data
        assert two.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        held[url] = first

    _sign_in_host(one)
    moved = one.post(
        f"/meetings/{SLUG}/agenda/sessions/{s.id}/reschedule",
        data={f"s{s.id}-starts_local": "2030-06-03T11:00", f"s{s.id}-ends_local": "2030-06-03T12:00"},
    )
    assert moved.status_code == 302

    for url, old in held.items():
        seen = two.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert seen.status_code == 200, url
        assert seen.headers["ETag"] != old.headers["ETag"], url
        assert b"DTSTART;TZID=Europe/Zurich:20300603T110000" in _unfolded(seen.data), url
        mine = one.get(url)
        assert mine.headers["ETag"] == seen.headers["ETag"] and mine.data == seen.data, url
        held[url] = seen

    # And the other way round.
    _sign_in_host(two)
    assert two.post(f"/meetings/{SLUG}/agenda/sessions/{s.id}/cancel").status_code == 302
    for url, old in held.items():
        seen = one.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert seen.status_code == 200 and b"STATUS:CANCELLED" in seen.data, url
        assert two.get(url).data == seen.data, url
