"""The public application form: submission, emails and every kind of bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import AuditLog, Registration, RegistrationStatus
from eventapp.models.base import utcnow
from eventapp.registration.errors import DuplicateEmail, RegistrationError
from eventapp.registration.people import clean_photo
from tests.registration.conftest import PNG, applicant, form_data, open_meeting, outbox, person


def _count() -> int:
    return db.session.scalar(select(func.count(Registration.id))) or 0


def test_application_is_submitted_and_emailed_with_the_meeting_calendar(client: FlaskClient) -> None:
    meeting = open_meeting()
    response = client.post(f"/meetings/{meeting.slug}/apply", data=form_data(email="Amina@Example.org"))
    assert response.status_code == 302 and "/r/" in response.headers["Location"]
    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.email == "amina@example.org"
    assert registration.consent_data_processing and not registration.consent_participant_list
    [message] = outbox("amina@example.org")
    assert "received" in message.subject.lower()
    assert [a["filename"] for a in message.attachments] == [f"{meeting.slug}.ics"]
    assert message.attachments[0]["content_type"] == "text/calendar"
    manage_path = response.headers["Location"].split("localhost")[-1]
    assert manage_path in message.body_text
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Submitted" in page
    assert "Thank you: your application was received." in page  # the flash message, shown once
    assert "your application was received" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_browser_form_with_no_photo_chosen_is_accepted(client: FlaskClient) -> None:
    import io

    meeting = open_meeting()
    # What a browser sends for a file field left empty: a part with no file name.
    data = {**form_data(), "photo": (io.BytesIO(b""), "", "application/octet-stream")}
    response = client.post(f"/meetings/{meeting.slug}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.photo_filename is None and len(outbox("amina@example.org")) == 1


@pytest.mark.parametrize(
    ("given", "family", "stored", "shown"),
    [
        ("فاطمة", "الزهراء", ("فاطمة", "الزهراء"), "فاطمة الزهراء"),  # Arabic
        ("秀英", "王", ("秀英", "王"), "王秀英"),  # Chinese: family name first, no space
        ("प्रिया", "शर्मा", ("प्रिया", "शर्मा"), "प्रिया शर्मा"),  # Devanagari
        # Combining diacritics are stored composed (NFC), so every font prints them on their letter.
        ("Zoe\u0308", "Nguye\u0302\u0303n", ("Zoë", "Nguyễn"), "Zoë Nguyễn"),
    ],
)
def test_names_in_every_script_are_kept_exactly(
    client: FlaskClient, given: str, family: str, stored: tuple[str, str], shown: str
) -> None:
    meeting = open_meeting()
    response = client.post(f"/meetings/{meeting.slug}/apply", data=form_data(given_name=given, family_name=family))
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert (registration.given_name, registration.family_name) == stored
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert shown in page


def test_html_in_input_is_escaped(client: FlaskClient) -> None:
    meeting = open_meeting()
    response = client.post(
        f"/meetings/{meeting.slug}/apply", data=form_data(given_name="<script>alert(1)</script>", family_name="X")
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_second_registration_with_the_same_email_offers_the_manage_link(client: FlaskClient) -> None:
    meeting = open_meeting()
    applicant(meeting, "amina@example.org")
    response = client.post(
        f"/meetings/{meeting.slug}/apply",
        data=form_data(email="AMINA@example.org", given_name="Aminata", motivation="Second try"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "already registered for this meeting" in page
    assert 'id="email-error"' in page
    assert f"/meetings/{meeting.slug}/resend-link?email=" in page
    assert 'value="Aminata"' in page and "Second try" in page  # what was typed is kept
    assert _count() == 1


def test_unique_constraint_race_becomes_the_same_clear_message(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = open_meeting()
    applicant(meeting, "amina@example.org")
    # The other request committed between our check and our insert.
    monkeypatch.setattr("eventapp.registration.store.email_taken", lambda *a, **k: False)
    with pytest.raises(DuplicateEmail) as caught:
        applicant(meeting, "amina@example.org")
    assert caught.value.field == "email"
    assert _count() == 1
    assert len(outbox()) == 1  # the failed one queued nothing


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"given_name": ""}, "given_name"),
        ({"family_name": "x" * 101}, "family_name"),
        ({"motivation": "y" * 2001}, "motivation"),
        ({"consent_data_processing": None}, "consent_data_processing"),
        ({"category": "delegate"}, "category"),
        ({"country": "XYZ"}, "country"),
        ({"needs_visa_letter": "y"}, "passport_number"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_stored(
    client: FlaskClient, overrides: dict[str, object], field: str
) -> None:
    meeting = open_meeting()
    response = client.post(f"/meetings/{meeting.slug}/apply", data=form_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert 'value="Femmes pour la paix"' in page  # the rest of the form is kept
    assert _count() == 0 and outbox() == []


def test_failed_write_leaves_nothing_half_stored(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = open_meeting()

    def broken(registration: Registration, **_: object) -> None:
        raise RuntimeError("mail store down")

    monkeypatch.setattr("eventapp.registration.applications.notify_submitted", broken)
    with pytest.raises(RuntimeError):
        applicant(meeting, "amina@example.org", photo=PNG)
    assert _count() == 0
    assert db.session.scalar(select(func.count(AuditLog.id))) == 0
    uploads = Path(app.config["UPLOAD_FOLDER"])  # type: ignore[attr-defined]
    assert list(uploads.glob("*")) == []


def test_photo_is_checked_and_stored(app: object) -> None:
    meeting = open_meeting()
    registration = applicant(meeting, "amina@example.org", photo=PNG)
    stored = Path(app.config["UPLOAD_FOLDER"]) / registration.photo_filename  # type: ignore[attr-defined]
    assert registration.photo_filename.endswith(".png") and stored.read_bytes() == clean_photo(PNG).data
    with pytest.raises(RegistrationError) as fake:
        applicant(meeting, "b@example.org", photo=b"GIF89a not really")
    assert fake.value.field == "photo"
    with pytest.raises(RegistrationError) as huge:
        applicant(meeting, "c@example.org", photo=PNG + b"\0" * (2 * 1024 * 1024))
    assert "2 MB" in str(huge.value)


def test_photo_upload_through_the_form(client: FlaskClient, app: object) -> None:
    import io

    meeting = open_meeting()
    data = form_data()
    data["photo"] = (io.BytesIO(b"%PDF-1.4 pretending"), "me.jpg")
    response = client.post(f"/meetings/{meeting.slug}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="photo-error"' in response.get_data(as_text=True)
    data = form_data()
    data["photo"] = (io.BytesIO(PNG), "me.png")
    response = client.post(f"/meetings/{meeting.slug}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(select(Registration)).photo_filename.endswith(".png")


@pytest.mark.parametrize("window", ["closed", "not_yet", "none"])
def test_closed_registration_shows_a_friendly_page_without_a_form(client: FlaskClient, window: str) -> None:
    from datetime import timedelta

    now = utcnow()
    times = {
        "closed": {"registration_opens_at": now - timedelta(days=9), "registration_closes_at": now - timedelta(days=1)},
        "not_yet": {
            "registration_opens_at": now + timedelta(days=2),
            "registration_closes_at": now + timedelta(days=9),
        },
        "none": {"registration_opens_at": None, "registration_closes_at": None},
    }[window]
    meeting = open_meeting(**times)
    page = client.get(f"/meetings/{meeting.slug}/apply")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "Registration is not open" in text and "<form" not in text.split("</header>")[1]
    assert client.post(f"/meetings/{meeting.slug}/apply", data=form_data()).status_code == 403
    assert _count() == 0


def test_passport_is_encrypted_at_rest(app: object) -> None:
    from datetime import date

    meeting = open_meeting()
    registration = applicant(
        meeting,
        "amina@example.org",
        needs_visa_letter=True,
        passport_number="A1234567",
        passport_expiry=date(2040, 1, 1),
        passport_country="SEN",
    )
    assert "A1234567" not in (registration.passport_number_encrypted or "")
    from eventapp.privacy.crypto import decrypt_text

    assert decrypt_text(registration.passport_number_encrypted) == "A1234567"
    assert decrypt_text(registration.passport_expiry_encrypted) == "2040-01-01"
    assert registration.passport_country == "SEN"
    with pytest.raises(RegistrationError) as expired:
        applicant(
            meeting,
            "b@example.org",
            needs_visa_letter=True,
            passport_number="B1",
            passport_expiry=meeting.starts_on,
            passport_country="SEN",
        )
    assert expired.value.field == "passport_expiry"


def test_passport_details_are_dropped_when_no_letter_is_needed(app: object) -> None:
    meeting = open_meeting()
    registration = applicant(meeting, "amina@example.org", passport_number="A1234567", passport_country="SEN")
    assert registration.passport_number_encrypted is None and registration.passport_country is None


def test_person_data_shape() -> None:
    assert person().email == "amina@example.org"


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, tmp_path: Path) -> dict[str, object]:
        return {"UPLOAD_FOLDER": str(tmp_path / "uploads"), "WTF_CSRF_ENABLED": True}

    def _token(self, client: FlaskClient, slug: str, **kwargs: object) -> str:
        match = CSRF_FIELD.search(client.get(f"/meetings/{slug}/apply", **kwargs).get_data(as_text=True))
        assert match
        return match.group(1)

    def test_a_missing_or_forged_token_is_refused_and_nothing_is_stored(self, client: FlaskClient) -> None:
        meeting = open_meeting()
        self._token(client, meeting.slug)
        for token in ("", "forged.token.value"):
            response = client.post(f"/meetings/{meeting.slug}/apply", data={**form_data(), "csrf_token": token})
            assert response.status_code == 400
        assert _count() == 0 and outbox() == []

    def test_the_form_token_is_accepted(self, client: FlaskClient) -> None:
        meeting = open_meeting()
        token = self._token(client, meeting.slug)
        response = client.post(f"/meetings/{meeting.slug}/apply", data={**form_data(), "csrf_token": token})
        assert response.status_code == 302 and _count() == 1

    def test_over_https_the_same_site_referrer_is_required(self, client: FlaskClient) -> None:
        meeting = open_meeting()
        https = {"base_url": "https://localhost"}
        token = self._token(client, meeting.slug, **https)
        url = f"/meetings/{meeting.slug}/apply"
        data = {**form_data(), "csrf_token": token}
        assert client.post(url, data=data, **https).status_code == 400
        assert _count() == 0
        referer = {"Referer": f"https://localhost{url}"}
        response = client.post(url, data=data, headers=referer, **https)
        assert response.status_code == 302 and "Strict-Transport-Security" in response.headers


class TestRateLimit:
    @pytest.fixture
    def app_config(self, tmp_path: Path) -> dict[str, object]:
        return {
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_PUBLIC_FORMS": "3 per minute",
        }

    def test_each_submission_counts_once_whatever_its_answer(self, client: FlaskClient) -> None:
        meeting = open_meeting()
        url = f"/meetings/{meeting.slug}/apply"
        assert client.post(url, data=form_data(email="a@example.org")).status_code == 302
        assert client.post(url, data=form_data(email="a@example.org")).status_code == 422  # already registered
        assert client.get(url).status_code == 200  # opening the form is not counted
        assert client.post(url, data=form_data(email="b@example.org")).status_code == 302
        over = client.post(url, data=form_data(email="c@example.org"))
        assert over.status_code == 429 and over.headers["Retry-After"]
        assert _count() == 2 and outbox("c@example.org") == []
