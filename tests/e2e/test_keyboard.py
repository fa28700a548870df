"""The public application form with the keyboard alone: visible focus, errors tied to their fields."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Registration
from tests.e2e.harness import journey
from tests.registration.conftest import open_meeting

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    id: el.id, tag: el.tagName, text: (el.innerText || '').trim().slice(0, 80),
    focusVisible: el.matches(':focus-visible'),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
  };
}"""


def _tab_to(page: Page, wanted: str, *, limit: int = 60) -> None:
    """Press Tab until the element with id (or text starting with) `wanted` has the focus; every stop shows it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["tag"] != "BODY", f"Tab left the page before reaching {wanted!r}"
        assert focused["focusVisible"] and focused["ring"], f"focus is not visible on {focused}"
        if wanted == focused["id"] or focused["text"].startswith(wanted):
            return
    raise AssertionError(f"Tab never reached {wanted!r}")


def test_apply_with_the_keyboard_alone(browser, live_server) -> None:
    meeting = open_meeting()

    with journey(browser, "keyboard") as (trip, _context):
        page = trip.page
        page.goto(f"{live_server}/meetings/{meeting.slug}/apply")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to main content")
        expect(skip).to_be_focused()
        assert skip.bounding_box()["x"] >= 0  # shown on screen when focused
        trip.look("skip-link-focused")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

        _tab_to(page, "category")
        page.keyboard.type("Civil")  # a closed select picks the option typed
        expect(page.get_by_label("I apply as")).to_have_value("civil_society")
        _tab_to(page, "motivation")
        page.keyboard.type("Peace mediation in the Sahel for twenty years.")
        _tab_to(page, "given_name")
        page.keyboard.type("Aminata")
        _tab_to(page, "family_name")
        page.keyboard.type("Touré")
        _tab_to(page, "organisation")
        page.keyboard.type("Femmes pour la paix")
        _tab_to(page, "email")
        page.keyboard.type("aminata@")  # not an address yet
        _tab_to(page, "country")
        page.keyboard.type("Mali")
        expect(page.get_by_label("Country you work in")).to_have_value("MLI")
        _tab_to(page, "consent_data_processing")
        page.keyboard.press("Space")
        expect(page.get_by_label("I agree that the secretariat")).to_be_checked()
        trip.look("form-filled-by-keyboard")
        _tab_to(page, "Send my application")
        page.keyboard.press("Enter")

        # The error sits next to its field and the field points at it.
        email = page.get_by_label("Email")
        expect(page.get_by_role("alert")).to_contain_text("Please correct the highlighted fields")
        expect(email).to_have_attribute("aria-invalid", "true")
        described = email.get_attribute("aria-describedby") or ""
        assert "email-error" in described.split()
        expect(page.locator("#email-error")).to_contain_text("email address")
        expect(email).to_have_accessible_description("Invalid email address.")
        expect(page.get_by_label("Given name(s)")).to_have_value("Aminata")  # nothing typed is lost
        expect(page.get_by_label("I agree that the secretariat")).to_be_checked()
        assert page.get_by_label("Given name(s)").get_attribute("aria-invalid") is None
        trip.look("error-next-to-the-field")

        # From the error summary to the field, then fix it.
        _tab_to(page, "Email:")
        page.keyboard.press("Enter")
        expect(page.get_by_label("Email")).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("aminata@peace.example.org")
        trip.look("error-field-focused")
        _tab_to(page, "Send my application")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Aminata Touré")
        trip.look("application-received")

    db.session.expire_all()
    person = db.session.scalars(select(Registration)).one()
    assert (person.email, person.country, person.family_name) == ("aminata@peace.example.org", "MLI", "Touré")
