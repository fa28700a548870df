"""The scanner page over its rate limit: a 429 keeps the scan queued and sends it later."""

from __future__ import annotations

import pytest
from flask import Flask

from eventapp.extensions import db, limiter
from eventapp.models import CheckIn
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import PASSWORD, Users, add_meeting


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_API": "30 per minute"}


def test_a_rate_limited_scan_is_queued_not_lost(app: Flask, users: Users, live_server: str) -> None:
    require_browser()
    from playwright.sync_api import sync_playwright

    meeting = add_meeting()
    first = badge_for(add_registration(meeting, "Ana", "Pop"))
    second = badge_for(add_registration(meeting, "Nino", "Beridze"))
    limiter.reset()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server}/login")
        page.fill("#email", "scanner@example.org")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server}/meetings/{meeting.slug}/scanner")
        page.wait_for_selector("#bundle-state[data-ready='1']", timeout=10_000)
        page.fill("#wedge", first)
        page.press("#wedge", "Enter")
        page.wait_for_selector("#result[data-result='admitted']", timeout=10_000)

        # The browser has no bearer token, so its budget is its address: use it up from here.
        client = app.test_client()
        while client.get("/api/v1/openapi.json").status_code != 429:
            pass
        page.fill("#wedge", second)
        page.press("#wedge", "Enter")
        page.wait_for_selector("#queue-state[data-count='1']", timeout=10_000)
        assert page.text_content("#result-name") == "Nino Beridze"  # judged on the device meanwhile
        page.click("#sync-now")  # still limited: the scan stays queued
        page.wait_for_timeout(500)
        assert page.get_attribute("#queue-state", "data-count") == "1"

        limiter.reset()  # the window has passed
        page.click("#sync-now")
        page.wait_for_selector("#queue-state[data-count='0']", timeout=10_000)
        browser.close()

    assert errors == []
    db.session.commit()
    assert db.session.query(CheckIn).count() == 2
