"""Journey (c): a host moves one session and cancels another; the public agenda and its .ics show both."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import expect

from tests.agenda.builders import add_room, add_session
from tests.conftest import Users, add_meeting
from tests.e2e.harness import Journey, journey, sign_in, sign_out

ZURICH = ZoneInfo("Europe/Zurich")
WORKING = "Working group on national action plans"
CLOSING = "Closing plenary and communiqué"


def _events(trip: Journey) -> dict[str, icalendar.Event]:
    """The agenda's .ics as the page links it, parsed; events by session title."""
    href = trip.page.get_by_role("link", name="Download .ics").get_attribute("href")
    response = trip.page.request.get(href)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    return {str(e["SUMMARY"]).removeprefix("Cancelled: "): e for e in calendar.walk("VEVENT")}


def test_host_reschedules_and_cancels_and_the_agenda_and_feed_follow(browser, live_server, users: Users) -> None:
    meeting = add_meeting("2030-geneva", starts_on=date(2030, 6, 4), ends_on=date(2030, 6, 5), agenda_published=True)
    room = add_room(meeting, "Room XX, Palais des Nations")
    add_session(meeting, "Opening plenary", "2030-06-04 09:00", "2030-06-04 10:00", room_id=room.id)
    add_session(meeting, WORKING, "2030-06-04 10:30", "2030-06-04 12:00", room_id=room.id)
    add_session(meeting, CLOSING, "2030-06-05 16:00", "2030-06-05 17:00", room_id=room.id)
    agenda_url = f"{live_server}/meetings/{meeting.slug}/agenda"

    with journey(browser, "agenda") as (trip, _context):
        page = trip.page
        page.goto(agenda_url)
        trip.look("agenda-before")
        before = _events(trip)
        assert before[WORKING]["DTSTART"].dt == datetime(2030, 6, 4, 10, 30, tzinfo=ZURICH)

        sign_in(trip, live_server, users.host.email, "host-sign-in")
        page.goto(agenda_url)
        page.get_by_role("link", name="Edit agenda").click()
        trip.look("editor")

        working = page.get_by_role("listitem").filter(has_text=WORKING)
        working.get_by_label("Starts").fill("2030-06-04T14:00")
        working.get_by_label("Ends").fill("2030-06-04T15:30")
        working.get_by_role("button", name=f"Move {WORKING}").click()
        expect(page.locator(".flash-success")).to_contain_text(f"“{WORKING}” was moved.")
        trip.look("editor-after-move")

        page.get_by_role("listitem").filter(has_text=CLOSING).get_by_role("button", name=f"Cancel {CLOSING}").click()
        expect(page.locator(".flash-success")).to_contain_text(f"“{CLOSING}” was cancelled.")
        expect(page.get_by_role("listitem").filter(has_text=CLOSING)).to_contain_text("Cancelled")
        trip.look("editor-after-cancel")
        sign_out(trip)

        page.goto(agenda_url)
        moved = page.get_by_role("listitem").filter(has_text=WORKING)
        expect(moved.locator(".session-time")).to_contain_text("14:00–15:30")
        cancelled = page.get_by_role("listitem").filter(has_text=CLOSING)
        expect(cancelled.locator(".tag-cancelled")).to_have_text("Cancelled")
        trip.look("agenda-after")
        after = _events(trip)

    assert after[WORKING]["DTSTART"].dt == datetime(2030, 6, 4, 14, 0, tzinfo=ZURICH)
    assert after[WORKING]["DTEND"].dt == datetime(2030, 6, 4, 15, 30, tzinfo=ZURICH)
    assert after[WORKING]["SEQUENCE"] > before[WORKING]["SEQUENCE"]
    assert str(after[CLOSING]["STATUS"]) == "CANCELLED"
    assert str(after[CLOSING]["SUMMARY"]) == f"Cancelled: {CLOSING}"
    assert str(after["Opening plenary"].get("STATUS", "CONFIRMED")) == "CONFIRMED"
    assert after[CLOSING]["SEQUENCE"] > before[CLOSING]["SEQUENCE"]
