"""Journey (b): an applicant with an Arabic name applies, a host approves, the badge comes by the manage link."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Registration, RegistrationStatus
from tests.badges.test_pdf import page_text
from tests.conftest import Users
from tests.e2e.harness import journey, sign_in, sign_out
from tests.registration.conftest import open_meeting

GIVEN, FAMILY = "فاطمة", "الزهراء"
EMAIL = "fatima@peace.example.org"


def test_arabic_name_applies_is_approved_and_downloads_the_badge(browser, live_server, users: Users) -> None:
    meeting = open_meeting(title="Capital-Level Meeting, Amman 2030", city="Amman", timezone="Asia/Amman")

    with journey(browser, "application") as (trip, _context):
        page = trip.page
        page.goto(f"{live_server}/meetings/{meeting.slug}")
        trip.look("meeting-page")
        page.get_by_role("link", name="Apply to take part").click()
        page.get_by_label("I apply as").select_option(label="Civil society")
        page.get_by_label("Why you wish to take part").fill("Mediation between women's groups in the region.")
        page.get_by_label("Given name(s)").fill(GIVEN)
        page.get_by_label("Family name(s)").fill(FAMILY)
        page.get_by_label("Ministry or organisation").fill("شبكة النساء من أجل السلام")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Nationality").select_option("JOR")
        page.get_by_label("Country you work in").select_option("JOR")
        page.get_by_label("I agree that the secretariat and hosts process").check()
        trip.look("application-form-filled")
        page.get_by_role("button", name="Send my application").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{GIVEN} {FAMILY}")
        expect(page.locator(".status-line")).to_contain_text("Submitted")
        expect(page.get_by_role("link", name="My badge (PDF)")).to_have_count(0)
        trip.look("manage-page-submitted")

        sign_in(trip, live_server, users.host.email, "host-sign-in")
        page.goto(f"{live_server}/meetings/{meeting.slug}/review")
        page.get_by_label(f"{GIVEN} {FAMILY}").check()
        page.get_by_label("Decision").select_option(label="Approve")
        trip.look("review-queue")
        page.get_by_role("button", name="Apply the decision").click()
        # The queue shows those still waiting: the approved applicant leaves it, and shows under "All".
        expect(page.get_by_text("No application is waiting for a decision.")).to_be_visible()
        page.get_by_label("Status").select_option(label="All")
        page.get_by_role("button", name="Filter").click()
        expect(page.get_by_role("row", name=re.compile(FAMILY))).to_contain_text("Approved")
        trip.look("review-queue-approved")
        sign_out(trip)

        # The applicant's mail, read where the app keeps it outside production.
        sign_in(trip, live_server, users.admin.email, "admin-sign-in")
        page.get_by_role("link", name="Outbox").click()
        trip.look("outbox")
        approved = page.get_by_role("row", name=re.compile(EMAIL)).filter(has_text="Your place is confirmed")
        approved.get_by_role("link").click()
        body = page.locator(".mail-body").inner_text()
        trip.look("approval-email")
        sign_out(trip)
        manage_url = re.search(r"https?://\S+/r/\S+", body)
        assert manage_url, body

        page.goto(manage_url.group(0))
        expect(page.locator(".status-line")).to_contain_text("Approved")
        trip.look("manage-page-approved")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="My badge (PDF)").click()
        pdf = download_info.value.path().read_bytes()

    assert pdf.startswith(b"%PDF-")
    text = page_text(pdf)
    assert "CIVIL SOCIETY" in text  # the category is written out, not only a colour band
    assert meeting.title in text
    db.session.expire_all()
    person = db.session.scalars(select(Registration)).one()
    assert (person.given_name, person.family_name) == (GIVEN, FAMILY)
    assert person.status == RegistrationStatus.APPROVED
