"""The application form's layer in front of Flask answers as the view would, and only when it is sure to.

Each case is sent twice with CSRF on: through the app as served (the layer in front) and straight
to the Flask app behind the layer. A counter on the view tells which of the two answered; the
answers, the session cookies and the stored rows are compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g
from sqlalchemy import select
from werkzeug.test import Client, TestResponse

from eventapp.extensions import db
from eventapp.models import AuditLog, MailStatus, OutboxMessage, Registration, RegistrationStatus, Role
from eventapp.registration.fastapply import ApplyFastPath
from tests.conftest import PASSWORD, add_user, count_statements
from tests.registration.conftest import PNG, form_data, open_meeting

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
#: Differ between two people by nature: who they are, when, and the links made from their id.
OWN_COLUMNS = {"id", "email", "created_at", "updated_at"}


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads"), "WTF_CSRF_ENABLED": True}


class Sides:
    """The app as served and the Flask app behind the apply layer, with a count of the view's calls."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        layer = app.wsgi_app
        while not isinstance(layer, ApplyFastPath):
            layer = layer.inner  # type: ignore[attr-defined]
        self.flask_only = layer.inner
        self.view_calls = 0
        view = app.view_functions["registration.apply"]

        def counted(*args: object, **kwargs: object) -> object:
            self.view_calls += 1
            return view(*args, **kwargs)

        app.view_functions["registration.apply"] = counted

    def client(self, *, served: bool = True, **kwargs: Any) -> Client:
        return Client(self.app if served else self.flask_only, **kwargs)

    def token(self, client: Client, slug: str, **kwargs: Any) -> str:
        """Open a meeting's form (this client's session) and return its CSRF token."""
        # The test's app context (and its `g`) outlives requests: Flask-WTF would hand this client
        # the token it made for the previous one.
        g.pop("csrf_token", None)
        page = client.get(f"/meetings/{slug}/apply", **kwargs)
        match = TOKEN.search(page.get_data(as_text=True))
        return (match.group(1) or match.group(2)) if match else ""

    def post(self, client: Client, slug: str, data: dict[str, object], **kwargs: Any) -> TestResponse:
        """Open the form (session and token), then send it; the view's calls count the POST only."""
        token = self.token(client, slug, headers=kwargs.get("headers"))
        before = self.view_calls
        response = client.post(f"/meetings/{slug}/apply", data={**data, "csrf_token": token}, **kwargs)
        self.answered_by_flask = self.view_calls > before
        return response


@pytest.fixture
def sides(app: Flask) -> Iterator[Sides]:
    yield Sides(app)


def _session(app: Flask, response: TestResponse) -> dict[str, Any]:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    value = cookie.split(";", 1)[0].removeprefix("session=")
    return dict(app.session_interface.get_signing_serializer(app).loads(value))  # type: ignore[attr-defined]


def _cookie_attributes(response: TestResponse) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie.split(";", 1)[1]


def _stored(email: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    db.session.expire_all()
    registration = db.session.scalar(select(Registration).where(Registration.email == email))
    assert registration is not None
    columns = {c.key: getattr(registration, c.key) for c in Registration.__mapper__.column_attrs}
    audit = [
        {"action": a.action, "type": a.entity_type, "details": a.details, "meeting": a.meeting_id, "actor": a.actor_id}
        for a in db.session.scalars(select(AuditLog).where(AuditLog.entity_id == registration.id))
    ]
    messages = [
        {
            "subject": m.subject,
            "body": m.body_text.replace(m.body_text.split("/r/", 1)[1].split()[0], "TOKEN"),
            "html": m.body_html,
            "attachments": m.attachments,
            "status": m.status,
            "meeting": m.meeting_id,
            "to": m.to,
        }
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.registration_id == registration.id))
    ]
    return {k: v for k, v in columns.items() if k not in OWN_COLUMNS}, audit, messages


def _compare(sides: Sides, data: dict[str, object], **kwargs: Any) -> tuple[TestResponse, Client]:
    """Send `data` both ways (two addresses); assert the layer answered one and the two answers agree."""
    meeting_slug = str(kwargs.pop("slug"))
    empty_photo = kwargs.pop("empty_photo", False)

    def body(email: str) -> dict[str, object]:
        # What a browser sends for a file field left empty: a part with no file name.
        photo = {"photo": (BytesIO(b""), "", "application/octet-stream")} if empty_photo else {}
        return {**data, "email": email, **photo}

    client = sides.client()
    fast = sides.post(client, meeting_slug, body("fast@example.org"), **kwargs)
    assert not sides.answered_by_flask, "the layer handed an ordinary submission to Flask"
    slow = sides.post(sides.client(served=False), meeting_slug, body("slow@example.org"), **kwargs)
    assert sides.answered_by_flask, slow.get_data(as_text=True)[:3000]
    assert fast.status_code == slow.status_code == 302
    for response in (fast, slow):
        assert re.fullmatch(r"/r/[A-Za-z0-9._-]+", response.headers["Location"])
    ignore = {"Location", "Content-Length", "Set-Cookie"}
    assert {(k, v) for k, v in fast.headers.items() if k not in ignore} == {
        (k, v) for k, v in slow.headers.items() if k not in ignore
    }
    fast_session, slow_session = _session(sides.app, fast), _session(sides.app, slow)
    assert fast_session.keys() == slow_session.keys()
    assert fast_session["_flashes"] == slow_session["_flashes"]
    assert _cookie_attributes(fast) == _cookie_attributes(slow)
    fast_row, fast_audit, fast_mail = _stored("fast@example.org")
    slow_row, slow_audit, slow_mail = _stored("slow@example.org")
    assert fast_row == slow_row
    assert fast_audit == slow_audit and len(fast_audit) == 1
    for message in fast_mail + slow_mail:
        message.pop("to")
    assert fast_mail == slow_mail and len(fast_mail) == 1
    return fast, client


def test_an_ordinary_submission_is_answered_in_front_of_flask_exactly_as_flask_would(sides: Sides) -> None:
    meeting = open_meeting()
    fast, client = _compare(sides, form_data(consent_participant_list="y", dietary_needs="Halal"), slug=meeting.slug)
    text = client.get(fast.headers["Location"]).get_data(as_text=True)
    assert "your application was received" in text and "Submitted" in text


def test_nothing_of_one_submission_reaches_the_next(sides: Sides) -> None:
    """The layer refills one form per thread and language: every field must start afresh."""
    meeting = open_meeting()
    everything = form_data(
        email="first@example.org",
        honorific="Dr",
        position="Director",
        phone="+221 33 000 00 00",
        gender="Woman",
        accessibility_needs="Step-free access",
        dietary_needs="Halal",
        needs_visa_letter="y",
        passport_number="A1234567",
        passport_expiry="2031-01-31",
        passport_country="SEN",
        consent_participant_list="y",
    )
    client = sides.client()
    assert sides.post(client, meeting.slug, everything).status_code == 302 and not sides.answered_by_flask
    first = _one_registration("first@example.org")
    assert first is not None and first.passport_number_encrypted and first.dietary_needs == "Halal"
    # One with errors in between: its messages must not stay on the form either.
    assert sides.post(client, meeting.slug, form_data(email="broken", motivation="")).status_code == 422
    minimal = {k: v for k, v in form_data().items() if k != "nationality"}
    _compare(sides, minimal, slug=meeting.slug)


def test_a_browser_form_with_an_empty_photo_field_is_answered_in_front(sides: Sides) -> None:
    meeting = open_meeting()
    _compare(sides, form_data(), slug=meeting.slug, content_type="multipart/form-data", empty_photo=True)


@pytest.mark.parametrize(("language", "greeting"), [("fr", "Merci"), ("ar", "شكر")])
def test_the_applicant_language_is_kept_for_the_page_and_the_emails(sides: Sides, language: str, greeting: str) -> None:
    meeting = open_meeting()
    fast, _ = _compare(
        sides,
        form_data(given_name="فاطمة", family_name="الزهراء"),
        slug=meeting.slug,
        headers={"Accept-Language": language},
    )
    [(_, flash)] = _session(sides.app, fast)["_flashes"]
    assert greeting in flash
    row, _, [message] = _stored("fast@example.org")
    assert row["locale"] == language and row["given_name"] == "فاطمة"
    assert "فاطمة الزهراء" in message["body"]


def test_over_https_the_same_site_referrer_is_required(sides: Sides) -> None:
    meeting = open_meeting()
    client = sides.client()
    kwargs = {"base_url": "https://localhost"}
    response = sides.post(client, meeting.slug, form_data(email="a@example.org"), **kwargs)
    assert response.status_code == 400  # no Referer: handed over, and Flask-WTF refuses it
    assert _one_registration("a@example.org") is None
    referer = {"Referer": f"https://localhost/meetings/{meeting.slug}/apply"}
    response = sides.post(client, meeting.slug, form_data(email="a@example.org"), headers=referer, **kwargs)
    assert not sides.answered_by_flask and response.status_code == 302
    assert "Strict-Transport-Security" in response.headers


def _one_registration(email: str) -> Registration | None:
    db.session.expire_all()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def test_input_with_errors_goes_to_flask_which_shows_them_and_keeps_what_was_typed(sides: Sides) -> None:
    meeting = open_meeting()
    response = sides.post(sides.client(), meeting.slug, form_data(email="not an address", family_name="Ndiaye"))
    assert sides.answered_by_flask and response.status_code == 422
    page = response.get_data(as_text=True)
    assert "valid email" in page and 'value="Ndiaye"' in page
    assert db.session.scalar(select(Registration)) is None


def test_a_second_registration_goes_to_flask_which_offers_the_manage_link(sides: Sides) -> None:
    meeting = open_meeting()
    client = sides.client()
    sides.post(client, meeting.slug, form_data())
    assert not sides.answered_by_flask
    response = sides.post(client, meeting.slug, form_data(given_name="Someone else"))
    assert sides.answered_by_flask and response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Registration)).all()) == 1


def test_a_withdrawn_applicant_applying_again_goes_to_flask(sides: Sides) -> None:
    meeting = open_meeting()
    client = sides.client()
    sides.post(client, meeting.slug, form_data())
    registration = _one_registration("amina@example.org")
    assert registration is not None
    registration.status = RegistrationStatus.WITHDRAWN
    db.session.commit()
    response = sides.post(client, meeting.slug, form_data(motivation="Back again."))
    assert sides.answered_by_flask and response.status_code == 302
    again = _one_registration("amina@example.org")
    assert again is not None and again.status == RegistrationStatus.SUBMITTED and again.motivation == "Back again."


def test_a_photo_goes_to_flask_which_stores_it(sides: Sides) -> None:
    meeting = open_meeting()
    data = {**form_data(), "photo": (BytesIO(PNG), "me.png", "image/png")}
    response = sides.post(sides.client(), meeting.slug, data, content_type="multipart/form-data")
    assert sides.answered_by_flask and response.status_code == 302
    registration = _one_registration("amina@example.org")
    assert registration is not None and registration.photo_filename


def test_a_missing_or_forged_csrf_token_goes_to_flask_which_refuses_it(sides: Sides) -> None:
    meeting = open_meeting()
    client = sides.client()
    client.get(f"/meetings/{meeting.slug}/apply")
    for token in ("", "forged.token.value"):
        before = sides.view_calls
        response = client.post(f"/meetings/{meeting.slug}/apply", data={**form_data(), "csrf_token": token})
        assert response.status_code == 400 and sides.view_calls == before  # refused before the view
    assert db.session.scalar(select(Registration)) is None


def test_a_closed_meeting_goes_to_flask_which_says_so(sides: Sides) -> None:
    from datetime import timedelta

    from eventapp.models.base import utcnow

    meeting = open_meeting(registration_closes_at=utcnow() - timedelta(minutes=1))
    client = sides.client()
    # A closed meeting's page has no form: the token comes from another meeting's (one per session).
    token = sides.token(client, open_meeting("open").slug)
    before = sides.view_calls
    response = client.post(f"/meetings/{meeting.slug}/apply", data={**form_data(), "csrf_token": token})
    assert sides.view_calls == before + 1 and response.status_code == 403
    assert "closed" in response.get_data(as_text=True).lower()
    assert db.session.scalar(select(Registration)) is None


def test_a_signed_in_user_goes_to_flask(sides: Sides) -> None:
    meeting = open_meeting()
    add_user("host@example.org", Role.HOST)
    client = sides.client()
    login = client.get("/login").get_data(as_text=True)
    match = TOKEN.search(login)
    assert match
    client.post(
        "/login",
        data={"email": "host@example.org", "password": PASSWORD, "csrf_token": match.group(1) or match.group(2)},
    )
    response = sides.post(client, meeting.slug, form_data())
    assert sides.answered_by_flask and response.status_code == 302


def test_mail_for_the_queue_is_stored_queued_and_handed_to_delivery(
    sides: Sides, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = open_meeting()
    delivered: list[list[int]] = []
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setattr("eventapp.registration.fastapply.send_committed", delivered.append)
    sides.post(sides.client(), meeting.slug, form_data())
    assert not sides.answered_by_flask
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.status == MailStatus.QUEUED and delivered == [[message.id]]


def test_postgresql_stores_a_submission_in_one_statement(sides: Sides, app: Flask) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip(
            "runs in the PostgreSQL pass (TEST_DATABASE_URL): SQLite reads the meeting and writes in a transaction"
        )
    meeting = open_meeting()
    client = sides.client()
    assert sides.post(client, meeting.slug, form_data(email="first@example.org")).status_code == 302
    token = sides.token(client, meeting.slug)
    with count_statements() as statements:
        response = client.post(
            f"/meetings/{meeting.slug}/apply", data={**form_data(email="second@example.org"), "csrf_token": token}
        )
    # The worker knows the meeting and holds reserved ids: only the write itself.
    assert response.status_code == 302 and len(statements) == 1
    assert _one_registration("second@example.org") is not None


def test_a_meeting_changed_since_the_worker_read_it_is_read_again(sides: Sides) -> None:
    meeting = open_meeting()
    client = sides.client()
    assert sides.post(client, meeting.slug, form_data(email="first@example.org")).status_code == 302
    meeting.title = "Renamed meeting"
    db.session.commit()
    assert sides.post(client, meeting.slug, form_data(email="second@example.org")).status_code == 302
    assert not sides.answered_by_flask
    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "second@example.org")).all()
    assert "Renamed meeting" in message.subject


def test_registration_closed_since_the_worker_read_the_meeting_is_refused(sides: Sides) -> None:
    from datetime import timedelta

    from eventapp.models.base import utcnow

    meeting = open_meeting()
    client = sides.client()
    assert sides.post(client, meeting.slug, form_data(email="first@example.org")).status_code == 302
    token = sides.token(client, meeting.slug)
    meeting.registration_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    before = sides.view_calls
    response = client.post(
        f"/meetings/{meeting.slug}/apply",
        data={**form_data(email="late@example.org"), "csrf_token": token},
    )
    assert response.status_code == 403 and sides.view_calls == before + 1
    assert _one_registration("late@example.org") is None


class TestRateLimit:
    @pytest.fixture
    def app_config(self, tmp_path: Path) -> dict[str, object]:
        return {
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_PUBLIC_FORMS": "3 per minute",
        }

    def test_the_layer_counts_against_the_view_limit_once_per_request(self, sides: Sides) -> None:
        meeting = open_meeting()
        client = sides.client()
        first = sides.post(client, meeting.slug, form_data(email="a@example.org"))
        assert first.status_code == 302 and not sides.answered_by_flask
        # Counted by the layer, then handed to Flask (a duplicate): Flask must not count it again.
        duplicate = sides.post(client, meeting.slug, form_data(email="a@example.org"))
        assert duplicate.status_code == 422 and sides.answered_by_flask
        third = sides.post(client, meeting.slug, form_data(email="b@example.org"))
        assert third.status_code == 302 and not sides.answered_by_flask
        over = sides.post(client, meeting.slug, form_data(email="c@example.org"))
        assert over.status_code == 429 and sides.answered_by_flask
        assert _one_registration("c@example.org") is None


def test_a_template_that_changes_the_link_gets_the_email_rendered_again_with_it(
    sides: Sides, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eventapp.registration import fastapply

    original = fastapply.registrant_message

    def shouting(*args: Any, manage_url: str, **kwargs: Any) -> tuple[str, str, list[Any]]:
        subject, body, attachments = original(*args, manage_url=manage_url, **kwargs)
        return subject, body.replace(manage_url, manage_url.upper()), attachments

    monkeypatch.setattr(fastapply, "registrant_message", shouting)
    meeting = open_meeting()
    response = sides.post(sides.client(), meeting.slug, form_data())
    assert response.status_code == 302 and not sides.answered_by_flask
    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert fastapply.LINK_MARK.upper() not in message.body_text
    assert response.headers["Location"].upper() in message.body_text
