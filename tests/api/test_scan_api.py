from __future__ import annotations

import uuid

import pytest

from eventapp.extensions import db
from eventapp.models import (
    CheckIn,
    DeviceToken,
    RegistrationStatus,
    Session,
    SessionAccess,
    SessionAttendance,
)
from eventapp.models.base import utcnow
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import add_meeting, add_member


def post_scan(client, slug, bearer, token, checkpoint="entrance", direction="in", nonce=None, **extra):
    body = {"token": token, "checkpoint": checkpoint, "direction": direction, "nonce": nonce or uuid.uuid4().hex}
    body.update(extra)
    return client.post(f"/api/v1/meetings/{slug}/scans", json=body, headers={"Authorization": f"Bearer {bearer}"})


@pytest.fixture
def setup(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop", member=add_member("ROU", "Romania"))
    return meeting, person, badge_for(person), device_token(meeting)


def test_admitted_then_already_inside_then_exit(client, setup):
    meeting, person, token, bearer = setup
    first = post_scan(client, meeting.slug, bearer, token)
    assert first.status_code == 200
    assert first.json["result"] == "admitted"
    assert first.json["participant"]["name"] == "Ana Pop"
    assert first.json["participant"]["organisation"] == "Romania"
    assert post_scan(client, meeting.slug, bearer, token).json["result"] == "already_inside"
    assert post_scan(client, meeting.slug, bearer, token, direction="out").json["result"] == "exited"
    assert post_scan(client, meeting.slug, bearer, token).json["result"] == "admitted"
    assert db.session.query(CheckIn).count() == 4


def test_same_nonce_twice_records_one_scan(client, setup):
    meeting, _, token, bearer = setup
    a = post_scan(client, meeting.slug, bearer, token, nonce="n-1")
    b = post_scan(client, meeting.slug, bearer, token, nonce="n-1")
    assert a.json["result"] == b.json["result"] == "admitted"
    assert b.json["duplicate"] is True
    assert db.session.query(CheckIn).filter_by(nonce="n-1").count() == 1


def test_refusals(client, setup):
    meeting, person, token, bearer = setup
    assert post_scan(client, meeting.slug, bearer, token[:-3]).json["result"] == "invalid"
    assert post_scan(client, meeting.slug, bearer, "Z" + token[1:]).json["result"] == "invalid"
    other = add_meeting("2031-accra")
    foreign = badge_for(add_registration(other, "Ama", "Mensah"))
    wrong = post_scan(client, meeting.slug, bearer, foreign)
    assert wrong.json["result"] == "wrong_meeting" and wrong.json["participant"] is None
    pending = add_registration(meeting, "Ion", "Ionescu", status=RegistrationStatus.APPROVED)
    pending_token = badge_for(pending)
    pending.status = RegistrationStatus.WITHDRAWN
    db.session.commit()
    assert post_scan(client, meeting.slug, bearer, pending_token).json["result"] == "not_approved"
    from eventapp.badges.services import reissue_badge

    reissue_badge(person)
    db.session.commit()
    assert post_scan(client, meeting.slug, bearer, token).json["result"] == "revoked"


def test_session_access_policy(client, setup):
    meeting, person, token, bearer = setup
    now = utcnow()
    applicant = add_registration(meeting, "Lee", "Kim")
    applicant_token = badge_for(applicant)
    closed = Session(meeting=meeting, title="Closed", starts_at=now, ends_at=now.replace(year=now.year + 1))
    closed.access = SessionAccess.DELEGATIONS
    invite = Session(meeting=meeting, title="Invite", starts_at=now, ends_at=now.replace(year=now.year + 1))
    invite.access = SessionAccess.INVITATION
    db.session.add_all([closed, invite])
    db.session.commit()
    assert post_scan(client, meeting.slug, bearer, token, f"session-{closed.id}").json["result"] == "admitted"
    refused = post_scan(client, meeting.slug, bearer, applicant_token, f"session-{closed.id}")
    assert refused.json["result"] == "not_allowed"
    assert post_scan(client, meeting.slug, bearer, token, f"session-{invite.id}").json["result"] == "not_allowed"
    db.session.add(SessionAttendance(session_id=invite.id, registration_id=person.id))
    db.session.commit()
    assert post_scan(client, meeting.slug, bearer, token, f"session-{invite.id}").json["result"] == "admitted"


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"token": "A", "checkpoint": "entrance", "nonce": "x"},
        [],
        {"checkpoint": "entrance", "nonce": "x", "direction": "in"},
        {"token": 5, "checkpoint": "entrance", "nonce": "x", "direction": "in"},
        {"token": "A", "checkpoint": "entrance", "nonce": "x" * 65, "direction": "in"},
        {"token": "A", "checkpoint": "entrance", "nonce": "x", "direction": "sideways"},
        {"token": "A", "checkpoint": "roof", "nonce": "x", "direction": "in"},
        {"token": "A", "checkpoint": "session-99999", "nonce": "x", "direction": "in"},
        {"token": "A", "checkpoint": "entrance", "nonce": "x", "direction": "in", "scanned_at": "yesterday"},
        {"token": "A", "checkpoint": "entrance", "nonce": "x", "direction": "in", "scanned_at": "2030-01-01T10:00:00"},
    ],
)
def test_bad_bodies_get_400_json(client, setup, body):
    meeting, _, _, bearer = setup
    response = client.post(
        f"/api/v1/meetings/{meeting.slug}/scans",
        json=body,
        headers={"Authorization": f"Bearer {bearer}"},
    )
    assert response.status_code == 400
    assert "error" in response.json
    assert db.session.query(CheckIn).count() == 0


def test_device_token_auth(client, setup):
    meeting, _, token, bearer = setup
    assert post_scan(client, meeting.slug, "nope", token).status_code == 401
    missing = client.post(f"/api/v1/meetings/{meeting.slug}/scans", json={"token": token})
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    device = db.session.query(DeviceToken).one()
    device.revoked_at = utcnow()
    db.session.commit()
    assert post_scan(client, meeting.slug, bearer, token).status_code == 401
    other = add_meeting("2031-accra")
    assert post_scan(client, other.slug, device_token(meeting, "door-2"), token).status_code == 403


def test_cli_creates_a_token_that_works(app, runner, setup):
    meeting, _, token, _ = setup
    result = runner.invoke(args=["tokens", "create", "--meeting", meeting.slug, "--name", "tablet"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip()
    assert db.session.query(DeviceToken).filter_by(name="tablet").one().token_hash != plain
    response = post_scan(app.test_client(), meeting.slug, plain, token)
    assert response.json["result"] == "admitted"
    assert db.session.query(CheckIn).one().device == "tablet"


def test_read_operations(client, setup):
    meeting, person, token, bearer = setup
    headers = {"Authorization": f"Bearer {bearer}"}
    post_scan(client, meeting.slug, bearer, token)
    found = client.get(f"/api/v1/meetings/{meeting.slug}/participants?q=roman", headers=headers).json
    assert [p["name"] for p in found["participants"]] == ["Ana Pop"]
    bundle = client.get(f"/api/v1/meetings/{meeting.slug}/scanner-bundle", headers=headers).json
    assert bundle["public_key"] == meeting.badge_public_key
    assert [p["name"] for p in bundle["roster"]] == ["Ana Pop"]
    assert "email" not in bundle["roster"][0]
    status = client.get(f"/api/v1/meetings/{meeting.slug}/status", headers=headers).json
    assert status["inside"][0] == {"checkpoint": "entrance", "label": "Venue entrance", "count": 1}
    assert status["by_delegation"] == {"Romania": 1}
    history = client.get(f"/api/v1/meetings/{meeting.slug}/checkins", headers=headers).json["checkins"]
    assert [(h["name"], h["result"], h["device"]) for h in history] == [("Ana Pop", "admitted", "door-1")]


def test_openapi_lists_the_operations(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert ops == {
        "scanBadge",
        "listParticipants",
        "getBadgePdf",
        "getScannerBundle",
        "getCheckinStatus",
        "listCheckins",
    }


def test_scan_records_device_and_last_use(client, setup):
    meeting, person, token, bearer = setup
    assert db.session.query(DeviceToken).one().last_used_at is None
    assert post_scan(client, meeting.slug, bearer, token, nonce="d-1").json["result"] == "admitted"
    db.session.expire_all()
    assert db.session.query(DeviceToken).one().last_used_at is not None
    stored = db.session.query(CheckIn).filter_by(nonce="d-1").one()
    assert (stored.device, stored.registration_id, stored.badge_id is not None) == ("door-1", person.id, True)


def test_exit_first_then_entry_admits(client, setup):
    meeting, _, token, bearer = setup
    assert post_scan(client, meeting.slug, bearer, token, direction="out").json["result"] == "exited"
    assert post_scan(client, meeting.slug, bearer, token).json["result"] == "admitted"
    assert post_scan(client, meeting.slug, bearer, token).json["result"] == "already_inside"


def test_the_door_shows_the_name_in_the_order_the_person_chose(client, setup):
    from eventapp.models import NameOrder

    meeting, _, _, bearer = setup
    person = add_registration(meeting, "Bálint", "Kovács")
    person.name_order = NameOrder.FAMILY_FIRST
    db.session.commit()
    answer = post_scan(client, meeting.slug, bearer, badge_for(person))
    assert answer.json["participant"]["name"] == person.full_name == "Kovács Bálint"


def test_cli_tokens_follow_the_devices_page_rules_and_are_audited(app, runner, setup):
    from eventapp.models import AuditLog

    meeting = setup[0]
    made = runner.invoke(args=["tokens", "create", "--meeting", meeting.slug, "--name", "Main door"])
    assert made.exit_code == 0
    again = runner.invoke(args=["tokens", "create", "--meeting", meeting.slug, "--name", "main  door"])
    assert again.exit_code != 0 and "already has a device" in again.output
    assert runner.invoke(args=["tokens", "revoke", "--meeting", meeting.slug, "--name", "Main door"]).exit_code == 0
    actions = [a for (a,) in db.session.query(AuditLog.action).filter(AuditLog.action.like("device.%"))]
    assert actions == ["device.create", "device.revoke"]
