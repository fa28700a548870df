"""Journey: a host runs a meeting from its workspace, by clicking only.

Signs in, opens the meeting's workspace from the home page, visits every section of the menu,
approves an applicant from the person's page, registers a walk-in at the desk on a tablet and
checks them in, and sees the Overview's figures change.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.harness import journey, sign_in
from tests.security.world import EMAILS, build_world, remove_files

MENU = "nav[aria-label='Meeting workspace']"
TABLET = {"width": 820, "height": 1180}


def _figure(page: Page, name: str) -> int:
    return int(page.locator(f"[data-figure='{name}']").inner_text())


def _section(page: Page, name: str) -> None:
    page.locator(MENU).locator("ul.workspace-sections").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator(f"{MENU} a.current")).to_have_text(name)


def test_a_host_runs_the_meeting_from_its_workspace(browser, live_server) -> None:
    build_world()
    try:
        with journey(browser, "workspace") as (trip, _context):
            page = trip.page
            sign_in(trip, live_server, EMAILS["host"], "host-sign-in")
            expect(page.get_by_role("heading", level=1)).to_have_text("Meetings of the WPS Focal Points Network")
            trip.look("home-meetings-you-manage")
            page.get_by_role("link", name=re.compile(r"^Open the workspace\W+Matrix meeting$")).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
            approved, inside = _figure(page, "approved"), _figure(page, "inside")
            trip.look("overview-before")

            # Every section by clicking, and the pages inside those that have several.
            for name, heading in [
                ("Registrations", "Registrations"),
                ("Review", None),
                ("Delegations", None),
                ("Badges", None),
                ("Check-in", "At the desk"),
                ("Agenda", None),
                ("Messages", None),
                ("Reports", None),
                ("Settings", None),
            ]:
                if not page.locator(MENU).get_by_role("link", name=name, exact=True).count():
                    continue  # a section whose pages are still being built (Messages) is left out
                _section(page, name)
                if heading:
                    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
                trip.look(f"section-{name}")
                entries = page.locator(f"{MENU} ul.workspace-entries a")
                for index in range(1, entries.count()):
                    label = entries.nth(index).inner_text()
                    entries.nth(index).click()
                    page.wait_for_load_state("load")
                    expect(page.locator(f"{MENU} a.current")).to_have_text(name)
                    trip.look(f"{name}-{label}")
                    entries = page.locator(f"{MENU} ul.workspace-entries a")

            # Approve the waiting applicant from the person's page.
            _section(page, "Registrations")
            page.get_by_role("link", name="Yusuf Pending").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Yusuf Pending")
            trip.look("person-submitted")
            page.get_by_label("Decision").select_option("approve")
            page.get_by_role("button", name="Apply the decision").click()
            expect(page.locator(".flash-success")).to_contain_text("Yusuf Pending is approved.")
            expect(page.locator("[data-status]")).to_have_text("Approved")
            expect(page.locator("table.history")).to_contain_text("Submitted → Approved")
            page.get_by_label("Note for the hosts and the secretariat").fill("Prefers an aisle seat.")
            page.get_by_role("button", name="Keep the note").click()
            expect(page.locator(".note")).to_contain_text("Prefers an aisle seat.")
            trip.look("person-approved")

            # The desk on a tablet: register a walk-in, find them, check them in.
            page.set_viewport_size(TABLET)
            _section(page, "Check-in")
            page.get_by_role("link", name="Register a walk-in").click()
            page.get_by_label("Given name(s)").fill("Ngozi")
            page.get_by_label("Family name(s)").fill("Okonkwo-Ihejirika")
            page.get_by_label("Ministry or organisation").fill("Federal Ministry of Women Affairs")
            page.get_by_label("Email", exact=True).fill("ngozi@example.org")
            page.get_by_label("The person agrees").check()
            trip.look("walk-in-form")
            page.get_by_role("button", name="Register the person").click()
            expect(page.locator(".flash-success")).to_contain_text("Ngozi Okonkwo-Ihejirika is registered (approved)")
            _section(page, "Check-in")
            page.get_by_label("Name, member or organisation").fill("okonkwo")
            page.get_by_role("button", name="Find").click()
            row = page.locator(".desk-row", has_text="Ngozi Okonkwo-Ihejirika")
            expect(row).to_contain_text("Not inside")
            trip.look("desk-tablet-search")
            row.get_by_role("button", name="Check in Ngozi Okonkwo-Ihejirika").click()
            expect(page.locator(".flash-success")).to_contain_text("Ngozi Okonkwo-Ihejirika is checked in.")
            expect(page.locator(".desk-row", has_text="Ngozi")).to_contain_text("Inside")
            page.get_by_role("link", name="Inside now").click()
            expect(page.locator(".desk-row")).to_have_count(1)
            trip.look("desk-tablet-inside")
            assert page.evaluate("document.documentElement.scrollWidth") <= TABLET["width"]

            # The Overview's figures followed.
            _section(page, "Overview")
            assert _figure(page, "approved") == approved + 2
            assert _figure(page, "inside") == inside + 1
            expect(page.get_by_text(re.compile("No application is waiting"))).to_be_visible()
            trip.look("overview-after")
    finally:
        remove_files()
