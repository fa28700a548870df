"""The check-in API's request budgets.

One budget per device token (RATELIMIT_API) across the whole API; callers without a token are
counted by address. Made-up tokens would each get a fresh budget, so failed authentications are
also counted per address (RATELIMIT_LOGIN) and an address over that budget is refused before
its token is even looked at. Counters live in the rate limiter's storage (Redis when
`REDIS_URL` is set), so every worker shares them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from typing import Any

from limits import RateLimitItem, parse

from eventapp.api.auth import hash_token
from eventapp.extensions import limiter

API_SCOPE = "api"
DEVICE_PREFIX = "device:"
FAILURE_SCOPE = "api-auth-failures"


def device_key(authorization: str, address: str) -> str:
    """The caller: a hash of its bearer token (never the token itself), else its address."""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return DEVICE_PREFIX + hash_token(value.strip())
    return "address:" + address


def _item(config: Mapping[str, Any], name: str) -> RateLimitItem:
    return _parsed(str(config[name]))


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> RateLimitItem:
    return parse(text)


def _ids(config: Mapping[str, Any], scope: str, key: str) -> tuple[str, ...]:
    return (str(config.get("RATELIMIT_KEY_PREFIX") or "eventapp-limits"), scope, key)


def _wait(item: RateLimitItem, ids: tuple[str, ...]) -> int:
    reset = limiter.limiter.get_window_stats(item, *ids).reset_time
    return max(1, int(reset - time.time()) + 1)


def over_budget(config: Mapping[str, Any], key: str, address: str) -> int | None:
    """Count this request; the seconds to wait when it is over a budget, else None."""
    if not config.get("RATELIMIT_ENABLED", True):
        return None
    strategy = limiter.limiter
    failures = _item(config, "RATELIMIT_LOGIN")
    failure_ids = _ids(config, FAILURE_SCOPE, address)
    if not strategy.test(failures, *failure_ids):
        return _wait(failures, failure_ids)
    item = _item(config, "RATELIMIT_API")
    ids = _ids(config, API_SCOPE, key)
    if not strategy.hit(item, *ids):
        return _wait(item, ids)
    return None


def count_failed_authentication(config: Mapping[str, Any], address: str) -> None:
    if config.get("RATELIMIT_ENABLED", True):
        limiter.limiter.hit(_item(config, "RATELIMIT_LOGIN"), *_ids(config, FAILURE_SCOPE, address))


def rate_limited_body(wait: int) -> dict[str, Any]:
    return {
        "error": "rate_limited",
        "message": f"Too many requests from this device; retry in {wait} s.",
        "retry_after": wait,
    }
