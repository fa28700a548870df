"""Marked strings reach the reader in their language: enum titles, badges, scripts, PDFs, errors, feeds.

Expected words are read from the catalogues, so translators may reword them without breaking these tests.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from functools import cache

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from pypdf import PdfReader

from eventapp.badges.batches import request_batch
from eventapp.badges.pdf import render_badges
from eventapp.extensions import db
from eventapp.i18n.catalogues import catalogue_path
from eventapp.models import Meeting, RegistrationCategory, SessionStatus
from tests.agenda.builders import add_session
from tests.checkin.builders import add_registration
from tests.conftest import AuthActions, Users, add_meeting


@cache
def translation(locale: str, msgid: str, plural_index: int = 0) -> str:
    with catalogue_path(locale).open("rb") as po:
        message = read_po(po, locale=locale).get(msgid)
    assert message is not None and not message.fuzzy, f"{locale}: {msgid!r} is not in the catalogue"
    text = message.string[plural_index] if isinstance(message.string, tuple) else message.string
    assert text, f"{locale}: {msgid!r} is not translated"
    return text


def pdf_text(pdf: bytes) -> str:
    """Text of every page, without the control characters some shaped glyphs extract as."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cc")


@pytest.fixture
def meeting(app: Flask) -> Meeting:
    return add_meeting("2030-paris", city="Paris", agenda_published=True)


def test_enum_titles_are_translated_when_read(app: Flask) -> None:
    with force_locale("fr"):
        assert SessionStatus.CANCELLED.label == translation("fr", "Cancelled") != "Cancelled"
    with force_locale("en"):
        assert SessionStatus.CANCELLED.label == "Cancelled"
    assert SessionStatus.CANCELLED.english_label == "Cancelled"


def test_select_options_of_enums_follow_the_page_language(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    auth.login("host@example.org")
    page = client.get(f"/meetings/{meeting.slug}/agenda/sessions/new", headers={"Accept-Language": "fr"})
    assert f'<option value="cancelled">{translation("fr", "Cancelled")}</option>' in page.get_data(as_text=True)


def test_a_persons_badge_prints_the_category_in_their_language(app: Flask, meeting: Meeting, member) -> None:
    person = add_registration(meeting, "Ana", "Pop", member=member)
    person.locale = "fr"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        french = pdf_text(render_badges(meeting, [person], "a6", locale=person.locale))
        english = pdf_text(render_badges(meeting, [person], "a6"))
    assert translation("fr", "Member delegation").upper() in french
    assert "MEMBER DELEGATION" in english and "MEMBER DELEGATION" not in french


def test_badge_download_uses_the_registrants_language(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting, member
) -> None:
    person = add_registration(meeting, "Ana", "Pop", member=member)
    person.locale = "es"
    db.session.commit()
    auth.login("host@example.org")
    response = client.get(f"/meetings/{meeting.slug}/badges/{person.id}.pdf", headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    assert translation("es", "Member delegation").upper() in pdf_text(response.data)


def test_a_batch_is_printed_in_the_language_of_whoever_asked(app: Flask, meeting: Meeting, member, tmp_path) -> None:
    app.instance_path = str(tmp_path)
    add_registration(meeting, "Ana", "Pop", member=member)
    batch = request_batch(meeting, "a6", RegistrationCategory.DELEGATE.value, locale="fr")
    assert batch.selection == {"category": "delegate", "locale": "fr"}
    pdf = (tmp_path / "badge-batches" / batch.filename).read_bytes()
    assert translation("fr", "Member delegation").upper() in pdf_text(pdf)
    assert request_batch(meeting, "a6", locale="xx").selection["locale"] is None


def scanner_words(client: FlaskClient, slug: str, language: str) -> dict:
    page = client.get(f"/meetings/{slug}/scanner", headers={"Accept-Language": language}).get_data(as_text=True)
    assert "<script>" not in page
    raw = re.search(r"data-i18n='([^']*)'", page)
    assert raw is not None
    return json.loads(raw.group(1))


def test_scanner_script_gets_its_words_and_plural_forms(
    client: FlaskClient, auth: AuthActions, users: Users, meeting: Meeting
) -> None:
    auth.login("scanner@example.org")
    english = scanner_words(client, meeting.slug, "en")
    assert english["results"]["admitted"] == "Admitted"
    assert english["waiting"] == {"one": "{n} scan waiting to sync", "other": "{n} scans waiting to sync"}

    french = scanner_words(client, meeting.slug, "fr")
    assert french["results"]["admitted"] == translation("fr", "Admitted")
    assert french["waiting"]["one"] == translation("fr", "%(count)s scan waiting to sync", 0).replace(
        "%(count)s", "{n}"
    )
    # Russian has three integer plural forms, Chinese one: the script picks with Intl.PluralRules.
    assert set(scanner_words(client, meeting.slug, "ru")["waiting"]) == {"one", "few", "many"}
    assert set(scanner_words(client, meeting.slug, "zh")["waiting"]) == {"other"}


def test_agenda_pdf_in_arabic_is_right_aligned_text_in_arabic(client: FlaskClient, meeting: Meeting) -> None:
    add_session(meeting, "Opening plenary", "2030-06-01 09:00", "2030-06-01 10:00")
    response = client.get(f"/meetings/{meeting.slug}/agenda.pdf", headers={"Accept-Language": "ar"})
    assert response.status_code == 200
    text = pdf_text(response.data)
    expected = translation("ar", "All times are in %(zone)s.").replace("%(zone)s", "").replace(".", "")
    # Right-to-left text is extracted in visual order: compare word by word.
    missing = [word for word in expected.split() if unicodedata.normalize("NFKC", word) not in text]
    assert missing == [] and "Opening plenary" in text


def test_error_pages_speak_the_readers_language(client: FlaskClient) -> None:
    page = client.get("/no-such-page", headers={"Accept-Language": "fr"})
    assert page.status_code == 404
    assert translation("fr", "Not found") in page.get_data(as_text=True)
    assert "Not found" in client.get("/no-such-page").get_data(as_text=True)


def test_shared_feeds_stay_in_one_language(client: FlaskClient, meeting: Meeting) -> None:
    s = add_session(meeting, "Opening plenary", "2030-06-01 09:00", "2030-06-01 10:00")
    s.status = SessionStatus.CANCELLED
    db.session.commit()
    french = client.get(f"/meetings/{meeting.slug}/agenda.ics", headers={"Accept-Language": "fr"})
    assert b"Cancelled: Opening plenary" in french.data
