"""The registrant's private manage link: isolation, editing until the deadline, withdrawal, downloads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import AuditLog, Registration, RegistrationStatus
from eventapp.models.base import utcnow
from eventapp.registration.applications import APPROVE, DECLINE, decide
from eventapp.registration.tokens import make_manage_token, revoke_manage_tokens
from tests.conftest import Users
from tests.registration.conftest import applicant, form_data, fresh, open_meeting, outbox

EDIT = {"given_name": "Amina", "family_name": "Diallo-Sow", "dietary_needs": "Halal", "position": "Director"}


def test_one_persons_token_never_opens_another_record(client: FlaskClient) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org", given_name="Alpha")
    b = applicant(meeting, "b@example.org", given_name="Bravo")
    page_a = client.get(f"/r/{make_manage_token(a)}").get_data(as_text=True)
    assert "Alpha" in page_a and "Bravo" not in page_a and "b@example.org" not in page_a
    token_a = make_manage_token(a)
    client.post(f"/r/{token_a}/edit", data={**EDIT, "given_name": "Changed"})
    assert fresh(b).given_name == "Bravo" and fresh(a).given_name == "Changed"
    client.post(f"/r/{token_a}/withdraw")
    assert fresh(b).status == RegistrationStatus.SUBMITTED
    assert client.get("/r/not-a-token").status_code == 404
    forged = token_a[:-3] + ("xyz" if not token_a.endswith("xyz") else "abc")
    assert client.get(f"/r/{forged}").status_code == 404


def test_revoked_token_fails(client: FlaskClient) -> None:
    from eventapp.extensions import db

    meeting = open_meeting()
    a = applicant(meeting, "a@example.org")
    old = make_manage_token(a)
    revoke_manage_tokens(a)
    db.session.commit()
    for path in ("", "/edit", "/confirmation", "/meeting.ics"):
        assert client.get(f"/r/{old}{path}").status_code == 404
    assert client.get(f"/r/{make_manage_token(a)}").status_code == 200


def test_edit_until_the_deadline_only(client: FlaskClient) -> None:
    meeting = open_meeting(edit_deadline_at=utcnow() + timedelta(days=3))
    a = applicant(meeting, "a@example.org")
    token = make_manage_token(a)
    assert client.post(f"/r/{token}/edit", data=EDIT).status_code == 302
    a = fresh(a)
    assert (a.family_name, a.dietary_needs, a.email) == ("Diallo-Sow", "Halal", "a@example.org")
    assert a.country == "SEN" and a.motivation  # not asked again, kept
    from eventapp.extensions import db

    meeting.edit_deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "Change my details" not in client.get(f"/r/{token}").get_data(as_text=True)
    response = client.post(f"/r/{token}/edit", data={**EDIT, "family_name": "Too late"})
    assert response.status_code == 302
    assert fresh(a).family_name == "Diallo-Sow"


def test_bad_edit_keeps_what_was_typed(client: FlaskClient) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org")
    response = client.post(f"/r/{make_manage_token(a)}/edit", data={**EDIT, "given_name": "", "position": "Chair"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="given_name-error"' in page and 'value="Chair"' in page
    assert fresh(a).position == ""


def test_withdraw_through_the_link_frees_the_place(client: FlaskClient, users: Users) -> None:
    meeting = open_meeting(capacity=1)
    a, b = applicant(meeting, "a@example.org"), applicant(meeting, "b@example.org")
    decide(meeting, [a.id, b.id], APPROVE, actor=users.host)
    token = make_manage_token(a)
    assert client.post(f"/r/{token}/withdraw", data={"reason": "Cannot travel"}).status_code == 302
    assert fresh(a).status == RegistrationStatus.WITHDRAWN
    assert fresh(b).status == RegistrationStatus.APPROVED
    assert "Withdrawn" in client.get(f"/r/{token}").get_data(as_text=True)
    assert "place is now yours" in outbox("b@example.org")[-1].subject.lower()


def test_confirmation_and_calendar_download(client: FlaskClient) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org", given_name="秀英", family_name="王")
    token = make_manage_token(a)
    page = client.get(f"/r/{token}/confirmation").get_data(as_text=True)
    assert "王秀英" in page and meeting.title in page  # a Chinese name: family name first
    response = client.get(f"/r/{token}/meeting.ics")
    assert response.mimetype == "text/calendar"
    assert f'filename="{meeting.slug}.ics"' in response.headers["Content-Disposition"]
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == meeting.starts_on
    assert event.decoded("dtend") == meeting.ends_on + timedelta(days=1)
    assert str(event["summary"]) == meeting.title


def test_resend_link_answers_the_same_whether_or_not_the_address_is_registered(client: FlaskClient) -> None:
    meeting = open_meeting()
    applicant(meeting, "a@example.org")
    before = len(outbox())
    known = client.post(f"/meetings/{meeting.slug}/resend-link", data={"email": "A@example.org"}, follow_redirects=True)
    unknown = client.post(
        f"/meetings/{meeting.slug}/resend-link", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert known.status_code == unknown.status_code == 200
    message = "If this address is registered for the meeting"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    sent = outbox()[before:]
    assert [m.to for m in sent] == ["a@example.org"]
    assert "/r/" in sent[0].body_text
    bad = client.post(f"/meetings/{meeting.slug}/resend-link", data={"email": "nope"})
    assert bad.status_code == 422 and 'id="email-error"' in bad.get_data(as_text=True)


def test_agenda_link_only_when_the_personal_agenda_exists(client: FlaskClient, app: Flask) -> None:
    if "agenda.personal" not in app.view_functions:  # built by another part of the app; stand in for it
        app.add_url_rule("/stand-in-agenda/<token>", "agenda.personal", lambda token: "agenda")
    personal_agenda = app.view_functions.pop("agenda.personal")
    meeting = open_meeting()
    token = make_manage_token(applicant(meeting, "a@example.org"))
    assert "My agenda" not in client.get(f"/r/{token}").get_data(as_text=True)
    app.view_functions["agenda.personal"] = personal_agenda
    page = client.get(f"/r/{token}").get_data(as_text=True)
    assert "My agenda" in page and f"/{token}" in page.split("My agenda")[0].rsplit("<a", 1)[1]


@pytest.mark.parametrize("path", ["/my-delegation"])
def test_my_delegation_needs_a_focal_point(client: FlaskClient, users: Users, path: str) -> None:
    assert client.get(path).status_code == 302


def test_someone_who_withdrew_can_apply_again(client: FlaskClient) -> None:
    meeting = open_meeting()
    first = applicant(meeting, "amina@example.org")
    old_token = make_manage_token(first)
    assert client.post(f"/r/{old_token}/withdraw", data={"reason": "Cannot travel"}).status_code == 302

    again = client.post(
        f"/meetings/{meeting.slug}/apply",
        data=form_data(
            email="Amina@example.org", given_name="Aminata", category="academia", motivation="I can come now"
        ),
    )
    assert again.status_code == 302, again.get_data(as_text=True)
    person = fresh(first)
    assert person.status == RegistrationStatus.SUBMITTED
    assert (person.given_name, person.category.value, person.motivation) == ("Aminata", "academia", "I can come now")
    assert person.decided_at is None and person.decision_reason == ""
    assert db.session.scalar(select(func.count(Registration.id))) == 1, "the same record, not a second one"
    assert client.get(f"/r/{old_token}").status_code == 404, "links from before the withdrawal stop working"
    assert again.headers["Location"].endswith(f"/r/{make_manage_token(person)}")
    assert client.get(again.headers["Location"]).status_code == 200
    assert "received" in outbox("amina@example.org")[-1].subject.lower()
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.entity_id == person.id).order_by(AuditLog.id)
    ).all()
    assert actions == ["registration.submit", "registration.withdraw", "registration.submit"]


def test_a_declined_person_cannot_apply_again_under_the_same_address(client: FlaskClient, users: Users) -> None:
    meeting = open_meeting()
    first = applicant(meeting, "amina@example.org")
    decide(meeting, [first.id], DECLINE, actor=users.host, reason="Outside the meeting's scope")
    answer = client.post(f"/meetings/{meeting.slug}/apply", data=form_data(email="amina@example.org"))
    assert answer.status_code == 422
    assert "already registered for this meeting" in answer.get_data(as_text=True)
    assert fresh(first).status == RegistrationStatus.DECLINED
