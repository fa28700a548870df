"""axe-core over the public pages the journeys pass only in passing, in English and in Arabic (right to left)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.agenda.builders import add_session
from tests.conftest import add_member
from tests.e2e.harness import journey
from tests.registration.conftest import open_meeting


def _public_pages(live_server: str) -> list[tuple[str, str]]:
    add_member("ROU", "Romania")
    meeting = open_meeting(agenda_published=True)
    session = add_session(meeting, "Opening plenary", "2030-06-01 09:00", "2030-06-01 10:00")
    base = f"{live_server}/meetings/{meeting.slug}"
    return [
        ("home", f"{live_server}/"),
        ("members", f"{live_server}/members/"),
        ("meeting", base),
        ("agenda", f"{base}/agenda"),
        ("session", f"{base}/sessions/{session.id}"),
        ("apply", f"{base}/apply"),
        ("resend-link", f"{base}/resend-link"),
        ("sign-in", f"{live_server}/login"),
        ("not-found", f"{live_server}/meetings/no-such-meeting"),
    ]


def test_public_pages_have_no_serious_accessibility_violation(browser, live_server) -> None:
    pages = _public_pages(live_server)
    with journey(browser, "public") as (trip, _context):
        for label, url in pages:
            trip.page.goto(url)
            trip.look(label)


def test_arabic_pages_are_right_to_left_and_accessible(browser, live_server) -> None:
    pages = dict(_public_pages(live_server))
    with journey(browser, "public-arabic", locale="ar") as (trip, _context):
        for label in ("home", "apply"):
            trip.page.goto(pages[label])
            expect(trip.page.locator("html")).to_have_attribute("dir", "rtl")
            expect(trip.page.locator("html")).to_have_attribute("lang", "ar")
            trip.look(label)


def test_a_violation_fails_the_journey(browser, live_server) -> None:
    """The check can fail: a field stripped of its label is reported with its rule and target."""
    try:
        with journey(browser, "axe-self-check") as (trip, _context):
            trip.page.goto(f"{live_server}/login")
            trip.page.evaluate("document.querySelector('label[for=email]').remove()")
            trip.look("label-removed")
    except AssertionError as exc:
        assert "[critical] label on label-removed" in str(exc) and "#email" in str(exc)
    else:
        raise AssertionError("axe-core did not report the missing label")
