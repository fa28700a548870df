"""A host writes to "approved civil society" in French and English, and each recipient's email is in their language."""

from __future__ import annotations

from eventapp.extensions import db
from eventapp.models import Registration, RegistrationCategory, RegistrationStatus
from tests.conftest import Users, add_meeting
from tests.e2e.harness import journey, sign_in


def _person(meeting_id: int, given: str, family: str, locale: str, **fields: object) -> None:
    values: dict[str, object] = {"category": RegistrationCategory.CIVIL_SOCIETY, "status": RegistrationStatus.APPROVED}
    values.update(fields)
    db.session.add(
        Registration(
            meeting_id=meeting_id,
            given_name=given,
            family_name=family,
            email=f"{given.lower()}@example.org",
            locale=locale,
            **values,
        )
    )
    db.session.commit()


def test_host_sends_a_message_in_french_and_english(browser, live_server, users: Users) -> None:
    meeting = add_meeting("2030-geneva", title="Annual Meeting of the WPS Focal Points Network")
    _person(meeting.id, "Amina", "Diallo", "fr")
    _person(meeting.id, "Grace", "Mensah", "en")
    _person(meeting.id, "Mei", "Chen", "zh", category=RegistrationCategory.MEDIA)
    _person(meeting.id, "Omar", "Haddad", "ar", status=RegistrationStatus.SUBMITTED)

    with journey(browser, "messaging") as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.host.email)
        page.goto(f"{live_server}/")
        page.get_by_role("link", name="Open the workspace").first.click()
        page.wait_for_load_state("load")
        page.get_by_role("navigation", name="Meeting workspace").get_by_role("link", name="Messages").first.click()
        page.wait_for_load_state("load")
        trip.look("messages")

        page.get_by_role("link", name="Write a message").click()
        page.wait_for_load_state("load")
        assert page.get_by_label("Approved").is_checked()
        page.get_by_label("Civil society").check()
        page.get_by_label("Subject (English)").fill("Doors open at 8:00 for {meeting}")
        page.get_by_label("Text (English)").fill("Dear {name},\nthe doors open at 8:00.")
        page.locator("summary", has_text="Français").click()
        page.get_by_label("Subject (Français)").fill("Ouverture des portes à 8 h pour {meeting}")
        page.get_by_label("Text (Français)").fill("Chère, cher {name},\nles portes ouvrent à 8 h.")
        trip.look("compose")
        page.get_by_role("button", name="Preview who gets it").click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", name="2 people will get this message").is_visible()
        recipients = page.get_by_role("list", name="Who gets it").get_by_role("listitem")
        assert [text.split(" · ")[0] for text in recipients.all_inner_texts()] == ["Amina Diallo", "Grace Mensah"]
        page.get_by_text("As Amina Diallo reads it (Français)").click()
        assert page.get_by_text("Chère, cher Amina Diallo,", exact=False).is_visible()
        trip.look("preview")

        page.set_viewport_size({"width": 390, "height": 844})
        trip.look("preview-on-a-phone")
        page.set_viewport_size({"width": 1280, "height": 900})

        page.get_by_role("button", name="Send to 2 people").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Your message is on its way to 2 people.").is_visible()
        trip.look("sent-log")

        # Each recipient's email in the outbox, opened from the message's log.
        page.get_by_role("link", name="amina@example.org").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Ouverture des portes à 8 h pour Annual Meeting").first.is_visible()
        assert page.get_by_text("les portes ouvrent à 8 h.", exact=False).is_visible()
        trip.look("email-in-french")
        page.go_back()
        page.get_by_role("link", name="grace@example.org").click()
        page.wait_for_load_state("load")
        assert page.get_by_text("Doors open at 8:00 for Annual Meeting").first.is_visible()
        assert page.get_by_text("the doors open at 8:00.", exact=False).is_visible()
        trip.look("email-in-english")
