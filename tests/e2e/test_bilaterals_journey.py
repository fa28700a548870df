"""Journey: focal point A asks B for a bilateral, B accepts the second time, the host books a room
and later moves it; both delegations' personal feeds carry it and its SEQUENCE rises."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Bilateral, OutboxMessage, Registration
from eventapp.registration.tokens import make_calendar_token
from tests.bilaterals.builders import add_delegate, scene
from tests.e2e.harness import Journey, journey, sign_in, sign_out

ZURICH = ZoneInfo("Europe/Zurich")
PHONE = {"width": 390, "height": 844}


def _event(trip: Journey, base: str, person: Registration) -> icalendar.Event:
    """The one bilateral of the person's personal feed, fetched as a calendar app would."""
    response = trip.page.request.get(f"{base}/calendar/{make_calendar_token(person)}.ics")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    events = [e for e in icalendar.Calendar.from_ical(response.body()).walk("VEVENT")]
    [event] = [e for e in events if str(e["UID"]).startswith("bilateral-")]
    return event


def test_a_bilateral_from_request_to_a_moved_room(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    s = scene()
    minister = add_delegate(s.romania, "minister@example.ro", "Ioana", "Popescu")
    ambassador = add_delegate(s.senegal, "ambassador@example.sn", "Awa", "Ndiaye", locale="fr")
    slug = s.meeting.slug

    with journey(browser, "bilaterals-a") as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, s.fp_romania.email)
        page.get_by_role("link", name="My delegation").click()
        page.get_by_role("link", name=s.meeting.title, exact=True).click()
        trip.look("delegation-page")
        page.get_by_role("link", name="Bilateral meetings").click()
        page.get_by_role("link", name="Ask for a bilateral").click()
        page.get_by_label("Delegation you ask").select_option(label="Senegal")
        page.get_by_label("Subject").fill("Women mediators in the Sahel")
        page.get_by_label("Length").select_option(label="45 minutes")
        page.get_by_label("First proposed time").fill("03/06/2030 10:00")
        page.get_by_label("Second proposed time (optional)").fill("03/06/2030 15:00")
        page.get_by_label("Third proposed time (optional)").fill("07/06/2030 09:00")  # after the meeting
        page.get_by_label("Message to the other delegation").fill("Our minister would welcome a meeting.")
        page.get_by_role("button", name="Send the request").click()
        expect(page.locator("#time_3-error")).to_contain_text("within the meeting's days")
        expect(page.get_by_label("Subject")).to_have_value("Women mediators in the Sahel")
        trip.look("request-form-error")
        page.get_by_label("Third proposed time (optional)").fill("04/06/2030 09:00")
        page.get_by_role("button", name="Send the request").click()
        expect(page.locator(".flash-success")).to_contain_text("Your request went to the delegation of Senegal")
        expect(page.locator(".bilateral-item")).to_contain_text("Answer awaited from Senegal")
        trip.look("request-list")
        sign_out(trip)

    to_senegal = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == s.fp_senegal.email)).all()
    assert len(to_senegal) == 1 and "15:00" in to_senegal[0].body_text

    with journey(browser, "bilaterals-b", viewport=PHONE) as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, s.fp_senegal.email)
        page.get_by_role("link", name="My delegation").click()
        page.get_by_role("link", name=s.meeting.title, exact=True).click()
        expect(page.locator(".bilateral-panel")).to_contain_text("1 request awaits your answer.")
        page.locator(".bilateral-panel").get_by_role("link", name="Bilateral meetings").click()
        page.get_by_role("link", name="With Romania").click()
        trip.look("answer-page-phone")
        page.get_by_label("3 June 2030, 15:00", exact=False).check()
        page.locator("#accept-message").fill("Avec plaisir.")
        page.get_by_role("button", name="Accept this time").click()
        expect(page.locator(".flash-success")).to_contain_text("The bilateral is agreed")
        trip.look("agreed-phone")
        sign_out(trip)

    bilateral_id = db.session.scalar(select(Bilateral.id))
    with journey(browser, "bilaterals-host") as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, s.host.email)
        page.goto(f"{live_server}/meetings/{slug}")
        page.get_by_role("link", name="Open the workspace").click()
        page.get_by_role("navigation", name="Meeting workspace").get_by_role("link", name="Bilaterals").click()
        expect(page.locator("h1")).to_have_text("Bilateral meetings")
        trip.look("grid-before")
        page.get_by_role("link", name=re.compile(r"^Book a room\W+Romania and Senegal$")).click()
        page.get_by_label("Bilateral room").first.select_option(label="Bilateral room A")
        page.get_by_role("button", name="Book this room").click()
        expect(page.locator(".flash-success")).to_contain_text("The room is booked")
        page.get_by_role("navigation", name="Meeting workspace").get_by_role("link", name="Bilaterals").click()
        expect(page.locator("td.booked")).to_contain_text("Romania and Senegal")
        trip.look("grid-booked")
        booked = {who: _event(trip, live_server, who) for who in (minister, ambassador)}
        for event in booked.values():
            assert event["DTSTART"].dt == datetime(2030, 6, 3, 15, 0, tzinfo=ZURICH)
            assert event["DTEND"].dt == datetime(2030, 6, 3, 15, 45, tzinfo=ZURICH)
            assert str(event["LOCATION"]).startswith("Bilateral room A, ")  # "floor 2" in English, "étage 2" in French
        assert str(booked[minister]["SUMMARY"]) == "Bilateral meeting with Senegal"

        page.get_by_role("link", name="Romania and Senegal").first.click()
        move = page.locator("form", has=page.get_by_role("button", name="Move"))
        move.get_by_label("Starts").fill("04/06/2030 11:30")
        move.get_by_label("Bilateral room").select_option(label="Bilateral room B")
        move.get_by_role("button", name="Move").click()
        expect(page.locator(".flash-success")).to_contain_text("The bilateral is moved")
        trip.look("moved")
        for who in (minister, ambassador):
            event = _event(trip, live_server, who)
            assert event["SEQUENCE"] > booked[who]["SEQUENCE"]
            assert event["DTSTART"].dt == datetime(2030, 6, 4, 11, 30, tzinfo=ZURICH)
            assert str(event["LOCATION"]).startswith("Bilateral room B")
            assert str(event["UID"]) == str(booked[who]["UID"]) == f"bilateral-{bilateral_id}@{slug}.wps-network"
