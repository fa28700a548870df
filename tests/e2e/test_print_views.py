"""Print views of the agenda and of the participant list: what the printer gets, read back from Chromium's PDF."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from eventapp.models import RegistrationCategory
from tests.agenda.builders import add_room, add_session
from tests.checkin.builders import add_registration
from tests.conftest import Users, add_meeting, add_member
from tests.e2e.harness import Journey, journey, sign_in


def _printed(trip: Journey, label: str) -> str:
    """Screenshot the page as printed, print it to PDF and return the PDF's text."""
    trip.page.emulate_media(media="print")
    trip.look(label)
    pdf = trip.page.pdf(format="A4", print_background=False)
    trip.page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_agenda_and_participant_list_print_as_documents(browser, live_server, users: Users) -> None:
    meeting = add_meeting(
        "2030-new-york",
        title="Meeting on the margins of the Open Debate",
        city="New York",
        timezone="America/New_York",
        starts_on=date(2030, 10, 24),
        ends_on=date(2030, 10, 24),
        agenda_published=True,
    )
    room = add_room(meeting, "Conference Room 4")
    add_session(meeting, "Opening and adoption of the agenda", "2030-10-24 09:00", "2030-10-24 09:30", room_id=room.id)
    add_session(meeting, "National action plans: lessons learned", "2030-10-24 09:30", "2030-10-24 11:00")
    kenya = add_member("KEN", "Kenya")
    add_registration(meeting, "Wanjiru", "Kamau", member=kenya, organisation="Ministry of Foreign Affairs")
    add_registration(meeting, "Ioana", "Ștefănescu", category=RegistrationCategory.PARLIAMENTARIAN)
    add_registration(meeting, "芳", "王", organisation="Women's Studies Institute")

    with journey(browser, "print") as (trip, _context):
        page = trip.page
        page.goto(f"{live_server}/meetings/{meeting.slug}/agenda")
        trip.look("agenda-screen")
        agenda = _printed(trip, "agenda-print")
        assert "Opening and adoption of the agenda" in agenda and "Conference Room 4" in agenda
        assert "09:30" in agenda and "New York time (EDT)" in agenda
        for screen_only in ("Sign in", "Subscribe in your calendar", "Download PDF", "Type of session", "Filter"):
            assert screen_only not in agenda, f"{screen_only!r} is printed"

        sign_in(trip, live_server, users.host.email, "host-sign-in")
        page.goto(f"{live_server}/meetings/{meeting.slug}/registrations")
        trip.look("participants-screen")
        listed = _printed(trip, "participants-print")
        assert "Wanjiru Kamau" in listed and "Kenya" in listed and "Parliamentarian" in listed
        for screen_only in ("Sign out", "Search and filter", "Download this list", "Catering and accessibility"):
            assert screen_only not in listed, f"{screen_only!r} is printed"
