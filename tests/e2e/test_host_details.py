"""Details a host notices, seen in the browser: pages keep the phone's width (wide tables scroll in
their box), a message's text wraps, the agenda grid reads on a tablet and its cards open their form,
the favicon loads, times read day first with the zone in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from eventapp.extensions import db
from eventapp.mail.services import queue_email
from eventapp.models import Meeting, RegistrationCategory, RegistrationStatus, SessionAccess, SessionType
from tests.agenda.builders import add_room, add_session
from tests.conftest import Users, add_meeting
from tests.e2e.harness import Journey, journey, sign_in
from tests.reports.helpers import add_registration

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

#: The page's width against the screen's: the layout viewport stays the phone's and nothing sticks out.
WIDTHS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth]"

#: The outermost elements whose right edge passes the viewport's, to name the culprit when a page is too wide.
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(el => !el.parentElement.closest('.table-scroll'))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


def _meeting() -> tuple[Meeting, int]:
    meeting = add_meeting(
        "2030-new-york",
        title="Annual Meeting of the WPS Focal Points Network beside the Open Debate",
        timezone="America/New_York",
        starts_on=date(2030, 10, 21),
        ends_on=date(2030, 10, 22),
        city="New York",
        venue="United Nations Headquarters",
        agenda_published=True,
    )
    hall = add_room(meeting, "Trusteeship Council Chamber", capacity=300, floor="2")
    room4 = add_room(meeting, "Conference Room 4", capacity=120)
    annex = add_room(meeting, "ECOSOC Chamber", capacity=200)
    add_session(
        meeting,
        "Opening plenary: a decade of National Action Plans",
        "2030-10-21 09:00",
        "2030-10-21 10:30",
        room_id=hall.id,
    )
    add_session(meeting, "Coffee", "2030-10-21 10:30", "2030-10-21 11:00", type=SessionType.BREAK)
    add_session(
        meeting,
        "Working session 1: localisation and financing of women peacebuilders",
        "2030-10-21 11:00",
        "2030-10-21 12:30",
        room_id=room4.id,
        type=SessionType.WORKING,
    )
    add_session(
        meeting,
        "Working session 2: protection of women human rights defenders",
        "2030-10-21 11:00",
        "2030-10-21 12:30",
        room_id=annex.id,
        type=SessionType.WORKING,
    )
    add_session(
        meeting,
        "Members' consultation",
        "2030-10-21 14:00",
        "2030-10-21 15:15",
        room_id=hall.id,
        access=SessionAccess.DELEGATIONS,
        type=SessionType.CLOSED,
    )
    add_session(
        meeting,
        "Side event: climate, peace and security",
        "2030-10-21 14:30",
        "2030-10-21 16:00",
        room_id=hall.id,
        type=SessionType.SIDE_EVENT,
    )
    add_session(meeting, "Adoption of the Joint Communiqué", "2030-10-22 10:00", "2030-10-22 11:30", room_id=hall.id)
    start = datetime(2030, 8, 1, 13, 0, tzinfo=UTC)
    for n, (given, family, organisation) in enumerate(
        [
            ("Amina", "Diallo-Konaté", "Réseau des femmes africaines ministres et parlementaires pour la paix"),
            ("أمل", "الحسيني", "شبكة النساء العربيات للسلام والأمن"),
            ("Mei", "王", "Women's Alliance for Security Leadership (Asia-Pacific Regional Office)"),
        ]
    ):
        add_registration(
            meeting,
            given_name=given,
            family_name=family,
            organisation=organisation,
            email=f"{family.lower()}.a.very.long.address.for.the.programme@peacebuilders-network.example.org",
            category=RegistrationCategory.CIVIL_SOCIETY,
            status=RegistrationStatus.SUBMITTED if n else RegistrationStatus.APPROVED,
            created_at=start + timedelta(days=n, minutes=7 * n),
            motivation="Twenty years of mediation work in the Sahel and the Lake Chad basin. " * 4,
        )
    message = queue_email(
        "amina.diallo-konate.a.very.long.address@peacebuilders-network.example.org",
        "Your registration for the Annual Meeting",
        "Dear Ms Diallo-Konaté,\n\nyour registration is approved. Your private page, where you change your details, "
        "pick sessions and download your badge, is https://meetings.wps-network.example.org/r/"
        + "x" * 120
        + "\n\nThe doors of the United Nations Headquarters open at 08:00 on 21 October 2030; bring your passport.",
        meeting_id=meeting.id,
    )
    db.session.commit()
    return meeting, message.id


def _fits(trip: Journey, label: str) -> None:
    trip.look(label)
    scroll, client, inner = trip.page.evaluate(WIDTHS)
    wide = trip.page.evaluate(STICKING_OUT) if scroll != 390 else []
    assert scroll == client == inner == 390, (
        f"{label}: page {scroll} px wide, viewport {client} px ({inner} px): {wide}"
    )


def test_host_pages_fit_a_phone_and_the_grid_reads_on_a_tablet(browser, live_server, users: Users) -> None:
    meeting, message_id = _meeting()
    base = f"{live_server}/meetings/{meeting.slug}"
    pages = {
        "registrations": f"{base}/registrations",
        "review": f"{base}/review",
        "badges": f"{base}/badges",
        "delegations": f"{base}/delegations",
        "catering": f"{base}/catering",
        "outbox": f"{live_server}/admin/outbox",
        "outbox-message": f"{live_server}/admin/outbox/{message_id}",
        "agenda": f"{base}/agenda",
        "agenda-editor": f"{base}/agenda/edit",
        "agenda-grid": f"{base}/agenda/edit/grid",
        "rooms": f"{base}/agenda/rooms",
        "meeting-form": f"{base}/edit",
    }

    with journey(browser, "host-details-phone", **PHONE) as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.host.email)
        for label, url in pages.items():
            page.goto(url)
            _fits(trip, label)
            if label == "review":
                # Opens on "Submitted": the approved person is not in the queue; times in the meeting's zone.
                assert page.get_by_label("Status").input_value() == "submitted"
                assert page.locator('input[name="selected"]').count() == 2
                assert page.get_by_text("Times are in New York time (EDT).").is_visible()
                assert page.locator("td time").first.inner_text() == "2 August 2030, 09:07"
                scroller = page.locator(".table-scroll").first
                assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls in its box
            if label == "agenda-editor":
                # Typed day first on a 24-hour clock, whatever the browser's own date format.
                assert page.get_by_label("Starts").first.input_value() == "21/10/2030 09:00"
            if label == "outbox-message":
                body = page.locator("pre.mail-body")
                assert body.evaluate("el => getComputedStyle(el).whiteSpace") == "pre-wrap"
                assert body.evaluate("el => el.scrollWidth <= el.clientWidth")
                assert page.get_by_text("bring your passport").is_visible()
        assert page.evaluate("() => document.querySelector('link[rel=icon]').href").endswith("/static/favicon.svg")
        assert page.request.get(f"{live_server}/favicon.ico").status == 200

    with journey(browser, "host-details-tablet", **TABLET) as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.host.email)
        page.goto(pages["agenda-grid"])
        trip.look("agenda-grid")
        assert page.evaluate(WIDTHS)[0] == 820
        first_day = page.locator("table.timetable").first
        assert first_day.locator("thead th").all_inner_texts()[1:] == [
            "Conference Room 4",
            "ECOSOC Chamber",
            "Trusteeship Council Chamber",
            "Trusteeship Council Chamber (overlapping)",
            "No room",
        ]
        cards = first_day.locator(".grid-card")
        assert cards.count() == 6
        for box in (cards.nth(i).bounding_box() for i in range(cards.count())):
            assert box is not None and box["width"] >= 140 and box["height"] >= 35, box
        # A 90-minute session is three half-hour rows tall, a 30-minute one a single row.
        opening = page.locator(".grid-card", has_text="Opening plenary").bounding_box()
        coffee = page.locator(".grid-card", has_text="Coffee").bounding_box()
        assert opening and coffee and abs((opening["height"] + 4) - 3 * (coffee["height"] + 4)) < 8  # 2 px inset
        # The card opens the session's form wherever it is touched, not only on its title.
        consultation = page.get_by_role("link", name="Members' consultation", exact=True)
        card = page.locator(".grid-card", has=consultation)
        below_the_title = card.bounding_box()
        assert below_the_title is not None
        card.click(position={"x": 12, "y": below_the_title["height"] - 6})
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", name="Edit Members' consultation").is_visible()
        assert page.get_by_text("Saved: 21 October 2030, 14:00, New York time (EDT)").is_visible()
        trip.look("session-form-from-grid")

    with journey(browser, "host-details-desktop", **DESKTOP) as (trip, context):
        page = trip.page
        sign_in(trip, live_server, users.host.email)
        for label in ("review", "agenda-editor", "agenda-grid", "outbox-message", "meeting-form"):
            page.goto(pages[label])
            trip.look(label)
            assert page.evaluate(WIDTHS)[0] == 1280, label
        page.goto(pages["agenda-editor"])
        page.get_by_role("navigation", name="Views of the agenda").get_by_role(
            "link", name="Grid by day and room"
        ).click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", name="21 October 2030").is_visible()
        # Right to left: the time column stays at the start (the right), the page keeps its width.
        context.add_cookies([{"name": "lang", "value": "ar", "url": live_server}])
        page.goto(pages["agenda-grid"])
        trip.look("agenda-grid-arabic")
        assert page.evaluate(WIDTHS)[0] == 1280
        time_column = page.locator("table.timetable th.timetable-time").first.bounding_box()
        assert time_column is not None and time_column["x"] > 1000
        assert page.get_by_text("توقيت نيويورك (EDT)").first.is_visible()
