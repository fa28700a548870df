"""Writing to a group: who gets it, in which language, through the outbox, and the log of what went."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from eventapp.badges.services import badge_token, issue_badge
from eventapp.checkin.services import ENTRANCE, scan
from eventapp.extensions import db
from eventapp.models import (
    Direction,
    GroupMessage,
    MailStatus,
    Meeting,
    MessageRecipient,
    MessageTemplate,
    OutboxMessage,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from tests.conftest import AuthActions, Users, add_meeting

APPROVED = RegistrationStatus.APPROVED
CIVIL = RegistrationCategory.CIVIL_SOCIETY


def person(meeting: Meeting, given: str, family: str, locale: str, **fields: Any) -> Registration:
    values: dict[str, Any] = {"category": CIVIL, "status": APPROVED}
    values.update(fields)
    registration = Registration(
        meeting_id=meeting.id,
        given_name=given,
        family_name=family,
        email=f"{given.lower()}@example.org",
        locale=locale,
        **values,
    )
    db.session.add(registration)
    db.session.commit()
    return registration


def message(**extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "statuses": ["approved"],
        "categories": ["civil_society"],
        "default_locale": "en",
        "subject_en": "Practical information for {meeting}",
        "body_en": "Dear {name},\nthe doors open at 8:00.",
        "subject_fr": "Informations pratiques pour {meeting}",
        "body_fr": "Chère, cher {name},\nles portes ouvrent à 8 h.",
    }
    data.update(extra)
    return data


def hidden(page: TestResponse, name: str) -> str:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page.get_data(as_text=True))
    assert found is not None, name
    return found.group(1)


def send(host: FlaskClient, **extra: Any) -> TestResponse:
    """Preview, then send what the preview showed (as the host's Send button does)."""
    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="preview", **extra))
    keys = {"expected": hidden(page, "expected"), "send_token": hidden(page, "send_token")}
    return host.post("/meetings/2030-geneva/messages/new", data=message(action="send", **keys, **extra))


def test_sending_the_same_preview_twice_sends_once(meeting: Meeting, host: FlaskClient) -> None:
    person(meeting, "Amina", "Diallo", "fr")
    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="preview"))
    keys = {"expected": hidden(page, "expected"), "send_token": hidden(page, "send_token")}
    first = host.post("/meetings/2030-geneva/messages/new", data=message(action="send", **keys))
    again = host.post("/meetings/2030-geneva/messages/new", data=message(action="send", **keys))
    assert first.headers["Location"] == again.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(GroupMessage)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.fixture
def meeting(app: Flask) -> Meeting:
    return add_meeting("2030-geneva", title="Geneva meeting", title_translations={"fr": "Réunion de Genève"})


@pytest.fixture
def host(client: FlaskClient, auth: AuthActions, users: Users) -> FlaskClient:
    auth.login(users.host.email)
    return client


def test_each_person_of_the_group_reads_their_own_language_else_the_default(
    meeting: Meeting, host: FlaskClient
) -> None:
    amina = person(meeting, "Amina", "Diallo", "fr")
    lucia = person(meeting, "Lucía", "Pérez", "es")  # no Spanish version: the default (English)
    person(meeting, "Mei", "Chen", "zh", category=RegistrationCategory.MEDIA)
    person(meeting, "Omar", "Haddad", "ar", status=RegistrationStatus.SUBMITTED)

    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="preview"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 people will get this message" in text
    assert "Amina Diallo" in text and "Lucía Pérez" in text
    assert "Mei Chen" not in text and "Omar Haddad" not in text
    assert "Français: 1" in text and "English: 1 (default)" in text
    # How the first reader of each language gets it, placeholders filled.
    assert "As Amina Diallo reads it (Français)" in text and "Informations pratiques pour Réunion de Genève" in text
    assert "Dear Lucía Pérez," in text
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # a preview sends nothing

    sent = send(host)
    assert sent.status_code == 302
    mails = {m.to: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {"amina@example.org", "lucía@example.org"}
    french, english = mails["amina@example.org"], mails["lucía@example.org"]
    assert french.subject == "Informations pratiques pour Réunion de Genève"
    assert french.body_text.startswith("Chère, cher Amina Diallo,\nles portes ouvrent à 8 h.")
    assert "Vous recevez ce message" in french.body_text and "/r/" in french.body_text
    assert english.subject == "Practical information for Geneva meeting"
    assert english.body_text.startswith("Dear Lucía Pérez,")
    assert {m.registration_id for m in mails.values()} == {amina.id, lucia.id}

    group = db.session.scalar(select(GroupMessage))
    assert group is not None and group.recipient_count == 2
    assert {(r.email, r.locale) for r in group.recipients} == {("amina@example.org", "fr"), ("lucía@example.org", "en")}
    log = host.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Amina Diallo" in log and "Kept in the outbox (not sent)" in log and "Approved · Civil society" in log
    index = host.get("/meetings/2030-geneva/messages").get_data(as_text=True)
    assert "Practical information for {meeting}" in index and "Approved · Civil society" in index


def test_a_group_that_changed_since_the_preview_is_not_sent(meeting: Meeting, host: FlaskClient) -> None:
    person(meeting, "Amina", "Diallo", "fr")
    lucia = person(meeting, "Lucía", "Pérez", "es")
    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="preview")).get_data(as_text=True)
    key = re.search(r'name="expected" type="hidden" value="([^"]*)"', page)
    assert key is not None and key.group(1).startswith("2-")
    # As many people as before, but not the same ones: Lucía withdrew, Omar was approved.
    lucia.status = RegistrationStatus.WITHDRAWN
    person(meeting, "Omar", "Haddad", "ar")
    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="send", expected=key.group(1)))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The group changed since your preview" in text and "Omar Haddad" in text and "Lucía Pérez" not in text
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(GroupMessage)) == 0
    assert send(host).status_code == 302  # sent once the host has seen the group as it is


def test_mistakes_are_shown_next_to_their_field_and_the_text_is_kept(meeting: Meeting, host: FlaskClient) -> None:
    person(meeting, "Amina", "Diallo", "fr")
    page = host.post(
        "/meetings/2030-geneva/messages/new", data=message(action="send", expected="1", default_locale="es")
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="subject_es-error"' in text and "Write the version in the default language" in text
    assert "les portes ouvrent à 8 h." in text
    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="preview", body_fr=""))
    assert page.status_code == 422 and 'id="body_fr-error"' in page.get_data(as_text=True)
    page = host.post("/meetings/2030-geneva/messages/new", data=message(action="preview", statuses=[]))
    assert page.status_code == 422 and "Choose at least one status." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(GroupMessage)) == 0


def test_arrival_needs_and_member_narrow_the_group(meeting: Meeting, host: FlaskClient) -> None:
    inside = person(meeting, "Amina", "Diallo", "fr", needs_visa_letter=True)
    outside = person(meeting, "Lucía", "Pérez", "es")

    def door(who: Registration, direction: Direction) -> None:
        token = badge_token(issue_badge(who))
        scan(meeting, token=token, checkpoint=ENTRANCE, direction=direction, nonce=secrets.token_hex(8))

    door(inside, Direction.IN)
    door(outside, Direction.OUT)  # an exit scanned by mistake is no arrival

    def names(**filters: str) -> str:
        return host.post("/meetings/2030-geneva/messages/new", data=message(action="preview", **filters)).get_data(
            as_text=True
        )

    arrived = names(presence="arrived")
    assert "1 person will get this message" in arrived and "Amina Diallo" in arrived
    waiting = names(presence="not_arrived")
    assert "Lucía Pérez" in waiting and "Amina Diallo" not in waiting
    assert "Amina Diallo" in names(need="visa") and "Lucía Pérez" not in names(need="visa")
    assert "Nobody is in this group" in names(member="ROU")


def test_failed_deliveries_are_in_the_log(meeting: Meeting, host: FlaskClient, app: Flask) -> None:
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=9)  # nothing listens there
    person(meeting, "Amina", "Diallo", "fr")
    sent = send(host)
    assert sent.status_code == 302
    mail = db.session.scalar(select(OutboxMessage))
    assert mail is not None and mail.status == MailStatus.FAILED
    log = host.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Failed" in log and "ConnectionRefusedError" in log
    assert "1 failed" in host.get("/meetings/2030-geneva/messages").get_data(as_text=True)


def test_with_the_job_queue_the_request_only_queues_and_asks_for_a_sweep(
    meeting: Meeting, host: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    monkeypatch.setattr("eventapp.mail.services.uses_redis", lambda: True)

    def ask_for_sweep() -> None:
        # What a worker would find: read on a connection of its own, so committed rows only.
        with db.engine.connect() as conn:
            asked.append(conn.scalar(select(func.count()).select_from(MessageRecipient.__table__)) or 0)

    monkeypatch.setattr("eventapp.mail.services.ask_for_sweep", ask_for_sweep)
    person(meeting, "Amina", "Diallo", "fr")
    person(meeting, "Lucía", "Pérez", "es")
    send(host)
    # One sweep asked for, once the recipients were committed; nothing delivered inside the request.
    assert asked == [2]
    assert set(db.session.scalars(select(OutboxMessage.status))) == {MailStatus.QUEUED}


def test_usual_messages_come_in_six_languages_and_templates_are_kept(meeting: Meeting, host: FlaskClient) -> None:
    page = host.get("/meetings/2030-geneva/messages/new?starter=reminder").get_data(as_text=True)
    assert "Reminder: {meeting} starts soon" in page
    assert "Rappel : {meeting} commence bientôt" in page  # the French version, placeholders kept

    saved = host.post(
        "/meetings/2030-geneva/messages/new", data=message(action="save_template", template_name="Doors open")
    )
    assert saved.status_code == 200 and "The template Doors open was saved." in saved.get_data(as_text=True)
    template = db.session.scalar(select(MessageTemplate))
    assert template is not None and set(template.versions) == {"en", "fr"}
    again = host.get(f"/meetings/2030-geneva/messages/new?template={template.id}").get_data(as_text=True)
    assert "les portes ouvrent à 8 h." in again
    assert "Doors open" in host.get("/meetings/2030-geneva/messages/templates").get_data(as_text=True)
    host.post(f"/meetings/2030-geneva/messages/templates/{template.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(MessageTemplate)) == 0


def test_a_message_of_another_meeting_is_not_found_here(meeting: Meeting, host: FlaskClient, users: Users) -> None:
    other = add_meeting("2031-oslo")
    group = GroupMessage(meeting_id=other.id, versions={"en": {"subject": "Hi", "body": "x"}}, audience={})
    db.session.add(group)
    db.session.commit()
    assert host.get(f"/meetings/2030-geneva/messages/{group.id}").status_code == 404
    assert host.get(f"/meetings/2031-oslo/messages/{group.id}").status_code == 200


def test_anonymising_the_meeting_removes_names_and_addresses_from_the_log(meeting: Meeting, host: FlaskClient) -> None:
    from datetime import timedelta

    from eventapp.models.base import utcnow
    from eventapp.privacy.purge import run_purge

    amina = person(meeting, "Amina", "Diallo", "fr")
    send(host)
    run_purge(now=utcnow() + timedelta(days=meeting.anonymise_after_days + 90))
    [recipient] = db.session.scalars(select(MessageRecipient)).all()
    assert (recipient.name, recipient.email) == ("Anonymised", f"anonymised-{amina.id}@invalid")
    assert recipient.outbox_message_id is None  # the email itself went with the personal data
