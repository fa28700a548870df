"""The agenda's local-time toggle in a real browser set to another time zone."""

from __future__ import annotations

from datetime import date

from flask import Flask

from tests.agenda.builders import add_session
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.conftest import add_meeting


def test_toggle_shows_the_viewers_local_time_and_back(app: Flask, live_server: str) -> None:
    require_browser()
    from playwright.sync_api import sync_playwright

    meeting = add_meeting(
        "2030-new-york",
        timezone="America/New_York",
        starts_on=date(2030, 11, 1),
        ends_on=date(2030, 11, 5),
        agenda_published=True,
    )
    # 09:00 in New York after the clock change is 14:00 UTC, 23:00 in Tokyo.
    add_session(meeting, "Opening", "2030-11-04 09:00", "2030-11-04 10:00")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        try:
            page = browser.new_context(timezone_id="Asia/Tokyo", locale="en-GB").new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server}/meetings/2030-new-york/agenda")
            first_time = page.locator("time[data-format='time']").first
            assert first_time.inner_text() == "09:00"
            toggle = page.get_by_role("button", name="Show my local time")
            toggle.click()
            assert first_time.inner_text() == "23:00"
            assert "Japan Standard Time" in page.locator("[data-zone-name]").inner_text()
            page.get_by_role("button", name="Show the meeting's time (New York time (EDT))").click()
            assert first_time.inner_text() == "09:00"
            assert page.locator("[data-zone-name]").inner_text() == "New York time (EDT)"
            assert errors == []
        finally:
            browser.close()
