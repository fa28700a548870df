"""The check-in API's rate limit: one budget per device token, 429 as JSON with Retry-After."""

from __future__ import annotations

import os
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.api.openapi import document
from tests.checkin.builders import device_token
from tests.conftest import add_meeting, make_app, services_required

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_API": "5 per minute", "RATELIMIT_LOGIN": "3 per minute"}


def _status(client: FlaskClient, slug: str, bearer: str | None) -> object:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return client.get(f"/api/v1/meetings/{slug}/status", headers=headers)


def test_over_the_limit_a_device_gets_429_json_with_retry_after(app: Flask, client: FlaskClient) -> None:
    meeting = add_meeting()
    bearer = device_token(meeting)
    codes = [_status(client, meeting.slug, bearer).status_code for _ in range(5)]
    assert codes == [200] * 5
    refused = _status(client, meeting.slug, bearer)
    assert refused.status_code == 429
    assert refused.mimetype == "application/json"
    assert refused.json["error"] == "rate_limited"
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert abs(refused.json["retry_after"] - wait) <= 1  # the header is written a moment later
    # Scans share the budget with every other API call of the device.
    scan = client.post(
        f"/api/v1/meetings/{meeting.slug}/scans",
        json={"token": "X", "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {bearer}"},
    )
    assert scan.status_code == 429 and scan.json["error"] == "rate_limited"


def test_two_devices_have_their_own_budgets(app: Flask, client: FlaskClient) -> None:
    meeting = add_meeting()
    door, room = device_token(meeting, "door"), device_token(meeting, "room")
    assert [_status(client, meeting.slug, door).status_code for _ in range(6)] == [200] * 5 + [429]
    # Same address, other token: a full budget of its own.
    assert [_status(client, meeting.slug, room).status_code for _ in range(5)] == [200] * 5
    assert _status(client, meeting.slug, room).status_code == 429


def test_without_a_token_the_budget_is_the_address(app: Flask, client: FlaskClient) -> None:
    meeting = add_meeting()
    bearer = device_token(meeting)
    # 401s count against the failed-authentication budget too (3 here), so use the open document.
    codes = [client.get("/api/v1/openapi.json").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    other = client.get("/api/v1/openapi.json", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert _status(client, meeting.slug, bearer).status_code == 200  # a device is not the address


def test_made_up_tokens_do_not_buy_fresh_budgets(app: Flask, client: FlaskClient) -> None:
    meeting = add_meeting()
    codes = [_status(client, meeting.slug, f"evd_guess{i}").status_code for i in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert _status(client, meeting.slug, device_token(meeting)).status_code == 429  # this address is cut off
    elsewhere = client.get(
        f"/api/v1/meetings/{meeting.slug}/status",
        headers={"Authorization": f"Bearer {device_token(meeting, 'other')}"},
        environ_base={"REMOTE_ADDR": "192.0.2.9"},
    )
    assert elsewhere.status_code == 200


def test_the_default_is_generous_for_a_door_scanner(app: Flask) -> None:
    default = make_app(app.config["SQLALCHEMY_DATABASE_URI"]).config["RATELIMIT_API"]
    assert default == "600 per minute"


def test_openapi_documents_the_429() -> None:
    doc = document()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("429")
            assert answer is not None, f"{method.upper()} {path} has no 429 response"
            assert "Retry-After" in answer["headers"]
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/RateLimited"}
    limited = doc["components"]["schemas"]["RateLimited"]
    assert set(limited["required"]) == {"error", "message", "retry_after"}


def _redis_or_skip() -> None:
    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # no server, refused, timeout
        reason = f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"
        if services_required():
            pytest.fail(reason + " (REQUIRE_SERVICES is set)")
        pytest.skip(reason)


def test_workers_share_a_device_budget_through_redis(app: Flask) -> None:
    _redis_or_skip()
    from redis import Redis

    prefix = f"test-api-limit-{uuid.uuid4().hex[:8]}"
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_API": "4 per minute",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    meeting = add_meeting()
    bearer = device_token(meeting)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [make_app(uri, **settings).test_client(), make_app(uri, **settings).test_client()]
    try:
        codes = [_status(workers[i % 2], meeting.slug, bearer).status_code for i in range(6)]
        assert codes == [200, 200, 200, 200, 429, 429]
    finally:
        redis = Redis.from_url(REDIS_URL)
        for key in redis.scan_iter(f"{prefix}*"):
            redis.delete(key)
