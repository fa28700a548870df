"""The agenda's local-time toggle in a real browser set to another time zone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.agenda.builders import add_session
from tests.conftest import add_meeting, services_required

CHROMIUM = "/usr/bin/chromium"


def _require_browser() -> None:
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "playwright is not installed (pip install -r requirements-dev.txt)"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (apt install chromium)"
    if reason:
        if services_required():
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_toggle_shows_the_viewers_local_time_and_back(app: Flask, live_server: str) -> None:
    _require_browser()
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
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
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
            assert "Asia/Tokyo" in page.locator("[data-zone-name]").inner_text()
            page.get_by_role("button", name="Show the meeting's time (America/New_York)").click()
            assert first_time.inner_text() == "09:00"
            assert errors == []
        finally:
            browser.close()
