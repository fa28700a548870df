"""Journey (d): door staff scan through the keyboard-wedge field, lose the network, and the queue syncs once."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from eventapp.extensions import db
from eventapp.models import CheckIn, ScanResult
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import Users, add_meeting
from tests.e2e.harness import journey, sign_in


def _scan(page: Page, token: str) -> None:
    """What a USB or Bluetooth scanner does: type the code into the focused field, then Enter."""
    field = page.get_by_label("Badge code")
    field.click()
    field.press_sequentially(token, delay=0)
    field.press("Enter")


def _wait_for_the_server(page: Page) -> None:
    """However slow this machine is, scans made online show the server's own answer."""
    page.evaluate("document.getElementById('scanner').dataset.serverPatienceMs = '60000'")


def _checkins() -> list[CheckIn]:
    db.session.expire_all()
    return db.session.query(CheckIn).order_by(CheckIn.id).all()


def test_staff_scan_online_then_offline_and_the_queue_syncs_once(browser, live_server, users: Users) -> None:
    meeting = add_meeting()
    amina = badge_for(add_registration(meeting, "Amina", "Diallo", organisation="Femmes pour la paix"))
    wang = add_registration(meeting, "芳", "王", organisation="中国妇女研究会")
    offline_token = badge_for(wang)

    with journey(browser, "scanner") as (trip, context):
        page = trip.page
        sign_in(trip, live_server, users.scanner.email, "staff-sign-in")
        page.get_by_role("link", name="Scanner").click()
        expect(page.locator("#bundle-state")).to_have_attribute("data-ready", "1")
        expect(page.locator("#net-state")).to_have_text("Online")
        _wait_for_the_server(page)
        trip.look("scanner-ready")

        _scan(page, amina)
        result = page.locator("#result")
        expect(result).to_have_attribute("data-result", "admitted")
        expect(page.locator("#result-title")).to_have_text("Admitted")
        expect(result).to_have_attribute("data-source", "server")
        expect(page.locator("#result-name")).to_have_text("Amina Diallo")
        expect(page.locator("#result-category")).to_contain_text("Civil society")  # a word, not only green
        trip.look("admitted")

        _scan(page, amina)
        expect(result).to_have_attribute("data-result", "already_inside")
        expect(page.locator("#result-title")).to_have_text("Already inside")
        trip.look("already-inside")
        assert [c.result for c in _checkins()] == [ScanResult.ADMITTED, ScanResult.ALREADY_INSIDE]

        context.set_offline(True)
        expect(page.locator("#net-state")).to_contain_text("Offline")
        _scan(page, offline_token)
        expect(page.locator("#queue-state")).to_have_attribute("data-count", "1")
        expect(result).to_have_attribute("data-result", "admitted")  # judged in the browser
        expect(result).to_have_attribute("data-source", "offline")
        expect(page.locator("#result-source")).to_have_text("Checked on this device — offline; will sync")
        expect(page.locator("#result-name")).to_have_text("王芳")  # family name first
        nonce = result.get_attribute("data-nonce")
        trip.look("offline-queued")
        assert nonce and len(_checkins()) == 2

        # Back online, the first sync reaches the server but its answer is lost on the way back:
        # the scan stays queued on the phone and is sent again, and must still count once.
        lost: list[str] = []

        def lose_first_answer(route: Route) -> None:
            if lost:
                route.continue_()
                return
            route.fetch()
            lost.append(route.request.post_data_json["nonce"])
            route.abort()

        page.route("**/api/v1/meetings/*/scans", lose_first_answer)
        with page.expect_event("requestfailed"):
            context.set_offline(False)
        assert lost == [nonce]
        expect(page.locator("#net-state")).to_have_text("Online")
        assert len([c for c in _checkins() if c.nonce == nonce]) == 1
        page.get_by_role("button", name="Sync now").click()
        expect(page.locator("#queue-state")).to_have_attribute("data-count", "0", timeout=15_000)
        trip.look("back-online-synced")

    rows = _checkins()
    assert len(rows) == 3
    queued = [c for c in rows if c.nonce == nonce]
    assert len(queued) == 1
    assert queued[0].registration_id == wang.id and queued[0].result == ScanResult.ADMITTED


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return box


def test_scanner_page_works_one_handed_on_a_phone(browser, live_server, users: Users) -> None:
    meeting = add_meeting()
    token = badge_for(add_registration(meeting, "Nino", "Beridze"))
    width, height = PHONE["viewport"]["width"], PHONE["viewport"]["height"]  # type: ignore[index]

    with journey(browser, "scanner-phone", **PHONE) as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.scanner.email, "staff-sign-in")
        page.goto(f"{live_server}/meetings/{meeting.slug}/scanner")
        expect(page.locator("#bundle-state")).to_have_attribute("data-ready", "1")
        trip.look("phone-ready")

        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        controls = ["#checkpoint", ".direction label", "#wedge", "#wedge-form button", "#camera-toggle", "#sync-now"]
        for selector in controls:
            box = _box(page, selector)
            assert box["height"] >= 44, f"{selector} is a small target: {box}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{selector} leaves the screen: {box}"
        # The code field and its button sit in the lower half of the first screen, under the thumb.
        for selector in ["#wedge", "#wedge-form button"]:
            box = _box(page, selector)
            assert height / 2 <= box["y"] and box["y"] + box["height"] <= height, f"{selector}: {box}"

        _scan(page, token)
        expect(page.locator("#result")).to_have_attribute("data-result", "admitted")
        trip.look("phone-admitted")
        result = _box(page, "#result")
        assert result["height"] >= 140 and result["width"] >= width - 40
        assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('result-title')).fontSize)") >= 28
        assert page.evaluate("parseFloat(getComputedStyle(document.getElementById('result-name')).fontSize)") >= 24
        # The field keeps the focus, so the next badge can be scanned at once.
        assert page.evaluate("document.activeElement.id") == "wedge"


def test_a_slow_server_does_not_hold_the_door(browser, live_server, users: Users) -> None:
    meeting = add_meeting()
    nino = add_registration(meeting, "Nino", "Beridze")
    token = badge_for(nino)

    with journey(browser, "scanner-slow-server", **PHONE) as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.scanner.email, "staff-sign-in")
        page.goto(f"{live_server}/meetings/{meeting.slug}/scanner")
        expect(page.locator("#bundle-state")).to_have_attribute("data-ready", "1")

        # The server gets each scan's first request only when the test lets it go; any later
        # request (the queue's sync) goes straight through.
        held: list[Route] = []
        seen: set[str] = set()

        def hold_first_send(route: Route) -> None:
            nonce = route.request.post_data_json["nonce"]
            if nonce in seen:
                route.continue_()
                return
            seen.add(nonce)
            held.append(route)

        page.route("**/api/v1/meetings/*/scans", hold_first_send)
        result = page.locator("#result")
        source = page.locator("#result-source")
        queue = page.locator("#queue-state")

        # 1. Waved in on this device's verdict; the late answer then takes the queued copy's place.
        _scan(page, token)
        expect(result).to_have_attribute("data-source", "slow")
        expect(result).to_have_attribute("data-result", "admitted")
        expect(page.locator("#result-title")).to_have_text("Admitted")
        expect(source).to_have_text("Checked on this device — the server is slow; will sync")
        expect(page.locator("#result-name")).to_have_text("Nino Beridze")
        expect(queue).to_have_attribute("data-count", "1")
        trip.look("judged-on-the-phone")
        entering = result.get_attribute("data-nonce")
        assert entering and [r.request.post_data_json["nonce"] for r in held] == [entering]

        held[0].continue_()
        expect(queue).to_have_attribute("data-count", "0")
        expect(result).to_have_attribute("data-source", "server")  # the screen still showed this scan
        expect(source).to_have_text("")
        expect(page.locator("#result-title")).to_have_text("Admitted")
        trip.look("server-answer-arrived")
        assert [(c.nonce, c.result) for c in _checkins()] == [(entering, ScanResult.ADMITTED)]

        # 2. On the way out the queue syncs first; the held request arrives after, and is the same scan.
        page.get_by_label("Out").check()
        _scan(page, token)
        expect(result).to_have_attribute("data-source", "slow")
        expect(result).to_have_attribute("data-result", "exited")
        expect(queue).to_have_attribute("data-count", "1")
        leaving = result.get_attribute("data-nonce")
        assert leaving and leaving != entering and len(held) == 2
        page.get_by_role("button", name="Sync now").click()
        expect(queue).to_have_attribute("data-count", "0")
        assert [c.nonce for c in _checkins()] == [entering, leaving]
        with page.expect_response("**/api/v1/meetings/*/scans") as late:
            held[1].continue_()
        assert late.value.json()["duplicate"] is True
        expect(result).to_have_attribute("data-source", "server")
        trip.look("left-synced-then-late-answer")

    rows = _checkins()
    assert [(c.nonce, c.result, c.registration_id) for c in rows] == [
        (entering, ScanResult.ADMITTED, nino.id),
        (leaving, ScanResult.EXITED, nino.id),
    ]
