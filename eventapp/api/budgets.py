"""The check-in API's request budgets: two Flask-Limiter limits on the API blueprint.

- Requests: RATELIMIT_API per caller, across the whole API (scans included). A caller is its
  device token (counted by a hash of it, never the token), or its address without a token.
- Failed authentications: RATELIMIT_LOGIN answers of 401 per address. It applies only to
  requests without valid credentials: made-up tokens cannot each buy a fresh budget, and a valid
  device is never refused because other devices behind its address (a venue's NAT) failed. Once
  it is spent, a request without valid credentials is answered 429 instead of 401.

Counters live in the limiter's storage: Redis when `REDIS_URL` is set, so every worker shares
them, and the worker's memory while that Redis is unreachable (Flask-Limiter's fallback).
"""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address

from eventapp.api.auth import hash_token, valid_caller
from eventapp.extensions import limiter

DEVICE_PREFIX = "device:"
FAILURES_SCOPE = "api-auth-failures"

#: What a 429 says is limited, by the `limited` field of its body.
MESSAGES = {
    "device": "Too many requests from this device token ({limit}); retry in {wait} s.",
    "address": "Too many requests without a device token from this address ({limit}); retry in {wait} s.",
    "failed_sign_ins": (
        "Too many failed sign-ins from this address ({limit}): requests without a valid device token "
        "are refused until the window ends; retry in {wait} s. Devices with a valid token are not affected."
    ),
}


def caller_key() -> str:
    """The caller: a hash of its bearer token (never the token itself), else its address."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return DEVICE_PREFIX + hash_token(value.strip())
    return "address:" + get_remote_address()


def _setting(name: str) -> str:
    return str(current_app.config[name])


def _unauthorised(response: Response) -> bool:
    return response.status_code == 401


per_caller = limiter.shared_limit(lambda: _setting("RATELIMIT_API"), scope="api", key_func=caller_key)
failed_sign_ins = limiter.shared_limit(
    lambda: _setting("RATELIMIT_LOGIN"),
    scope=FAILURES_SCOPE,
    key_func=get_remote_address,
    exempt_when=valid_caller,
    deduct_when=_unauthorised,
)


def limit_blueprint(blueprint: Blueprint) -> None:
    """Both budgets on every route of `blueprint`."""
    failed_sign_ins(blueprint)
    per_caller(blueprint)


def rate_limited(exc: RateLimitExceeded) -> tuple[Response, int]:
    """The 429: what is limited, and the seconds until its window ends (body and Retry-After)."""
    breached = limiter.current_limit
    wait = max(1, math.ceil(breached.window.reset_time - time.time())) if breached else exc.limit.limit.get_expiry()
    if exc.limit.scope == FAILURES_SCOPE:
        limited = "failed_sign_ins"
    else:
        limited = "device" if caller_key().startswith(DEVICE_PREFIX) else "address"
    body: dict[str, Any] = {
        "error": "rate_limited",
        "limited": limited,
        "message": MESSAGES[limited].format(limit=exc.limit.limit, wait=wait),
        "retry_after": wait,
    }
    response = jsonify(body)
    response.headers["Retry-After"] = str(wait)
    return response, 429
