"""Journey: the secretariat invites a host, who sets a password and an authenticator, signs in with
codes (a replayed and a wrong one refused, a recovery code once), makes a scanning device for a
phone; the secretariat revokes it, its next scan is refused, and the audit page shows each step.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect

from eventapp.extensions import db
from eventapp.models import CheckIn, SecondFactor
from eventapp.models.base import utcnow
from eventapp.privacy.crypto import encrypt_text
from tests.auth.accounts_helpers import code_at
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import PASSWORD, Users, add_meeting
from tests.e2e.harness import journey, sign_out

ADMIN_SECRET = pyotp.random_base32()
HOST_EMAIL = "kari.nordmann@mfa.example.no"
HOST_PASSWORD = "fjords under a winter sky"


@pytest.fixture
def app_config(tmp_path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads"), "TWO_FACTOR_FOR_STAFF": True}


def _password_step(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def _code(page: Page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def _scan(page: Page, token: str) -> None:
    field = page.get_by_label("Badge code")
    field.click()
    field.press_sequentially(token, delay=0)
    field.press("Enter")


def test_invite_a_host_two_factor_and_a_scanning_device(browser, live_server, users: Users) -> None:
    meeting = add_meeting("2031-oslo", title="Capital-level meeting in Oslo", city="Oslo", timezone="Europe/Oslo")
    first, second = (badge_for(add_registration(meeting, g, f)) for g, f in (("Amina", "Diallo"), ("Ingrid", "Berg")))
    db.session.add(
        SecondFactor(user_id=users.admin.id, secret_encrypted=encrypt_text(ADMIN_SECRET), confirmed_at=utcnow())
    )
    db.session.commit()
    admin_totp, base = pyotp.TOTP(ADMIN_SECRET), live_server

    with journey(browser, "accounts-admin") as (admin, _), journey(browser, "accounts-host") as (host, _):
        a = admin.page
        _password_step(a, base, users.admin.email, PASSWORD)
        expect(a.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
        admin.look("admin-code")
        _code(a, admin_totp.now())
        a.get_by_role("link", name="Accounts").click()
        a.get_by_role("link", name="Invite someone").click()
        a.get_by_label("Name").fill("Kari Nordmann")
        a.get_by_label("Email").fill(HOST_EMAIL)
        a.get_by_label("Role").select_option("host")
        admin.look("invite-form")
        a.get_by_role("button", name="Send the invitation").click()
        expect(a.locator(".flash-success")).to_contain_text(HOST_EMAIL)
        admin.look("invited")
        a.get_by_role("link", name="Outbox").click()
        a.get_by_role("link", name="Your account for the WPS Focal Points Network").first.click()
        link = re.search(r"http://\S+/set-password/\S+", a.locator(".mail-body").inner_text()).group(0)
        admin.look("invitation-in-outbox")

        h = host.page
        h.goto(link)
        h.get_by_label("New password").fill("password2024")
        h.get_by_label("The same password again").fill("password2024")
        h.get_by_role("button", name="Set the password").click()
        expect(h.locator("#password-error")).to_contain_text("too common")
        host.look("common-password-refused")
        h.get_by_label("New password").fill(HOST_PASSWORD)
        h.get_by_label("The same password again").fill(HOST_PASSWORD)
        h.get_by_role("button", name="Set the password").click()
        expect(h.get_by_role("heading", name="Your password is set")).to_be_visible()
        h.get_by_role("link", name="Sign in").last.click()
        h.get_by_label("Email").fill(HOST_EMAIL)
        h.get_by_label("Password").fill(HOST_PASSWORD)
        h.get_by_role("button", name="Sign in").click()
        expect(h.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
        host.look("enrol-qr")
        secret = h.locator("#totp-secret").inner_text().replace(" ", "")
        totp = pyotp.TOTP(secret)
        h.get_by_label("Code from the app").fill(totp.now())
        h.get_by_role("button", name="Turn on").click()
        codes = h.locator("#recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        host.look("recovery-codes")
        h.get_by_role("link", name="I have kept them").click()

        # Out and in again with the next code; then that code again (replayed) and a wrong one.
        sign_out(host)
        next_code = code_at(totp, 1)
        _password_step(h, base, HOST_EMAIL, HOST_PASSWORD)
        _code(h, next_code)
        expect(h.locator(".flash-success")).to_contain_text(f"Signed in as {HOST_EMAIL}")
        sign_out(host)
        _password_step(h, base, HOST_EMAIL, HOST_PASSWORD)
        _code(h, next_code)
        expect(h.locator("#code-error")).to_contain_text("not right, or was used already")
        host.look("replayed-code-refused")
        _code(h, "000000" if "000000" not in {code_at(totp, d) for d in (-1, 0, 1)} else "999999")
        expect(h.locator("#code-error")).to_be_visible()
        _code(h, codes[0])
        expect(h.locator(".flash-warning")).to_contain_text("recovery code")
        host.look("signed-in-with-recovery-code")
        sign_out(host)
        _password_step(h, base, HOST_EMAIL, HOST_PASSWORD)
        _code(h, codes[0])
        expect(h.locator("#code-error")).to_be_visible()
        _code(h, codes[1])
        expect(h.locator(".flash-success")).to_contain_text(f"Signed in as {HOST_EMAIL}")

        # A device for the meeting, reached from the meeting's workspace.
        h.get_by_role("link", name="Capital-level meeting in Oslo").first.click()
        h.get_by_role("link", name="Open the workspace").click()
        h.get_by_role("navigation", name="Meeting workspace").get_by_role("link", name="Check-in").click()
        h.get_by_role("link", name="Scanning devices").click()
        h.get_by_label("Device name").fill("Main door phone")
        host.look("devices")
        h.get_by_role("button", name="Make the device link").click()
        expect(h.get_by_role("img", name="QR code of the device link")).to_be_visible()
        device_link = h.get_by_label("Device link").input_value()
        host.look("device-link-once")

        with journey(browser, "accounts-phone", viewport={"width": 390, "height": 844}, is_mobile=True) as (phone, _):
            p = phone.page
            p.goto(device_link)
            expect(p.locator("#bundle-state")).to_have_attribute("data-ready", "1")
            assert "#device=" not in p.url, "the token leaves the address bar"
            p.evaluate("document.getElementById('scanner').dataset.serverPatienceMs = '60000'")
            _scan(p, first)
            expect(p.locator("#result")).to_have_attribute("data-result", "admitted")
            expect(p.locator("#result-name")).to_have_text("Amina Diallo")
            phone.look("phone-admits")

            a.goto(f"{base}/meetings/{meeting.slug}/devices")
            row = a.locator("tr", has_text="Main door phone")
            expect(row).not_to_contain_text("No scan yet")
            row.get_by_role("button", name="Revoke").click()
            expect(a.locator(".flash-success")).to_contain_text("is revoked")
            admin.look("device-revoked")

            _scan(p, second)
            expect(p.locator("#result")).to_have_attribute("data-result", "invalid")
            expect(p.locator("#result-reason")).to_contain_text("revoked")
            expect(p.locator("#device-refused")).to_be_visible()
            phone.look("phone-refused")
        db.session.expire_all()
        assert [c.registration.full_name for c in db.session.query(CheckIn)] == ["Amina Diallo"]

        a.reload()
        expect(a.locator("tr", has_text="Main door phone")).to_contain_text("1 request refused since")
        a.get_by_role("link", name="Accounts").click()
        a.get_by_role("link", name="Audit log").click()
        log = a.locator("#audit-log")
        for action in (
            "user.invite",
            "user.invitation_accepted",
            "user.two_factor_on",
            "user.sign_in",
            "user.code_refused",
            "user.recovery_code_used",
            "device.create",
            "device.revoke",
        ):
            expect(log).to_contain_text(action)
        admin.look("audit-log")
        a.get_by_label("Person concerned").fill("kari")
        a.get_by_role("button", name="Show").click()
        expect(log).to_contain_text("user.two_factor_on")
        expect(log).not_to_contain_text("device.create")
        admin.look("audit-log-filtered")

        # The member's page: the secretariat records a focal point; the public page does not show it.
        a.get_by_role("link", name="Members").first.click()
        a.get_by_role("link", name="Romania", exact=True).click()
        a.get_by_role("link", name="Add a focal point").click()
        a.get_by_label("Name").fill("Ioana Popescu")
        a.get_by_label("Title or function").fill("Director, Human Rights and Gender")
        a.get_by_label("Ministry or office").fill("Ministry of Foreign Affairs")
        a.get_by_label("Email").fill("ioana.popescu@mae.example.ro")
        a.get_by_label("Phone").fill("+40 21 555 0101")
        a.get_by_label("Focal point since").fill("2023-03-01")
        admin.look("focal-point-form")
        a.get_by_role("button", name="Save").click()
        expect(a.locator(".contact-cards")).to_contain_text("ioana.popescu@mae.example.ro")
        admin.look("member-page")
        h.goto(f"{base}/members/ROU")
        expect(h.locator(".contact-cards")).to_contain_text("Ioana Popescu")
        sign_out(host)
        h.goto(f"{base}/members/ROU")
        expect(h.get_by_role("heading", name="Romania")).to_be_visible()
        assert "ioana.popescu" not in h.content()
        host.look("member-page-public")
