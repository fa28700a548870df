"""The scanner page in a real browser: online scan, offline queue, sync exactly once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventapp.extensions import db
from eventapp.models import CheckIn, ScanResult
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import PASSWORD, add_meeting

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "jsQR.js"


def test_offline_queue_syncs_exactly_once(app, users, live_server):
    require_browser()
    from playwright.sync_api import sync_playwright

    meeting = add_meeting()
    online_token = badge_for(add_registration(meeting, "Ana", "Pop"))
    offline_person = add_registration(meeting, "Nino", "Beridze")
    offline_token = badge_for(offline_person)
    db.session.commit()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server}/login")
        page.fill("#email", "scanner@example.org")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server}/meetings/{meeting.slug}/scanner")
        page.wait_for_selector("#bundle-state[data-ready='1']", timeout=10_000)
        # However slow this machine is, the online scan shows the server's own answer.
        page.evaluate("document.getElementById('scanner').dataset.serverPatienceMs = '60000'")

        page.fill("#wedge", online_token)
        page.press("#wedge", "Enter")
        page.wait_for_selector("#result[data-result='admitted']", timeout=10_000)
        assert page.get_attribute("#result", "data-source") == "server"
        assert page.text_content("#result-source") == ""
        assert page.text_content("#result-name") == "Ana Pop"
        db.session.commit()
        assert db.session.query(CheckIn).count() == 1

        context.set_offline(True)
        page.fill("#wedge", offline_token)
        page.press("#wedge", "Enter")
        page.wait_for_selector("#queue-state[data-count='1']", timeout=10_000)
        assert page.get_attribute("#result", "data-source") == "offline"
        assert page.text_content("#result-source") == "Checked on this device — offline; will sync"
        assert page.text_content("#result-title") == "Admitted"
        assert page.get_attribute("#result", "data-result") == "admitted"  # judged in the browser
        assert page.text_content("#result-name") == "Nino Beridze"
        nonce = page.get_attribute("#result", "data-nonce")
        assert nonce
        db.session.commit()
        assert db.session.query(CheckIn).filter_by(nonce=nonce).count() == 0

        # A forged badge offline is refused by the browser's own signature check.
        page.fill("#wedge", "B" + offline_token[1:])
        page.press("#wedge", "Enter")
        page.wait_for_selector("#queue-state[data-count='2']", timeout=10_000)
        assert page.get_attribute("#result", "data-result") == "invalid"

        context.set_offline(False)
        page.wait_for_selector("#queue-state[data-count='0']", timeout=15_000)
        page.click("#sync-now")
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_function("document.getElementById('scanner').dataset.syncedAt", timeout=10_000)
        browser.close()

    assert errors == []
    db.session.commit()
    queued = db.session.query(CheckIn).filter_by(nonce=nonce).all()
    assert len(queued) == 1
    assert queued[0].result == ScanResult.ADMITTED and queued[0].registration_id == offline_person.id
    assert db.session.query(CheckIn).count() == 3  # online scan, queued scan, forged scan


def test_scanner_page_has_no_inline_script_and_needs_the_role(client, auth, users):
    meeting = add_meeting()
    auth.login("fp@example.org")
    assert client.get(f"/meetings/{meeting.slug}/scanner").status_code == 403
    auth.logout()
    auth.login("scanner@example.org")
    page = client.get(f"/meetings/{meeting.slug}/scanner")
    assert page.status_code == 200
    assert "<script>" not in page.text and "onclick" not in page.text
    assert 'src="/static/js/scanner.js"' in page.text
    assert client.get("/scanner").headers["Location"].endswith(f"/meetings/{meeting.slug}/scanner")


def test_vendor_file_is_installed_when_npm_is_there():
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed; `make vendor` copies jsQR into static/vendor/")
    if not VENDOR.exists():
        pytest.fail("static/vendor/jsQR.js is missing: run `make vendor`")
