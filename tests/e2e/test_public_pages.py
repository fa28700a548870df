"""axe-core over pages the journeys do not reach: public ones (English and Arabic), hosts' and private-link ones."""

from __future__ import annotations

from playwright.sync_api import expect

from eventapp.extensions import db
from eventapp.models import Meeting
from eventapp.registration.tokens import make_manage_token
from tests.agenda.builders import add_session
from tests.checkin.builders import add_registration
from tests.conftest import Users, add_member
from tests.e2e.harness import journey, sign_in
from tests.registration.conftest import open_meeting


def _public_pages(live_server: str) -> list[tuple[str, str]]:
    add_member("KEN", "Kenya")
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


def test_signed_in_and_private_link_pages_have_no_serious_violation(browser, live_server, users: Users) -> None:
    pages = dict(_public_pages(live_server))
    base = pages["meeting"]
    token = make_manage_token(add_registration(db.session.query(Meeting).one(), "Ana", "Pop"))
    with journey(browser, "host-pages") as (trip, _context):
        sign_in(trip, live_server, users.admin.email)
        for label, url in [
            ("edit-meeting", f"{base}/edit"),
            ("new-meeting", f"{live_server}/meetings/new"),
            ("new-member", f"{live_server}/members/new"),
            ("capacity", f"{base}/capacity"),
            ("review", f"{base}/review"),
            ("delegations", f"{base}/delegations"),
            ("catering", f"{base}/catering"),
            ("badges", f"{base}/badges"),
            ("attendance", f"{base}/attendance"),
            ("session-new", f"{base}/agenda/sessions/new"),
            ("rooms", f"{base}/agenda/rooms"),
            ("scanner-choose", f"{live_server}/scanner"),
            ("manage-link", f"{live_server}/r/{token}"),
            ("edit-own", f"{live_server}/r/{token}/edit"),
            ("confirmation", f"{live_server}/r/{token}/confirmation"),
            ("personal-agenda", f"{live_server}/r/{token}/agenda"),
        ]:
            trip.page.goto(url)
            trip.look(label)
