"""Journey: a host checks names before printing badges, replaces a photo, and prints nameplates.

From the meeting's workspace by clicking only: the Badges page flags a name no font prints, the
person's badge page shows the warning and a preview image of the badge, the host replaces the
photo, then opens Nameplates and seating, draws a letter and sees the seating order. The badge
page is looked at on a phone too.
"""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from eventapp.extensions import db
from eventapp.models import Registration, RegistrationCategory, RegistrationStatus
from tests.e2e.harness import journey, sign_in
from tests.security.world import EMAILS, build_world, remove_files

MENU = "nav[aria-label='Meeting workspace']"
PHONE = {"width": 390, "height": 844}
RARE = "\U0002ceb0"  # a Han character the CJK font lacks


def _portrait(path: Path) -> Path:
    """A landscape photo with a face-like disc: the crop keeps its middle, 3 wide by 4 high."""
    image = Image.new("RGB", (900, 600), (120, 160, 200))
    ImageDraw.Draw(image).ellipse((350, 150, 550, 400), fill=(230, 190, 160))
    image.save(path, "JPEG")
    return path


def test_a_host_checks_names_replaces_a_photo_and_prints_nameplates(browser, live_server, tmp_path) -> None:
    world = build_world()
    person = Registration(
        meeting_id=world.meeting_id,
        category=RegistrationCategory.ACADEMIA,
        status=RegistrationStatus.APPROVED,
        email="wang@example.org",
        given_name=RARE,
        family_name="王",
        latin_name="WANG Xi",
        organisation="Peking University",
        country="CHN",
        nationality="CHN",
    )
    db.session.add(person)
    db.session.commit()
    try:
        with journey(browser, "names-and-badges") as (trip, context):
            page = trip.page
            sign_in(trip, live_server, EMAILS["host"], "host-sign-in")
            page.get_by_role("link", name=re.compile(r"^Open the workspace\W+Matrix meeting$")).click()
            page.locator(MENU).get_by_role("link", name="Badges", exact=True).first.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Badges")
            flagged = page.get_by_role("row").filter(has_text="WANG Xi")
            expect(flagged).to_contain_text("U+2CEB0")
            trip.look("badges-a-name-flagged")

            flagged.get_by_role("link", name=f"王{RARE}").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Badge of")
            expect(page.get_by_role("alert").first).to_contain_text("WANG Xi")
            preview = page.get_by_role("img", name=re.compile("Preview of the badge"))
            expect(preview).to_be_visible()
            assert preview.evaluate("img => img.complete && img.naturalWidth > 300")
            trip.look("badge-page-warning-and-preview")

            page.get_by_label("New photo").set_input_files(str(_portrait(tmp_path / "portrait.jpg")))
            page.get_by_role("button", name=re.compile("^(Add|Replace) the photo$")).click()
            expect(page.locator(".flash-success")).to_contain_text("was replaced")
            photo = page.get_by_role("img", name=re.compile("^Photo of"))
            size = photo.evaluate("img => [img.naturalWidth, img.naturalHeight]")
            assert size[0] * 4 == size[1] * 3  # cut to 3:4 like the badge
            trip.look("badge-page-new-photo")

            page.locator(MENU).get_by_role("link", name="Nameplates and seating").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Nameplates and seating")
            page.get_by_label("Letter", exact=True).select_option("M")
            page.get_by_role("button", name="Draw or set the letter").click()
            expect(page.locator(".flash-success")).to_contain_text("from the letter M")
            first_state = page.get_by_role("row").filter(has_text="Member State").first
            expect(first_state).to_be_visible()
            trip.look("nameplates-and-seating")

            phone = context.new_page()
            phone.set_viewport_size(PHONE)
            phone.goto(f"{live_server}/meetings/{world.slug}/badges/people/{person.id}")
            expect(phone.get_by_role("img", name=re.compile("Preview of the badge"))).to_be_visible()
            phone.screenshot(path=str(trip.folder / "phone-badge-page.png"), full_page=True)
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        remove_files()
