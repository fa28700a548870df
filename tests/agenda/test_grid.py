"""The editor's timetable: days, rooms as columns, time as rows, each session a card opening its form."""

from __future__ import annotations

import re
from datetime import date, time

from flask.testing import FlaskClient

from eventapp.agenda.grid import timetable
from eventapp.agenda.rooms import list_rooms
from eventapp.models import Meeting, SessionStatus
from tests.agenda.builders import add_room, add_session
from tests.conftest import AuthActions, Users, add_meeting, count_statements


def _meeting() -> Meeting:
    return add_meeting(
        "2030-new-york", timezone="America/New_York", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 4)
    )


def test_sessions_take_the_rows_of_their_length_in_their_room(app: object) -> None:
    meeting = _meeting()
    hall, annex = add_room(meeting, "Hall"), add_room(meeting, "Annex")
    opening = add_session(meeting, "Opening", "2030-06-03 09:00", "2030-06-03 10:30", room_id=hall.id)
    panel = add_session(meeting, "Panel", "2030-06-03 09:30", "2030-06-03 10:00", room_id=annex.id)
    clash = add_session(meeting, "Clash", "2030-06-03 10:00", "2030-06-03 11:00", room_id=hall.id)
    loose = add_session(meeting, "Reception", "2030-06-04 18:00", "2030-06-04 20:00")

    first, second = timetable(meeting, [opening, panel, clash, loose], list_rooms(meeting))

    assert first.day == date(2030, 6, 3) and first.step == 30
    # Rooms by name; the Hall's two overlapping sessions take two columns, none hides the other.
    assert [(c.room.name if c.room else None, c.lane) for c in first.columns] == [
        ("Annex", 0),
        ("Hall", 0),
        ("Hall", 1),
    ]
    assert [r.at for r in first.rows] == [time(9), time(9, 30), time(10), time(10, 30)]
    cards = {c.session.title: (c.column, c.first_row, c.rows) for c in first.cards}
    assert cards == {"Panel": (0, 1, 1), "Opening": (1, 0, 3), "Clash": (2, 2, 2)}
    # A card's first row holds it, the rows it spans hold nothing, the rest are empty cells.
    assert [row.cells[1] is True or row.cells[1] is None for row in first.rows] == [False, True, True, True]
    assert first.rows[3].cells[1] is True
    # A day with a session without a room shows a column for it too, every room still shown.
    assert [c.room.name if c.room else None for c in second.columns] == ["Annex", "Hall", None]
    assert second.step == 60 and [r.at for r in second.rows] == [time(18), time(19)]


def test_rows_follow_the_finest_step_the_times_need(app: object) -> None:
    meeting = _meeting()
    s = add_session(meeting, "Break", "2030-06-03 10:45", "2030-06-03 11:00")
    (day,) = timetable(meeting, [s], [])
    assert day.step == 15 and len(day.rows) == 4 and day.cards[0].first_row == 3


def test_grid_page_shows_cards_that_open_their_form(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    hall = add_room(meeting, "Hall")
    s = add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:30", room_id=hall.id)
    add_session(meeting, "Dropped", "2030-06-03 11:00", "2030-06-03 12:00", status=SessionStatus.CANCELLED)
    auth.login(users.host.email)

    listing = client.get(f"/meetings/{meeting.slug}/agenda/edit").get_data(as_text=True)
    assert f'href="/meetings/{meeting.slug}/agenda/edit/grid"' in listing  # the grid is beside the list

    html = client.get(f"/meetings/{meeting.slug}/agenda/edit/grid").get_data(as_text=True)
    assert "3 June 2030" in html and '<span class="timetable-room">Hall</span>' in html and "No room" in html
    card = re.search(r'<td rowspan="(\d+)" class="slot">(.*?)</td>', html, re.S)
    assert card is not None and card.group(1) == "3"  # 09:00-10:30 in half-hour rows
    assert f'href="/meetings/{meeting.slug}/agenda/sessions/{s.id}/edit"' in card.group(2)
    # Times read left to right in every language ("09:00–10:30", never "10:30–09:00" on Arabic pages).
    assert '<bdi dir="ltr"><time' in card.group(2) and "09:00</time>–<time" in card.group(2)
    assert "Cancelled:" in html and "is-cancelled" in html
    assert "New York time (EDT)" in html and "America/New_York" not in re.sub(r"<[^>]+>", "", html)


def test_grid_without_sessions_says_so(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    auth.login(users.host.email)
    html = client.get(f"/meetings/{meeting.slug}/agenda/edit/grid").get_data(as_text=True)
    assert "No sessions yet." in html


def test_grid_reads_a_fixed_number_of_statements_whatever_the_agenda_holds(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    rooms = [add_room(meeting, f"Room {n}") for n in range(3)]
    auth.login(users.host.email)
    url = f"/meetings/{meeting.slug}/agenda/edit/grid"

    def statements() -> int:
        with count_statements() as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    add_session(meeting, "First", "2030-06-03 09:00", "2030-06-03 10:00", room_id=rooms[0].id, speakers=["A"])
    few = statements()
    for n in range(12):
        add_session(
            meeting,
            f"S{n}",
            f"2030-06-0{3 + n % 2} {9 + n // 2:02d}:00",
            f"2030-06-0{3 + n % 2} {10 + n // 2:02d}:00",
            room_id=rooms[n % 3].id,
            speakers=[f"Speaker {n}"],
        )
    assert statements() == few
