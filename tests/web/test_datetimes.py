"""Times as hosts read them: day first, a 24-hour clock, the zone in words, in the page's language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.web.datetime_fields import parse_day_first
from eventapp.web.datetimes import format_clock, format_moment, utc_offset, zone_choices, zone_label
from tests.agenda.builders import add_room, add_session
from tests.conftest import AuthActions, Users, add_meeting

EVENING_NY = datetime(2030, 6, 3, 1, 5, tzinfo=UTC)  # 21:05 on 2 June in New York


def visible_text(html: str) -> str:
    """What a reader sees: the page without its tags and attributes."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    ("zone", "on", "expected"),
    [
        ("America/New_York", date(2030, 6, 3), "New York time (EDT)"),
        ("America/New_York", date(2030, 12, 3), "New York time (EST)"),
        ("Asia/Riyadh", date(2030, 6, 3), "Riyadh time (UTC+3)"),  # no letters of its own
        ("Asia/Kolkata", date(2030, 6, 3), "Kolkata time (IST)"),
        ("America/Argentina/Buenos_Aires", date(2030, 6, 3), "Buenos Aires time (UTC−3)"),
        ("UTC", None, "Coordinated Universal Time (UTC)"),
    ],
)
def test_zones_are_named_in_words(app: Flask, zone: str, on: date | None, expected: str) -> None:
    assert zone_label(zone, on, "en") == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "2 June 2030, 21:05, New York time (EDT)"),
        ("fr", "2 juin 2030, 21:05, heure de New York (EDT)"),
        ("es", "2 de junio de 2030, 21:05, hora de Nueva York (EDT)"),
        ("ar", "2 يونيو 2030، 21:05، توقيت نيويورك (EDT)"),
        ("ru", "2 июня 2030 г., 21:05, Нью-Йорк, местное время (EDT)"),
        ("zh", "2030年6月2日 21:05，纽约时间（EDT）"),
    ],
)
def test_moments_are_day_first_on_a_24_hour_clock_in_every_language(app: Flask, locale: str, expected: str) -> None:
    assert format_moment(EVENING_NY, "America/New_York", locale).replace("\u202f", " ") == expected
    assert format_clock(EVENING_NY, "America/New_York", locale) == "21:05"


def test_offsets_and_zone_lists(app: Flask) -> None:
    assert utc_offset(datetime(2030, 1, 1, tzinfo=ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert utc_offset(datetime(2030, 1, 1, tzinfo=ZoneInfo("America/St_Johns"))) == "UTC\u22123:30"
    choices = dict(zone_choices("en"))
    assert choices["America/New_York"] == "New York time · America/New_York"
    assert dict(zone_choices("fr"))["Europe/Paris"] == "heure de Paris · Europe/Paris"


def test_host_pages_name_the_zone_in_words_never_by_its_iana_name_alone(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = add_meeting(
        "2030-new-york",
        timezone="America/New_York",
        starts_on=date(2030, 6, 3),
        ends_on=date(2030, 6, 4),
        agenda_published=True,
        registration_opens_at=datetime(2030, 3, 1, 14, 0, tzinfo=UTC),
    )
    room = add_room(meeting, "Conference Room 4")
    s = add_session(meeting, "Opening plenary", "2030-06-03 21:00", "2030-06-03 22:30", room_id=room.id)
    auth.login(users.host.email)
    pages = {
        "editor": f"/meetings/{meeting.slug}/agenda/edit",
        "grid": f"/meetings/{meeting.slug}/agenda/edit/grid",
        "session form": f"/meetings/{meeting.slug}/agenda/sessions/{s.id}/edit",
        "meeting form": f"/meetings/{meeting.slug}/edit",
        "meeting": f"/meetings/{meeting.slug}",
        "agenda": f"/meetings/{meeting.slug}/agenda",
        "session": f"/meetings/{meeting.slug}/sessions/{s.id}",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        text = visible_text(response.get_data(as_text=True))
        assert "New York time (EDT)" in text, name
        # The IANA name is shown only beside its words (the meeting form's list of zones).
        assert text.count("America/New_York") == text.count("New York time · America/New_York"), name
        assert not re.search(r"\b\d{1,2}:\d\d\s?[AP]M\b", text), name

    session_form = client.get(pages["session form"]).get_data(as_text=True)
    assert "Saved: 3 June 2030, 21:00, New York time (EDT)" in session_form
    meeting_form = client.get(pages["meeting form"]).get_data(as_text=True)
    assert "Saved: 1 March 2030, 09:00, New York time (EST)" in meeting_form
    assert '<option selected value="America/New_York">New York time · America/New_York</option>' in meeting_form

    french = client.get(pages["session form"], headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "3 juin 2030, 21:00, heure de New York (EDT)" in french


def test_a_time_skipped_by_the_clocks_is_refused_with_the_zone_in_words(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = add_meeting(
        "2030-new-york", timezone="America/New_York", starts_on=date(2030, 3, 9), ends_on=date(2030, 3, 11)
    )
    auth.login(users.host.email)
    html = client.post(
        f"/meetings/{meeting.slug}/agenda/sessions/new",
        data={
            "title": "Night",
            "type": "plenary",
            "starts_local": "2030-03-10T02:30",
            "ends_local": "2030-03-10T04:00",
            "access": "open",
            "status": "confirmed",
        },
    ).get_data(as_text=True)
    assert "does not exist in New York time (EDT)" in html


def test_favicon_is_linked_and_served_at_the_root(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    link = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', html)
    assert link is not None
    linked = client.get(link.group(1))
    assert linked.status_code == 200 and b"<svg" in linked.data
    root = client.get("/favicon.ico")
    assert root.status_code == 200 and root.mimetype == "image/svg+xml" and root.data == linked.data
    assert root.cache_control.max_age and root.cache_control.max_age >= 3600


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21/10/2030 14:00", (date(2030, 10, 21), (14, 0))),
        ("1.2.2031 9.05", (date(2031, 2, 1), (9, 5))),
        ("2030-10-21T14:00", (date(2030, 10, 21), (14, 0))),  # ISO, as scripts and older pages post
        ("21/10/2030", (date(2030, 10, 21), None)),
        ("10/21/2030 14:00", None),  # month first: there is no 21st month
        ("21/10/2030 2:00 PM", None),
        ("21/10/2030 24:00", None),
    ],
)
def test_typed_dates_are_read_day_first(typed: str, expected: object) -> None:
    assert parse_day_first(typed) == expected


def test_a_date_typed_month_first_is_refused_next_to_its_field_and_kept(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = add_meeting(
        "2030-new-york", timezone="America/New_York", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 4)
    )
    auth.login(users.host.email)
    html = client.post(
        f"/meetings/{meeting.slug}/agenda/sessions/new",
        data={
            "title": "Opening",
            "type": "plenary",
            "starts_local": "06/13/2030 09:00",
            "ends_local": "03/06/2030 10:00",
            "access": "open",
            "status": "confirmed",
        },
    ).get_data(as_text=True)
    assert 'id="starts_local-error"' in html and "for example 21/10/2030 14:00" in html
    assert 'value="06/13/2030 09:00"' in html  # what was typed stays to be corrected
    assert 'id="ends_local-error"' not in html and "This field is required" not in html
