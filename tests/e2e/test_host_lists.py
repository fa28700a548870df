"""A host pages through a large meeting's lists: page links, a filter and a search that stay in the address."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from eventapp.web.pagination import PER_PAGE
from tests.conftest import Users, add_meeting
from tests.e2e.harness import journey, sign_in
from tests.reports.helpers import crowd

PEOPLE = 2 * PER_PAGE + 30


def test_host_pages_through_registrations_review_and_badges(browser, live_server, users: Users) -> None:
    meeting = add_meeting("2030-geneva", title="Annual Meeting of the WPS Focal Points Network")
    crowd(meeting, PEOPLE)

    with journey(browser, "host-lists") as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.host.email)
        page.goto(f"{live_server}/meetings/{meeting.slug}/registrations")
        assert page.get_by_text(f"Showing 1–{PER_PAGE} of {PEOPLE}.").is_visible()
        assert page.locator("table.registrations tbody tr").count() == PER_PAGE
        trip.look("registrations-page-1")

        pages = page.get_by_role("navigation", name="Pages of registrations")
        pages.get_by_role("link", name="Next page").click()
        page.wait_for_load_state("load")
        assert page.get_by_text(f"Showing {PER_PAGE + 1}–{2 * PER_PAGE} of {PEOPLE}.").is_visible()
        trip.look("registrations-page-2")

        page.get_by_label("Name, email or organisation").fill("bruno")
        page.get_by_label("Status", exact=True).select_option("submitted")
        page.get_by_role("button", name="Show").click()
        page.wait_for_load_state("load")
        asked = parse_qs(urlsplit(page.url).query)
        assert asked["q"] == ["bruno"] and asked["status"] == ["submitted"] and "page" not in asked
        first_names = page.locator("table.registrations tbody th").all_inner_texts()
        assert first_names and all(re.match(r"bruno ", name) for name in first_names)
        trip.look("registrations-search-and-filter")

        page.goto(f"{live_server}/meetings/{meeting.slug}/review?status=")  # everyone, not only those waiting
        trip.look("review-page-1")
        page.get_by_role("navigation", name="Pages of registrations").get_by_role("link", name="Page 3").click()
        page.wait_for_load_state("load")
        assert page.locator('input[name="selected"]').count() == PEOPLE - 2 * PER_PAGE
        trip.look("review-page-3")

        page.goto(f"{live_server}/meetings/{meeting.slug}/badges")
        trip.look("badges-page-1")
