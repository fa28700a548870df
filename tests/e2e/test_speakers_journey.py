"""Journey: a speakers' list from the host's setup to the record of who spoke.

The host sets up the plenary's list; two focal points inscribe their delegations (a minister after
an ambassador); the host moves the ambassador ahead; the chair runs the console on a tablet
through three speakers (one of them while the network is down) with the room display open in a
second browser, which shows each change within two seconds; the host downloads who spoke.
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from eventapp.extensions import db
from eventapp.models import Role, Session, SessionType
from tests.conftest import add_meeting, add_member, add_user
from tests.e2e.harness import journey, sign_in, sign_out
from tests.speakers.conftest import Plenary, add_delegation

TABLET = {"width": 1024, "height": 768}
ROOM_SCREEN = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
#: Short, so the journey sees the count-down turn amber (at 30 s left) and red (at 0).
LIMIT_SECONDS = 20


def _seed() -> Plenary:
    meeting = add_meeting(
        "2030-geneva",
        title="Capital-Level Meeting, Geneva 2030",
        agenda_published=True,
        registration_opens_at=datetime.now().astimezone() - timedelta(days=1),
    )
    start = datetime.combine(meeting.starts_on, datetime.min.time()).replace(hour=10, tzinfo=meeting.zone)
    session = Session(
        meeting_id=meeting.id,
        title="Tour de table of the Member States",
        type=SessionType.PLENARY,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )
    db.session.add(session)
    db.session.commit()
    plenary = Plenary(meeting, session, None, add_user("host@example.org", Role.HOST))  # type: ignore[arg-type]
    add_delegation(plenary, add_member("ROU", "Romania"), ("H.E.", "Ioana", "Ștefănescu"))
    add_delegation(plenary, add_member("SEN", "Senegal"), ("S.E. Mme", "Aïssatou", "Ndiaye"))
    add_delegation(plenary, add_member("CAN", "Canada"), ("Ms", "Catherine", "Tremblay"))
    return plenary


def _within_two_seconds(page: Page, selector: str, text: str) -> float:
    """Seconds the display took to show `text` (fails past two)."""
    began = time.monotonic()
    expect(page.locator(selector)).to_have_text(text, timeout=2000)
    return time.monotonic() - began


def test_speakers_list_from_inscription_to_record(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    plenary = _seed()
    slug, session_id = plenary.meeting.slug, plenary.session.id
    delays: list[float] = []

    # The host sets up the list from the session's page.
    with journey(browser, "speakers-setup") as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, "host@example.org", "host-sign-in")
        page.goto(f"{live_server}/meetings/{slug}/agenda")
        page.get_by_role("link", name="Tour de table of the Member States").first.click()
        page.get_by_role("link", name="Set up a speakers' list").click()
        page.get_by_label("Minutes per speaker").fill("0")
        page.get_by_label("and seconds").fill("5")
        page.get_by_label("Publish the list").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#seconds-error, #minutes-error")).to_contain_text("between 15 seconds and 60 minutes")
        expect(page.get_by_label("Publish the list")).to_be_checked()  # what was typed stays
        trip.look("settings-error")
        page.get_by_label("and seconds").fill(str(LIMIT_SECONDS))
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash-success")).to_contain_text("was saved")
        trip.look("list-empty")

    # Two focal points inscribe: Romania an ambassador, then Senegal a minister (who goes first).
    for code, speaker, level, viewport in (
        ("rou", "H.E. Ioana Ștefănescu", "Ambassador or Permanent Representative", TABLET),
        ("sen", "S.E. Mme Aïssatou Ndiaye", "Minister", PHONE),
    ):
        with journey(browser, f"speakers-inscribe-{code}", viewport=viewport) as (trip, _context):
            page = trip.page
            sign_in(trip, live_server, f"fp-{code}@example.org")
            page.get_by_role("link", name="My delegation").click()
            page.get_by_role("link", name="Capital-Level Meeting, Geneva 2030", exact=True).click()
            page.get_by_role("link", name="Speakers' lists: inscribe the delegation to take the floor").click()
            trip.look("lists")
            page.get_by_role("link", name=re.compile("Inscribe the delegation")).click()
            page.get_by_label("Speaker").select_option(label=speaker)
            page.get_by_role("button", name="Inscribe").click()
            expect(page.locator("#level-error")).to_be_visible()  # the level is not guessed
            expect(page.get_by_label("Speaker")).to_have_value(str(plenary.speakers[code.upper()].id))
            page.get_by_label("Level of representation").select_option(label=level)
            trip.look("inscribe")
            page.get_by_role("button", name="Inscribe").click()
            expect(page.locator(".flash-success")).to_contain_text("is on the speakers' list")
            trip.look("inscribed")
            sign_out(trip)
    with journey(browser, "speakers-inscribe-can") as (trip, _context):
        sign_in(trip, live_server, "fp-can@example.org")
        trip.page.goto(f"{live_server}/delegations/{plenary.delegations['CAN'].id}/speakers/{session_id}")
        trip.page.get_by_label("Speaker").select_option(label="Ms Catherine Tremblay")
        trip.page.get_by_label("Level of representation").select_option(label="Focal point")
        trip.page.get_by_role("button", name="Inscribe").click()
        expect(trip.page.locator(".flash-success")).to_be_visible()

    with (
        journey(browser, "speakers-console", viewport=TABLET) as (trip, console_context),
        journey(browser, "speakers-display", viewport=ROOM_SCREEN) as (screen, _screen_context),
    ):
        page = trip.page
        sign_in(trip, live_server, "host@example.org", "host-sign-in")
        page.goto(f"{live_server}/meetings/{slug}/sessions/{session_id}")
        page.get_by_role("link", name="Speakers' list").click()
        rows = page.locator("#list tbody tr")
        expect(rows.nth(0)).to_contain_text("Senegal")
        expect(rows.nth(1)).to_contain_text("Romania")
        trip.look("order-by-level")
        page.get_by_role("button", name="Move up Romania").click()
        expect(page.locator(".flash-success")).to_contain_text("swapped places")
        expect(rows.nth(0)).to_contain_text("Romania")
        expect(rows.nth(1)).to_contain_text("Senegal")
        trip.look("romania-moved-up")

        # The chair opens the console from the workspace menu; the room's screen opens the display.
        page.get_by_role("link", name="Speakers' lists").first.click()
        page.get_by_role("link", name=re.compile("Chair's console")).click()
        expect(page.locator("[data-current-name]")).to_have_text("Nobody has the floor yet.")
        screen.page.goto(f"{live_server}/meetings/{slug}/sessions/{session_id}/speakers/display")
        expect(screen.page.locator("[data-next-one]")).to_have_text("Romania")
        screen.look("display-before")
        trip.look("console-before")

        expected = [
            ("Romania", "H.E. Ioana Ștefănescu"),
            ("Senegal", "S.E. Mme Aïssatou Ndiaye"),
            ("Canada", "Ms Catherine Tremblay"),
        ]
        for turn, (member, name) in enumerate(expected):
            page.get_by_role("button", name="Next speaker").click()
            expect(page.locator("[data-current-member]")).to_have_text(member)
            delays.append(_within_two_seconds(screen.page, "[data-current-member]", member))
            expect(screen.page.locator("[data-current-name]")).to_have_text(name)
            if turn == 1:  # the venue's network drops: the console keeps counting and sends later
                console_context.set_offline(True)
            page.get_by_role("button", name="Start").click()
            expect(page.locator("[data-countdown]")).to_have_class(re.compile("is-amber"))
            if turn == 1:
                expect(page.locator("[data-connection]")).to_contain_text("Connection lost", timeout=5000)
                time.sleep(3)
                before = page.locator("[data-countdown]").inner_text()
                trip.look("console-offline")
                assert before in {f"0:{s:02d}" for s in range(8, 19)}, before
                console_context.set_offline(False)
                expect(page.locator("[data-connection]")).to_have_text("Connected", timeout=5000)
            delays.append(_within_two_seconds(screen.page, "[data-countdown]", re.compile(r"0:1\d")))  # type: ignore[arg-type]
            if turn == 0:
                trip.look("console-amber")
                screen.look("display-amber")
            if turn == 2:
                expect(page.locator("[data-countdown]")).to_have_class(
                    re.compile("is-red"), timeout=LIMIT_SECONDS * 1000
                )
                expect(screen.page.locator("[data-countdown]")).to_have_class(re.compile("is-red"), timeout=3000)
                trip.look("console-red")
                screen.look("display-red")
        page.get_by_role("button", name="Next speaker").click()
        expect(page.locator("[data-current-name]")).to_have_text("Everyone on the list has spoken.")
        delays.append(_within_two_seconds(screen.page, "[data-current-name]", "Everyone on the list has spoken."))
        trip.look("console-finished")

        # After the session: who spoke, as a page and a CSV.
        page.get_by_role("link", name="Who spoke").first.click()
        expect(page.locator("table tbody tr")).to_have_count(3)
        trip.look("record")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows_csv = list(csv.reader(io.StringIO(text)))
        assert [r[1] for r in rows_csv[1:]] == ["Romania", "Senegal", "Canada"]
        assert all(r[7] == "yes" for r in rows_csv[1:])
        with page.expect_download() as pdf:
            page.get_by_role("link", name="Download PDF").click()
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    print(f"room display caught up in {max(delays):.2f} s at most ({len(delays)} changes)")
    assert max(delays) <= 2
