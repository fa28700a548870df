"""The check-in API's rate limits: one budget per device token, one of failed authentications per
address that never stops a valid device; a 429 is JSON with Retry-After and says what is limited.
"""

from __future__ import annotations

import os
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.api.openapi import document
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import PASSWORD, Users, add_meeting, make_app, services_required

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_API": "5 per minute", "RATELIMIT_LOGIN": "3 per minute"}


def _status(client: FlaskClient, slug: str, bearer: str | None, address: str = "127.0.0.1") -> object:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return client.get(f"/api/v1/meetings/{slug}/status", headers=headers, environ_base={"REMOTE_ADDR": address})


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
    refused = _status(client, meeting.slug, "evd_guess5")
    assert refused.status_code == 429 and refused.json["limited"] == "failed_sign_ins"
    assert refused.json["message"].startswith("Too many failed sign-ins from this address (3 per 1 minute)")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert _status(client, meeting.slug, None).json["limited"] == "failed_sign_ins"  # no token: no valid credentials
    elsewhere = _status(client, meeting.slug, "evd_guess6", address="192.0.2.9")
    assert elsewhere.status_code == 401, "counted per address"


def _scan(client: FlaskClient, slug: str, bearer: str, badge: str = "X") -> object:
    return client.post(
        f"/api/v1/meetings/{slug}/scans",
        json={"token": badge, "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {bearer}"},
    )


def test_bad_tokens_do_not_stop_valid_devices_at_the_same_address(app: Flask, client: FlaskClient) -> None:
    """A venue behind one NAT: a misconfigured device fails over and over, the door keeps scanning."""
    meeting = add_meeting()
    door, hall = device_token(meeting, "door"), device_token(meeting, "hall")
    badges = [badge_for(add_registration(meeting, "Ana", f"Pop{i}")) for i in range(2)]
    bad = [_scan(client, meeting.slug, "evd_misconfigured").status_code for _ in range(12)]
    assert bad == [401] * 3 + [429] * 9
    for bearer, badge in zip((door, hall), badges, strict=True):
        answer = _scan(client, meeting.slug, bearer, badge)
        assert answer.status_code == 200 and answer.json["result"] == "admitted"
    assert _status(client, meeting.slug, door).status_code == 200
    assert _scan(client, meeting.slug, "evd_misconfigured").json["limited"] == "failed_sign_ins"


def test_a_signed_in_scanner_page_is_not_stopped_by_failures_at_its_address(
    app: Flask, client: FlaskClient, users: Users
) -> None:
    meeting = add_meeting()
    for i in range(4):
        _status(client, meeting.slug, f"evd_guess{i}")
    scanner = app.test_client()
    assert scanner.post("/login", data={"email": users.scanner.email, "password": PASSWORD}).status_code == 302
    assert scanner.get(f"/api/v1/meetings/{meeting.slug}/status").status_code == 200


def test_a_device_over_its_own_budget_is_told_so(app: Flask, client: FlaskClient) -> None:
    meeting = add_meeting()
    bearer = device_token(meeting)
    for _ in range(5):
        _status(client, meeting.slug, bearer)
    refused = _status(client, meeting.slug, bearer).json
    assert refused["limited"] == "device"
    assert refused["message"].startswith("Too many requests from this device token (5 per 1 minute)")
    for _ in range(5):
        client.get("/api/v1/openapi.json")
    anonymous = client.get("/api/v1/openapi.json").json
    assert anonymous["limited"] == "address"
    assert anonymous["message"].startswith("Too many requests without a device token from this address")


def test_the_default_is_generous_for_a_door_scanner(app: Flask) -> None:
    default = make_app(app.config["SQLALCHEMY_DATABASE_URI"]).config["RATELIMIT_API"]
    assert default == "600 per minute"


def test_openapi_documents_the_429_and_the_401_it_replaces() -> None:
    doc = document()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("429")
            assert answer is not None, f"{method.upper()} {path} has no 429 response"
            assert "Retry-After" in answer["headers"]
            assert "failed authentications from this address" in answer["description"]
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/RateLimited"}
            assert "get 429 instead" in operation["responses"]["401"]["description"]
    limited = doc["components"]["schemas"]["RateLimited"]
    assert set(limited["required"]) == {"error", "limited", "message", "retry_after"}
    assert limited["properties"]["limited"]["enum"] == ["device", "address", "failed_sign_ins"]


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


def test_every_429_page_says_what_is_limited(app: Flask) -> None:
    limited = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="1 per minute",
        RATELIMIT_PUBLIC_FORMS="1 per minute",
        RATELIMIT_PRIVATE_LINKS="1 per minute",
    )
    slug = add_meeting().slug
    client = limited.test_client()
    pages = {
        "Too many sign-in attempts from your network.": lambda: client.post("/login", data={"email": "x@example.org"}),
        "Too many forms sent from your network.": lambda: client.post(f"/meetings/{slug}/resend-link", data={}),
        "Too many private links opened from your network.": lambda: client.get("/r/guess"),
    }
    for wording, send in pages.items():
        send()
        refused = send()
        assert refused.status_code == 429 and refused.headers["Retry-After"]
        assert wording in refused.get_data(as_text=True)
