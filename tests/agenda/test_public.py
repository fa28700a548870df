from __future__ import annotations

from datetime import date

from flask.testing import FlaskClient

from eventapp.models import Meeting, SessionAccess, SessionStatus, SessionType
from tests.agenda.builders import add_room, add_session
from tests.conftest import AuthActions, Users, add_meeting, count_statements


def _meeting() -> Meeting:
    return add_meeting(
        "2030-geneva",
        timezone="Europe/Zurich",
        starts_on=date(2030, 6, 3),
        ends_on=date(2030, 6, 4),
        agenda_published=True,
    )


def test_agenda_by_day_in_the_meeting_zone_with_the_zone_named(client: FlaskClient) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening", "2030-06-03 09:00", "2030-06-03 10:00", track="Localisation")
    add_session(meeting, "Late reception", "2030-06-03 23:30", "2030-06-04 00:30", type=SessionType.RECEPTION)
    add_session(meeting, "Day two", "2030-06-04 09:00", "2030-06-04 10:00", status=SessionStatus.CANCELLED)
    page = client.get("/meetings/2030-geneva/agenda").get_data(as_text=True)
    assert "Europe/Zurich" in page
    day_one, day_two = page.split('<h2 id="day-2">')
    assert day_two.startswith("4 June 2030")
    assert "3 June 2030" in day_one
    # 23:30 in Zurich is 21:30 UTC: still the first day on the meeting's clock
    assert (
        "Late reception" in day_one and '<time datetime="2030-06-03T21:30:00+00:00" data-format="time">23:30' in day_one
    )
    assert "Day two" in day_two and "Cancelled" in day_two
    assert 'src="/static/js/agenda.js"' in page and "data-zone-toggle" in page
    assert "<script>" not in page  # no inline script


def test_filters_by_type_and_theme_on_the_server(client: FlaskClient) -> None:
    meeting = _meeting()
    add_session(meeting, "Plenary on NAPs", "2030-06-03 09:00", "2030-06-03 10:00", track="National Action Plans")
    add_session(
        meeting,
        "Working group on financing",
        "2030-06-03 11:00",
        "2030-06-03 12:00",
        type=SessionType.WORKING,
        track="Financing",
    )
    add_session(meeting, "Side event", "2030-06-03 13:00", "2030-06-03 14:00", type=SessionType.SIDE_EVENT)
    page = client.get("/meetings/2030-geneva/agenda?type=working&type=side_event").get_data(as_text=True)
    assert "Working group on financing" in page and "Side event" in page and "Plenary on NAPs" not in page
    page = client.get("/meetings/2030-geneva/agenda?track=Financing").get_data(as_text=True)
    assert "Working group on financing" in page and "Plenary on NAPs" not in page and "Side event</strong>" not in page
    page = client.get("/meetings/2030-geneva/agenda?type=break").get_data(as_text=True)
    assert "No session matches these filters." in page
    # unknown values are ignored rather than failing
    assert client.get("/meetings/2030-geneva/agenda?type=nonsense").status_code == 200


def test_closed_sessions_show_only_to_those_allowed(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    s = add_session(
        meeting,
        "Closed consultations",
        "2030-06-03 15:00",
        "2030-06-03 16:00",
        type=SessionType.CLOSED,
        access=SessionAccess.DELEGATIONS,
    )
    assert "Closed consultations" not in client.get("/meetings/2030-geneva/agenda").get_data(as_text=True)
    assert client.get(f"/meetings/2030-geneva/sessions/{s.id}").status_code == 404
    assert b"Closed consultations" not in client.get("/meetings/2030-geneva/agenda.pdf").data
    auth.login("fp@example.org")
    assert "Closed consultations" in client.get("/meetings/2030-geneva/agenda").get_data(as_text=True)
    assert client.get(f"/meetings/2030-geneva/sessions/{s.id}").status_code == 200


def test_session_page_names_time_place_and_speakers(client: FlaskClient) -> None:
    meeting = _meeting()
    room = add_room(meeting, "Room XX", venue="Palais des Nations", floor="3")
    s = add_session(
        meeting,
        "Women mediators",
        "2030-06-03 14:00",
        "2030-06-03 15:30",
        room_id=room.id,
        speakers=["Leymah Gbowee"],
        description="A panel.",
    )
    page = client.get(f"/meetings/2030-geneva/sessions/{s.id}").get_data(as_text=True)
    assert "Women mediators" in page and "Room XX, floor 3, Palais des Nations" in page
    assert "Leymah Gbowee" in page and "14:00" in page and "15:30" in page and "CEST" in page
    assert f'href="/meetings/2030-geneva/sessions/{s.id}.ics"' in page or f"sessions/{s.id}.ics" in page
    assert client.get("/meetings/2030-geneva/sessions/99999").status_code == 404


def test_pdf_download_and_print_stylesheet(client: FlaskClient) -> None:
    meeting = _meeting()
    add_session(meeting, "Ouverture — Côte d’Ivoire et Україна", "2030-06-03 09:00", "2030-06-03 10:00")
    response = client.get("/meetings/2030-geneva/agenda.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "Côte" in text and "Україна" in text and "Europe/Zurich" in text
    page = client.get("/meetings/2030-geneva/agenda").get_data(as_text=True)
    assert 'media="print"' in page and "agenda.css" in page


def test_agenda_page_queries_do_not_grow_with_sessions(client: FlaskClient) -> None:
    meeting = _meeting()
    room = add_room(meeting, "Hall")

    def count() -> int:
        with count_statements() as statements:
            assert client.get("/meetings/2030-geneva/agenda").status_code == 200
        return len(statements)

    add_session(meeting, "S0", "2030-06-03 08:00", "2030-06-03 09:00", room_id=room.id, speakers=["A", "B"])
    few = count()
    for i in range(1, 12):
        add_session(
            meeting,
            f"S{i}",
            f"2030-06-03 {8 + i:02d}:00",
            f"2030-06-03 {9 + i:02d}:00",
            room_id=room.id,
            speakers=["C"],
        )
    assert count() == few


def test_draft_meeting_agenda_is_hidden(client: FlaskClient) -> None:
    from eventapp.models import MeetingStatus

    add_meeting("2031-draft", status=MeetingStatus.DRAFT, agenda_published=True)
    assert client.get("/meetings/2031-draft/agenda").status_code == 404
    assert client.get("/meetings/2031-draft/agenda.pdf").status_code == 404
