"""Visa invitation letters: hosts and the registrant download a PDF whose text names the person."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from eventapp.extensions import db
from eventapp.models import Meeting, RegistrationStatus
from eventapp.registration.tokens import make_manage_token, revoke_manage_tokens
from tests.conftest import add_meeting
from tests.reports.helpers import add_registration


@pytest.fixture
def meeting(app) -> Meeting:
    return add_meeting(
        "2030-geneva",
        title="7th Capital-Level Meeting",
        starts_on=date(2030, 6, 3),
        ends_on=date(2030, 6, 5),
        country_iso3="CHE",
        host_ministry="Federal Department of Foreign Affairs",
        host_address="Bundesgasse 28\n3003 Bern",
        letter_signatory_name="Anna Muster",
        letter_signatory_title="Head of the Peace and Human Rights Division",
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def approved_with_passport(meeting: Meeting, **fields: object):
    values = {
        "given_name": "Олена",
        "family_name": "Коваленко",
        "nationality": "UKR",
        "needs_visa_letter": True,
        "passport_number": "FA123456",
        "status": RegistrationStatus.APPROVED,
    }
    values.update(fields)
    return add_registration(meeting, **values)


def test_host_downloads_the_letter(client, auth, users, meeting):
    person = approved_with_passport(meeting)
    auth.login("host@example.org")
    response = client.get(f"/meetings/{meeting.slug}/registrations/{person.id}/visa-letter.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.get_data())
    for expected in (
        "Олена Коваленко",
        "FA123456",
        "Ukraine",
        "3-5 June 2030",
        "Geneva",
        "7th Capital-Level Meeting",
        "Federal Department of Foreign Affairs",
        "Bundesgasse 28",
        "Anna Muster",
        "Head of the Peace and Human Rights Division",
    ):
        assert expected in text, expected


def test_registrant_downloads_their_own_letter_with_the_manage_token(client, meeting):
    person = approved_with_passport(meeting, given_name="Ελένη", family_name="Παπαδοπούλου", passport_number="GR998877")
    token = make_manage_token(person)
    response = client.get(f"/r/{token}/visa-letter.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data())
    assert "Ελένη Παπαδοπούλου" in text and "GR998877" in text and "3-5 June 2030" in text


def test_revoked_or_forged_tokens_get_nothing(client, meeting):
    person = approved_with_passport(meeting)
    token = make_manage_token(person)
    assert client.get(f"/r/{token}x/visa-letter.pdf").status_code == 404
    revoke_manage_tokens(person)
    db.session.commit()
    assert client.get(f"/r/{token}/visa-letter.pdf").status_code == 404


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"status": RegistrationStatus.SUBMITTED}, 403, "once the registration is approved"),
        ({"status": RegistrationStatus.WAITLISTED}, 403, "once the registration is approved"),
        ({"needs_visa_letter": False}, 404, "did not ask for a visa invitation letter"),
    ],
)
def test_letter_refused_when_not_approved_or_not_asked(client, auth, users, meeting, fields, status, message):
    person = approved_with_passport(meeting, **fields)
    response = client.get(f"/r/{make_manage_token(person)}/visa-letter.pdf")
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    auth.login("admin@example.org")
    response = client.get(f"/meetings/{meeting.slug}/registrations/{person.id}/visa-letter.pdf")
    assert response.status_code == status


def test_host_route_checks_the_meeting_and_the_role(client, auth, users, meeting):
    person = approved_with_passport(meeting)
    other = add_meeting("2031-nairobi")
    auth.login("fp@example.org")
    assert client.get(f"/meetings/{meeting.slug}/registrations/{person.id}/visa-letter.pdf").status_code == 403
    auth.logout()
    auth.login("host@example.org")
    assert client.get(f"/meetings/{other.slug}/registrations/{person.id}/visa-letter.pdf").status_code == 404


def test_letterhead_fields_are_edited_on_the_meeting_form(client, auth, users, meeting):
    auth.login("host@example.org")
    page = client.get(f"/meetings/{meeting.slug}/edit").get_data(as_text=True)
    assert 'value="Federal Department of Foreign Affairs"' in page
    form = {
        "kind": "capital_level",
        "title": meeting.title,
        "slug": meeting.slug,
        "city": "Geneva",
        "timezone": "Europe/Zurich",
        "starts_on": "2030-06-03",
        "ends_on": "2030-06-05",
        "status": "published",
        "delegation_quota": "4",
        "host_ministry": "Département fédéral des affaires étrangères",
        "host_address": "Palais fédéral ouest",
        "letter_signatory_name": "Jeanne Dupont",
        "letter_signatory_title": "Ambassadrice",
        "anonymise_after_days": "60",
    }
    response = client.post(f"/meetings/{meeting.slug}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert meeting.host_ministry == "Département fédéral des affaires étrangères"
    assert (meeting.letter_signatory_name, meeting.letter_signatory_title) == ("Jeanne Dupont", "Ambassadrice")
    assert meeting.anonymise_after_days == 60
    bad = client.post(f"/meetings/{meeting.slug}/edit", data={**form, "anonymise_after_days": "0"})
    assert bad.status_code == 422
    assert 'id="anonymise_after_days-error"' in bad.get_data(as_text=True)


def test_names_in_other_scripts_get_their_fonts(client, meeting):
    chinese = approved_with_passport(meeting, given_name="美玲", family_name="王", passport_number="E7654321")
    text = pdf_text(client.get(f"/r/{make_manage_token(chinese)}/visa-letter.pdf").get_data())
    assert "美" in text and "玲" in text and "王" in text and "E7654321" in text
    arabic = approved_with_passport(meeting, given_name="فاطمة", family_name="الزهراء", passport_number="P1122334")
    pdf = client.get(f"/r/{make_manage_token(arabic)}/visa-letter.pdf").get_data()
    assert b"NotoSansArabic" in pdf, "the Arabic name is set in a font that has its letters"
    assert "P1122334" in pdf_text(pdf)


def test_latin_letters_load_no_extra_font():
    from eventapp.reports.visa import fallback_families

    assert fallback_families("Ngũgĩ wa Thiong'o", "Олена", "Ελένη") == []
    assert fallback_families("美玲", "فاطمة", "שרה") == ["NotoSansArabic", "NotoSansCJK", "NotoSansHebrew"]
