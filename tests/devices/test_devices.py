"""Scanning devices made in the app: token shown once, last scan, revoked at once, refusals flagged."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import AuditLog, DeviceToken
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import PASSWORD, Users, add_meeting, make_app

LINK = re.compile(r'value="(http://[^"]+/scanner/device#device=(evd_[A-Za-z0-9_\-]+))"')


@pytest.fixture
def fresh(_schema: str, users: Users) -> Flask:
    return make_app(_schema)


def _host(app: Flask) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": "host@example.org", "password": PASSWORD}).status_code == 302
    return client


def _scan(client: FlaskClient, slug: str, token: str, badge: str) -> object:
    return client.post(
        f"/api/v1/meetings/{slug}/scans",
        json={"token": badge, "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_host_makes_a_device_scans_with_it_and_revokes_it(fresh: Flask) -> None:
    meeting = add_meeting()
    badges = [badge_for(add_registration(meeting, "Ana", f"Pop{i}")) for i in range(2)]
    host = _host(fresh)
    made = host.post(f"/meetings/{meeting.slug}/devices", data={"name": "Main door tablet"})
    body = made.get_data(as_text=True)
    assert made.status_code == 200 and 'src="data:image/svg+xml;base64,' in body
    link, token = LINK.search(body).groups()
    assert link.startswith(f"http://localhost/meetings/{meeting.slug}/scanner/device#")
    listing = host.get(f"/meetings/{meeting.slug}/devices").get_data(as_text=True)
    assert "Main door tablet" in listing and token not in listing and "No scan yet" in listing
    db.session.expire_all()
    assert token not in str(db.session.scalar(sa.select(DeviceToken.token_hash)))
    api = fresh.test_client()
    assert _scan(api, meeting.slug, token, badges[0]).json["result"] == "admitted"
    listing = host.get(f"/meetings/{meeting.slug}/devices").get_data(as_text=True)
    assert "No scan yet" not in listing
    device_id = db.session.scalar(sa.select(DeviceToken.id))
    assert host.post(f"/meetings/{meeting.slug}/devices/{device_id}/revoke").status_code == 302
    refused = _scan(api, meeting.slug, token, badges[1])
    assert refused.status_code == 401 and "revoked" in refused.json["error"]
    listing = host.get(f"/meetings/{meeting.slug}/devices").get_data(as_text=True)
    assert "1 request refused since" in listing
    db.session.expire_all()
    actions = db.session.scalars(sa.select(AuditLog.action).where(AuditLog.action.like("device.%"))).all()
    assert actions == ["device.create", "device.revoke"]


def test_a_name_is_needed_and_unique_within_the_meeting(fresh: Flask) -> None:
    meeting = add_meeting()
    host = _host(fresh)
    empty = host.post(f"/meetings/{meeting.slug}/devices", data={"name": "  "})
    assert empty.status_code == 422 and 'id="name-error"' in empty.get_data(as_text=True)
    host.post(f"/meetings/{meeting.slug}/devices", data={"name": "Room B phone"})
    again = host.post(f"/meetings/{meeting.slug}/devices", data={"name": "room b phone"})
    assert again.status_code == 422 and "already has a device called" in again.get_data(as_text=True)
    assert 'value="room b phone"' in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(DeviceToken.id))) == 1


def test_the_device_scanner_page_holds_nothing_private(fresh: Flask) -> None:
    meeting = add_meeting()
    page = fresh.test_client().get(f"/meetings/{meeting.slug}/scanner/device")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "scanner-device.js" in body and 'data-csrf=""' in body
