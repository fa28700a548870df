"""The meeting feed's fast path (in front of Flask) answers like the Flask view would."""

from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from eventapp.feeds.services import forget_everything
from tests.agenda.builders import add_session
from tests.conftest import add_meeting, count_statements

URL = "/meetings/2030-geneva/agenda.ics"
SECURITY = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)


def _meeting() -> None:
    forget_everything()
    meeting = add_meeting(
        "2030-geneva",
        timezone="Europe/Zurich",
        starts_on=date(2030, 5, 6),
        ends_on=date(2030, 5, 8),
        agenda_published=True,
    )
    add_session(meeting, "Opening", "2030-05-06 09:00", "2030-05-06 10:00")


def test_304_and_cached_feed_carry_the_same_headers_as_any_page_and_no_cookie(client: FlaskClient) -> None:
    _meeting()
    page = client.get("/hello")
    built = client.get(URL)  # built by the Flask view
    assert built.status_code == 200
    etag = built.headers["ETag"]

    with count_statements() as statements:
        cached = client.get(URL)  # from the cache, in front of Flask
        not_modified = client.get(URL, headers={"If-None-Match": etag})
    assert len(statements) == 2  # one validator query each, nothing else
    assert cached.status_code == 200 and cached.data == built.data
    assert not_modified.status_code == 304 and not_modified.data == b""
    for response in (cached, not_modified):
        assert response.headers["ETag"] == etag
        assert response.headers["Cache-Control"] == "public, no-cache"
        assert "Set-Cookie" not in response.headers
        for name in SECURITY:
            assert response.headers[name] == page.headers[name], name
    assert cached.headers["Content-Type"] == built.headers["Content-Type"]
    assert cached.headers["Content-Disposition"] == built.headers["Content-Disposition"]
    assert cached.headers["Last-Modified"] == built.headers["Last-Modified"]
    assert client.head(URL, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(URL, headers={"If-Modified-Since": built.headers["Last-Modified"]}).status_code == 304


def test_an_other_host_gets_its_own_copy_with_its_own_links(client: FlaskClient) -> None:
    _meeting()
    here = client.get(URL)
    there = client.get(URL, base_url="http://calendar.example.org")
    assert b"http://localhost/meetings/2030-geneva/sessions/" in here.data.replace(b"\r\n ", b"")
    assert b"http://calendar.example.org/meetings/2030-geneva/sessions/" in there.data.replace(b"\r\n ", b"")
    again = client.get(URL, base_url="http://calendar.example.org")
    assert again.data == there.data


def test_unknown_feed_and_other_methods_still_reach_flask(client: FlaskClient) -> None:
    _meeting()
    missing = client.get("/meetings/nowhere/agenda.ics", headers={"If-None-Match": '"x"'})
    assert missing.status_code == 404 and b"<html" in missing.data.lower()
    assert client.post(URL).status_code == 405
