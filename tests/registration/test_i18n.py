"""Registration in the reader's language: forms and errors, and emails and letters in the registrant's."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Member, Registration, RegistrationStatus
from eventapp.registration.tokens import make_manage_token
from tests.conftest import AuthActions, Users
from tests.registration.conftest import form_data, open_meeting, outbox
from tests.reports.helpers import add_delegation, add_registration

FRENCH = {"Accept-Language": "fr"}
SPANISH = {"Accept-Language": "es"}


@pytest.fixture(autouse=True)
def _locale_per_request(app: Flask) -> None:
    """The test client reuses the test's app context, where Flask-Babel caches the first locale it picked.

    In production each request has its own context; here each request must choose again.
    """
    app.before_request(refresh)


def _meeting():
    return open_meeting(title="Réunion de Genève", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 5))


def test_french_applicant_gets_french_emails_even_when_an_english_host_decides(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    response = client.post(f"/meetings/{meeting.slug}/apply", data=form_data(), headers=FRENCH)
    assert response.status_code == 302
    registration = db.session.scalar(select(Registration))
    assert registration.locale == "fr"

    page = client.get(response.headers["Location"], headers=FRENCH).get_data(as_text=True)
    assert "Merci : votre candidature a bien été reçue." in page

    [submitted] = outbox("amina@example.org")
    assert submitted.subject == "Inscription reçue : Réunion de Genève"
    assert submitted.body_text.startswith("Bonjour Amina Diallo,\n\nnous avons bien reçu votre inscription à")
    assert "3–5 juin 2030" in submitted.body_text
    assert "Votre lien personnel pour consulter, modifier ou retirer cette inscription :" in submitted.body_text
    assert "Dear" not in submitted.body_text and "received" not in submitted.subject

    auth.login("host@example.org")
    response = client.post(
        f"/meetings/{meeting.slug}/review",
        data={"action": "approve", "selected": [str(registration.id)]},
        follow_redirects=True,
    )
    # The host's own page stays in English...
    assert "1 approved; 0 put on the waiting list (no place left); 0 declined." in response.get_data(as_text=True)
    # ...while the applicant hears in French.
    decision = outbox("amina@example.org")[-1]
    assert decision.subject == "Votre place est confirmée : Réunion de Genève"
    assert "votre inscription à Réunion de Genève (3–5 juin 2030, Geneva) est approuvée." in decision.body_text
    assert "approved" not in decision.body_text


def test_english_applicant_keeps_english_emails_when_a_french_host_decides(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    client.post(f"/meetings/{meeting.slug}/apply", data=form_data())
    registration = db.session.scalar(select(Registration))
    assert registration.locale == "en"
    auth.login("host@example.org")
    client.post(
        f"/meetings/{meeting.slug}/review",
        data={"action": "approve", "selected": [str(registration.id)]},
        headers=FRENCH,
    )
    decision = outbox("amina@example.org")[-1]
    assert decision.subject == "Your place is confirmed: Réunion de Genève"
    assert "is approved. We look forward to seeing you." in decision.body_text


def test_delegate_registered_from_a_french_interface_is_written_to_in_french(
    client: FlaskClient, auth: AuthActions, users: Users, member: Member
) -> None:
    meeting = _meeting()
    delegation = add_delegation(meeting, member, invitation_token_hash="h" * 64)
    auth.login("fp@example.org")
    response = client.post(
        f"/delegations/{delegation.id}/people/new",
        data={"given_name": "Ioana", "family_name": "Popescu", "email": "ioana@example.org"},
        headers=FRENCH,
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Registration.locale)) == "fr"
    assert outbox("ioana@example.org")[-1].subject == "Inscription reçue : Réunion de Genève"


def test_invitations_to_focal_points_are_in_english_whatever_the_hosts_language(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    auth.login("host@example.org")
    client.post(f"/meetings/{meeting.slug}/invitations", headers=FRENCH)
    [invitation] = outbox("fp@example.org")
    assert invitation.subject == "Invitation to register your delegation: Réunion de Genève"
    assert "3-5 June 2030" in invitation.body_text


def test_apply_form_in_french_shows_french_labels_and_errors_next_to_the_fields(client: FlaskClient) -> None:
    meeting = _meeting()
    page = client.get(f"/meetings/{meeting.slug}/apply", headers=FRENCH).get_data(as_text=True)
    assert '<html lang="fr"' in page
    for label in ("Prénom(s)", "Nom(s) de famille (facultatif)", "Pays où vous travaillez", "Je postule en tant que"):
        assert f">{label}</label>" in page, label
    assert "Demander à participer" in page and "Envoyer ma candidature" in page
    assert "Given name(s)" not in page and "Send my application" not in page

    response = client.post(
        f"/meetings/{meeting.slug}/apply",
        data=form_data(given_name="", consent_data_processing=None, email="Amina"),
        headers=FRENCH,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # WTForms' own messages in its French catalogue, ours in the app's: each beside its field.
    assert _error(page, "given_name") == "Ce champ est requis."
    assert _error(page, "consent_data_processing") == "Nous ne pouvons retenir votre candidature qu’avec cet accord."
    assert _error(page, "email") == "Adresse électronique non valide."
    assert 'value="Diallo"' in page  # what was typed stays
    assert "This field is required." not in page


def test_service_errors_are_in_french_too(client: FlaskClient) -> None:
    meeting = _meeting()
    response = client.post(f"/meetings/{meeting.slug}/apply", data=form_data(needs_visa_letter="y"), headers=FRENCH)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _error(page, "passport_number") == "La lettre pour le visa nécessite le numéro de passeport."
    assert db.session.scalar(select(Registration)) is None


def _error(page: str, field: str) -> str:
    """The text of the error paragraph tied to a field (`<p class="error" id="<field>-error">`)."""
    start = page.index(f'id="{field}-error">')
    text = page[page.index("</span>", start) + len("</span>") : page.index("</p>", start)]
    return " ".join(text.split()).replace("&#39;", "'")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_visa_letter_is_in_the_registrants_language_for_whoever_downloads_it(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    meeting.country_iso3 = "CHE"
    person = add_registration(
        meeting,
        given_name="Lucía",
        family_name="Fernández",
        status=RegistrationStatus.APPROVED,
        needs_visa_letter=True,
        passport_number="ES445566",
        nationality="ESP",
        locale="es",
    )
    own = _pdf_text(client.get(f"/r/{make_manage_token(person)}/visa-letter.pdf").get_data())
    auth.login("host@example.org")
    response = client.get(f"/meetings/{meeting.slug}/registrations/{person.id}/visa-letter.pdf")
    assert response.status_code == 200
    by_host = _pdf_text(response.get_data())
    for text in (own, by_host):
        assert "Carta de invitación a efectos de visado" in text
        assert "A los servicios consulares correspondientes:" in text
        assert "Número de pasaporte" in text and "ES445566" in text
        assert "Lucía Fernández" in text
        assert "de junio de 2030" in text
        assert "Invitation letter" not in text and "Passport number" not in text


def test_visa_letter_of_an_english_registrant_stays_english_from_a_spanish_interface(client: FlaskClient) -> None:
    meeting = _meeting()
    person = add_registration(
        meeting, status=RegistrationStatus.APPROVED, needs_visa_letter=True, passport_number="GB1", locale="en"
    )
    text = _pdf_text(client.get(f"/r/{make_manage_token(person)}/visa-letter.pdf", headers=SPANISH).get_data())
    assert "Invitation letter for visa purposes" in text and "3-5 June 2030" in text
    assert "Carta de invitación" not in text
