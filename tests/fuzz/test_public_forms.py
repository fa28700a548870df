"""Hypothesis on the public forms: arbitrary text, missing and repeated fields, odd uploads.

Every submission is answered 200/422 with an error next to a field, or a redirect; a refused one
leaves every table as it was. Text is what a browser sends: any Unicode but lone surrogates, with
control characters and NUL, sometimes very long. CSRF is off in the test app.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from eventapp.extensions import db
from eventapp.models import Base, Meeting, Role
from eventapp.registration.delegations import invite_all_members
from tests.conftest import PASSWORD, AuthActions, Users, add_member, add_user
from tests.registration.conftest import PNG, form_data, open_meeting

EXAMPLES = 250
#: Counted per form, so the figures reported are the examples that ran.
RUN: Counter[str] = Counter()

#: Text a browser could send: no lone surrogates (they have no UTF-8 form), everything else allowed.
browser_text = st.text(st.characters(codec="utf-8"), max_size=60)
nasty_text = st.sampled_from(["\x00", "a\x00b", " ", "\t\r\n", "\u202e", "\ufeff", "<script>", "x" * 20_000, "é" * 300])
realistic = st.sampled_from(["Amina", "amina@example.org", "ana@example.org", "SEN", "ROU", "civil_society", "y", "1"])
value = st.one_of(browser_text, nasty_text, realistic)
#: Missing, sent once, or repeated (a browser repeats a field when the page has it twice).
occurrences = st.one_of(st.just([]), st.lists(value, min_size=1, max_size=1), st.lists(value, min_size=2, max_size=3))


@dataclass
class PublicForm:
    name: str
    url: str
    fields: list[str]
    #: A submission that passes, the base the fuzzing varies.
    valid: dict[str, str]
    #: Tables a successful submission may add rows to, and at most how many.
    may_add: dict[str, int]
    #: The field whose typed value must come back on a refused form.
    echoed: str | None
    #: Called with a fresh client before each submission (e.g. open the invitation link).
    prepare: Callable[[FlaskClient], None] = lambda client: None
    #: Give each valid submission an address of its own (an address registers once).
    fresh_email: bool = True


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


def _person_fields() -> list[str]:
    return [
        "honorific", "given_name", "family_name", "position", "organisation", "phone", "nationality", "gender",
        "accessibility_needs", "dietary_needs", "needs_visa_letter", "passport_number", "passport_expiry",
        "passport_country",
    ]  # fmt: skip


def _forms(meeting: Meeting, invitation: str) -> dict[str, PublicForm]:
    add_user("host@example.org", Role.HOST)
    applicant = {k: str(v) for k, v in form_data().items()}
    delegate = {"given_name": "Ion", "family_name": "Pop", "email": "ion@example.org"}
    return {
        "apply": PublicForm(
            "apply",
            f"/meetings/{meeting.slug}/apply",
            [
                *_person_fields(),
                "category",
                "email",
                "country",
                "motivation",
                "consent_data_processing",
                "consent_participant_list",
                "photo",
            ],  # fmt: skip
            applicant,
            {"registrations": 1, "outbox_messages": 2, "audit_log": 2, "delegations": 1},
            "given_name",
        ),
        "resend-link": PublicForm(
            "resend-link",
            f"/meetings/{meeting.slug}/resend-link",
            ["email"],
            {"email": "amina@example.org"},
            {"outbox_messages": 1, "audit_log": 1},
            "email",
            fresh_email=False,
        ),
        "login": PublicForm(
            "login",
            "/login",
            ["email", "password", "remember", "next"],
            {"email": "host@example.org", "password": PASSWORD},
            {"audit_log": 1},  # the sign-in itself (user.sign_in); a refused one stores nothing
            "email",
            fresh_email=False,
        ),
        "delegate": PublicForm(
            "delegate",
            "",  # set below: the delegation's id is known once invited
            [*_person_fields(), "email", "make_head", "photo"],
            delegate,
            {"registrations": 1, "outbox_messages": 2, "audit_log": 2},
            "given_name",
            lambda client: _open_invitation(client, invitation),
        ),
    }


def _open_invitation(client: FlaskClient, token: str) -> None:
    response = client.get(f"/invitation/{token}")
    assert response.status_code == 302


@pytest.fixture
def forms(app: Flask) -> dict[str, PublicForm]:
    meeting = open_meeting()
    add_member("ROU", "Romania")
    (delegation, token), *_ = invite_all_members(meeting, actor=None)
    delegation.quota_override = 10 * EXAMPLES  # room for every accepted delegate
    db.session.commit()
    found = _forms(meeting, token)
    found["delegate"].url = f"/delegations/{delegation.id}/people/new"
    return found


def _row_counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
    }


def _upload(kind: str) -> tuple[io.BytesIO, str]:
    content = {"png": PNG, "truncated png": PNG[:20], "not an image": b"GIF89a\x00\x00", "empty": b""}[kind]
    return io.BytesIO(content), "photo.png" if kind != "not an image" else "photo.jpg"


@st.composite
def submissions(draw: st.DrawFn, form: PublicForm) -> MultiDict[str, Any]:
    """The valid submission with some fields dropped, repeated or replaced by arbitrary text."""
    data: MultiDict[str, Any] = MultiDict()
    changed = set(draw(st.lists(st.sampled_from(form.fields), max_size=len(form.fields), unique=True)))
    for name in form.fields:
        if name == "photo":
            kind = draw(st.sampled_from(["none", "png", "truncated png", "not an image", "empty"]))
            if kind != "none":
                data.add(name, _upload(kind))
        elif name in changed:
            for item in draw(occurrences):
                data.add(name, item)
        elif name in form.valid:
            data.add(name, form.valid[name])
    for name in draw(st.lists(browser_text, max_size=2)):  # fields the form does not know
        data.add(name or "x", draw(value))
    return data


def _check_answer(form: PublicForm, data: MultiDict[str, Any], response: Any, before: dict[str, int]) -> str:
    after = _row_counts()
    added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert response.status_code in (200, 302, 303, 422), response.status_code
    if response.status_code in (302, 303):
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location  # never off the site
        assert all(0 < n <= form.may_add.get(name, 0) for name, n in added.items()), added
        return "accepted"
    assert added == {}, f"a refused submission stored rows: {added}"
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'class="error"' in html
    typed = data.getlist(form.echoed) if form.echoed else []
    if len(typed) == 1 and isinstance(typed[0], str) and 0 < len(typed[0]) <= 40 and typed[0].isprintable():
        assert str(escape(typed[0])) in html, "the form lost what was typed"
    return "refused"


@pytest.mark.parametrize("form_name", ["apply", "resend-link", "login", "delegate"])
def test_public_form_never_fails(app: Flask, forms: dict[str, PublicForm], form_name: str) -> None:
    form = forms[form_name]
    outcomes: Counter[str] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(submissions(form))
    def submit(data: MultiDict[str, Any]) -> None:
        client = app.test_client()
        form.prepare(client)
        if form.fresh_email and data.getlist("email") == [form.valid["email"]]:
            data["email"] = f"fuzz-{RUN[form_name]}@example.org"
        before = _row_counts()
        response = client.post(form.url, data=data)
        outcomes[_check_answer(form, data, response, before)] += 1
        RUN[form_name] += 1

    submit()
    assert RUN[form_name] >= EXAMPLES
    assert outcomes["accepted"] and outcomes["refused"], outcomes  # both paths were taken
    print(f"\n{form_name}: {dict(outcomes)}")


def test_nul_in_a_form_field_is_refused_and_never_stored(client: FlaskClient, forms: dict[str, PublicForm]) -> None:
    """PostgreSQL refuses NUL in text: every form reads it as U+FFFD, which the text rule refuses."""
    from eventapp.models import Registration

    data = {**forms["apply"].valid, "email": "nul@example.org", "honorific": "Dr\x00", "given_name": "A\x00\x00"}
    response = client.post(forms["apply"].url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="given_name-error"' in page and 'id="honorific-error"' in page
    assert "U+FFFD" in page and "\x00" not in page
    assert db.session.scalar(sa.select(Registration).where(Registration.email == "nul@example.org")) is None
    refused = client.post("/login", data={"email": "host@example.org\x00", "password": PASSWORD})
    assert refused.status_code == 422 and "\x00" not in refused.get_data(as_text=True)


# --- ids posted in a form -------------------------------------------------------------------------

#: Ids no 32-bit INTEGER column holds, and values that are no id at all.
BAD_IDS = ["2147483648", "99999999999999999999999", "-1", "0", "1e3", "٣", "1" * 5000]


@pytest.fixture
def agenda_world(app: Flask) -> tuple[str, str, int]:
    """A meeting with a published session and an approved registrant: (slug, manage token, session id)."""
    from eventapp.models import SessionAccess
    from eventapp.registration.tokens import make_manage_token
    from tests.agenda.builders import add_registration, add_session

    meeting = open_meeting(agenda_published=True)
    registrant = add_registration(meeting, "ana@example.org")
    panel = add_session(meeting, "Panel", "2030-06-03 09:00", "2030-06-03 10:00", access=SessionAccess.INVITATION)
    return meeting.slug, make_manage_token(registrant), panel.id


@pytest.mark.parametrize("action", ["pick", "drop"])
def test_a_posted_session_id_past_a_32_bit_integer_is_refused_by_the_form(
    client: FlaskClient, agenda_world: tuple[str, str, int], action: str
) -> None:
    """The personal agenda's hidden session_id: a bad request, never a query (a 500 on PostgreSQL)."""
    _, token, _ = agenda_world
    before = _row_counts()
    for bad in BAD_IDS:
        response = client.post(f"/r/{token}/agenda/{action}", data={"session_id": bad})
        assert response.status_code == 400, (bad, response.status_code)
    assert _row_counts() == before


def test_ids_past_a_32_bit_integer_in_the_agenda_editor_are_form_errors(
    client: FlaskClient, agenda_world: tuple[str, str, int], users: Users, auth: AuthActions
) -> None:
    """Rooms, speakers and invitees are chosen from lists: any other id is refused next to its field."""
    slug, _, session_id = agenda_world
    auth.login(users.host.email)
    before = _row_counts()
    base = {"title": "Panel", "type": "plenary", "starts_local": "2030-06-03T09:00", "ends_local": "2030-06-03T10:00",
            "access": "open", "status": "confirmed", "speakers-0-role": "speaker"}  # fmt: skip
    for bad in BAD_IDS:
        for field in ("room_id", "speakers-0-registration_id"):
            for url in (f"/meetings/{slug}/agenda/sessions/new", f"/meetings/{slug}/agenda/sessions/{session_id}/edit"):
                response = client.post(url, data={**base, field: bad})
                assert response.status_code == 422, (url, field, bad, response.status_code)
                assert f'id="{field}-error"' in response.get_data(as_text=True)
        response = client.post(f"/meetings/{slug}/agenda/sessions/{session_id}/invitees", data={"invitees": bad})
        assert response.status_code == 302, (bad, response.status_code)
    assert _row_counts() == before


def test_ids_past_a_32_bit_integer_ticked_in_the_review_queue_are_a_form_error(
    client: FlaskClient, users: Users, auth: AuthActions
) -> None:
    from eventapp.models import Registration, RegistrationStatus
    from tests.registration.conftest import applicant

    meeting = open_meeting()
    waiting = applicant(meeting, "amina@example.org")
    slug, person_id = meeting.slug, waiting.id
    db.session.commit()
    auth.login(users.host.email)
    before = _row_counts()
    for bad in BAD_IDS:
        ticked = {"selected": [str(person_id), bad], "action": "approve"}
        response = client.post(f"/meetings/{slug}/review", data=ticked)
        assert response.status_code == 422, (bad, response.status_code)
        assert "This is not a valid reference." in response.get_data(as_text=True)
    assert _row_counts() == before
    db.session.expire_all()
    assert db.session.get(Registration, person_id).status == RegistrationStatus.SUBMITTED  # type: ignore[union-attr]
