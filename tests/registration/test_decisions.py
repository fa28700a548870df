"""Hosts' decisions, capacity, the waiting list and promotion from it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import AuditLog, RegistrationStatus
from eventapp.registration.applications import APPROVE, DECLINE, decide
from eventapp.registration.capacity import set_capacities
from eventapp.registration.errors import RegistrationError
from eventapp.registration.selfservice import withdraw
from tests.conftest import AuthActions, Users
from tests.registration.conftest import applicant, fresh, open_meeting, outbox


def test_approve_and_decline_with_reason_are_audited_and_emailed(app: object, users: Users) -> None:
    meeting = open_meeting()
    a, b = applicant(meeting, "a@example.org"), applicant(meeting, "b@example.org")
    result = decide(meeting, [a.id], APPROVE, actor=users.host)
    assert [r.id for r in result.approved] == [a.id]
    assert fresh(a).status == RegistrationStatus.APPROVED and fresh(a).decided_by_id == users.host.id
    decide(meeting, [b.id], DECLINE, actor=users.host, reason="The civil society places are for the region.")
    b = fresh(b)
    assert b.status == RegistrationStatus.DECLINED and b.decision_reason.startswith("The civil society")
    entries = {e.action: e for e in db.session.scalars(select(AuditLog).where(AuditLog.actor_id == users.host.id))}
    assert entries["registration.approved"].entity_id == a.id
    assert entries["registration.declined"].reason == "The civil society places are for the region."
    assert "confirmed" in outbox("a@example.org")[-1].subject.lower()
    declined_mail = outbox("b@example.org")[-1]
    assert "The civil society places are for the region." in declined_mail.body_text
    assert declined_mail.attachments[0]["filename"].endswith(".ics")


def test_decline_needs_a_reason(app: object, users: Users) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org")
    with pytest.raises(RegistrationError) as caught:
        decide(meeting, [a.id], DECLINE, actor=users.host, reason="   ")
    assert caught.value.field == "reason"
    assert fresh(a).status == RegistrationStatus.SUBMITTED


def test_approving_when_full_waitlists_in_order_and_withdrawal_promotes_the_first(app: object, users: Users) -> None:
    meeting = open_meeting(capacity=2)
    people = [applicant(meeting, f"p{i}@example.org") for i in range(5)]
    result = decide(meeting, [p.id for p in people], APPROVE, actor=users.host)
    assert [p.id for p in result.approved] == [people[0].id, people[1].id]
    assert [p.id for p in result.waitlisted] == [people[2].id, people[3].id, people[4].id]
    assert "waiting list" in outbox("p2@example.org")[-1].subject.lower()

    promoted = withdraw(fresh(people[0]))
    assert [p.id for p in promoted] == [people[2].id]
    assert fresh(people[0]).status == RegistrationStatus.WITHDRAWN
    assert fresh(people[2]).status == RegistrationStatus.APPROVED
    assert fresh(people[3]).status == RegistrationStatus.WAITLISTED
    promotion = outbox("p2@example.org")[-1]
    assert "place is now yours" in promotion.subject.lower() and promotion.attachments
    assert "withdrawn" in outbox("p0@example.org")[-1].subject.lower()


def test_declining_an_approved_person_promotes_the_next(app: object, users: Users) -> None:
    meeting = open_meeting(capacity=1)
    a, b = applicant(meeting, "a@example.org"), applicant(meeting, "b@example.org")
    decide(meeting, [a.id, b.id], APPROVE, actor=users.host)
    result = decide(meeting, [a.id], DECLINE, actor=users.host, reason="Not eligible after all.")
    assert [p.id for p in result.promoted] == [b.id]
    assert fresh(b).status == RegistrationStatus.APPROVED


def test_withdrawing_a_waitlisted_or_submitted_person_promotes_nobody(app: object, users: Users) -> None:
    meeting = open_meeting(capacity=1)
    a, b, c = (applicant(meeting, f"{x}@example.org") for x in "abc")
    decide(meeting, [a.id, b.id, c.id], APPROVE, actor=users.host)
    assert withdraw(fresh(b)) == []
    assert fresh(c).status == RegistrationStatus.WAITLISTED
    with pytest.raises(RegistrationError):
        withdraw(fresh(b))  # already withdrawn


def test_category_capacity_skips_to_the_first_person_who_fits(app: object, users: Users) -> None:
    meeting = open_meeting(capacity=3)
    set_capacities(meeting, 3, {"media": 1}, actor=users.host)
    media = [applicant(meeting, f"m{i}@example.org", category="media") for i in range(2)]
    academic = applicant(meeting, "ac@example.org", category="academia")
    result = decide(meeting, [media[0].id, media[1].id, academic.id], APPROVE, actor=users.host)
    assert {p.id for p in result.approved} == {media[0].id, academic.id}
    assert [p.id for p in result.waitlisted] == [media[1].id]
    # A free overall place does not help the media waiter while media is full.
    other = applicant(meeting, "x@example.org", category="civil_society")
    decide(meeting, [other.id], APPROVE, actor=users.host)
    withdraw(fresh(other))
    assert fresh(media[1]).status == RegistrationStatus.WAITLISTED
    # Raising the media capacity does.
    promoted = set_capacities(meeting, 3, {"media": 2}, actor=users.host)
    assert [p.id for p in promoted] == [media[1].id]


def test_raising_overall_capacity_promotes_in_waiting_order(app: object, users: Users) -> None:
    meeting = open_meeting(capacity=1)
    people = [applicant(meeting, f"p{i}@example.org") for i in range(4)]
    decide(meeting, [p.id for p in people], APPROVE, actor=users.host)
    promoted = set_capacities(meeting, 3, {}, actor=users.host)
    assert [p.id for p in promoted] == [people[1].id, people[2].id]
    assert fresh(people[3]).status == RegistrationStatus.WAITLISTED
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "meeting.capacity")) is not None


def test_final_states_do_not_change(app: object, users: Users) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org")
    withdraw(a)
    result = decide(meeting, [a.id], APPROVE, actor=users.host)
    assert result.skipped and fresh(a).status == RegistrationStatus.WITHDRAWN


def test_review_queue_filters_and_bulk_decides(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org", category="media", given_name="Mediaperson")
    b = applicant(meeting, "b@example.org", category="academia", given_name="Scholar")
    c = applicant(meeting, "c@example.org", category="academia", given_name="Professor")
    auth.login("host@example.org")
    page = client.get(f"/meetings/{meeting.slug}/review?category=academia").get_data(as_text=True)
    assert "Scholar" in page and "Professor" in page and "Mediaperson" not in page
    response = client.post(
        f"/meetings/{meeting.slug}/review?status=submitted",
        data={"selected": [str(b.id), str(c.id)], "action": "decline", "reason": ""},
    )
    assert response.status_code == 422 and 'id="reason-error"' in response.get_data(as_text=True)
    response = client.post(
        f"/meetings/{meeting.slug}/review?status=submitted",
        data={"selected": [str(b.id), str(c.id)], "action": "approve"},
    )
    assert response.status_code == 302
    assert fresh(b).status == fresh(c).status == RegistrationStatus.APPROVED
    assert fresh(a).status == RegistrationStatus.SUBMITTED
    page = client.get(f"/meetings/{meeting.slug}/review?status=approved").get_data(as_text=True)
    assert "Scholar" in page and "Mediaperson" not in page


def test_only_hosts_and_the_secretariat_review(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = open_meeting()
    a = applicant(meeting, "a@example.org")
    assert client.get(f"/meetings/{meeting.slug}/review").status_code == 302  # sign in first
    auth.login("fp@example.org")
    assert client.get(f"/meetings/{meeting.slug}/review").status_code == 403
    response = client.post(f"/meetings/{meeting.slug}/review", data={"selected": [str(a.id)], "action": "approve"})
    assert response.status_code == 403
    assert client.get(f"/meetings/{meeting.slug}/capacity").status_code == 403
    assert fresh(a).status == RegistrationStatus.SUBMITTED


def test_capacity_settings_page(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = open_meeting(capacity=1)
    a, b = applicant(meeting, "a@example.org"), applicant(meeting, "b@example.org")
    decide(meeting, [a.id, b.id], APPROVE, actor=users.host)
    auth.login("host@example.org")
    assert client.get(f"/meetings/{meeting.slug}/capacity").status_code == 200
    bad = client.post(f"/meetings/{meeting.slug}/capacity", data={"capacity": "0"})
    assert bad.status_code == 422 and 'id="capacity-error"' in bad.get_data(as_text=True)
    response = client.post(f"/meetings/{meeting.slug}/capacity", data={"capacity": "2", "cap_media": "5"})
    assert response.status_code == 302
    assert fresh(b).status == RegistrationStatus.APPROVED
    assert {c.category: c.capacity for c in meeting.category_capacities} == {"media": 5}
