"""Named rate limits for the public surfaces; the figures come from the config.

Limits are counted per client address (per device token for the API), in Redis when
`REDIS_URL` is set so that every worker shares them.
"""

from __future__ import annotations

import hashlib
import time

from flask import Blueprint, current_app, request
from flask_limiter.util import get_remote_address

from eventapp.extensions import limiter


def _setting(name: str) -> str:
    return str(current_app.config[name])


#: Submissions of the public forms (apply, resend my link).
public_form = limiter.limit(lambda: _setting("RATELIMIT_PUBLIC_FORMS"), methods=["POST"])

#: Every page opened through a private token (manage links, invitations, personal feeds),
#: counted together so a guesser cannot spread attempts over several addresses.
private_link = limiter.shared_limit(lambda: _setting("RATELIMIT_PRIVATE_LINKS"), scope="private-links")


def device_key() -> str:
    """The API caller: a hash of its bearer token (never the token itself), else its address."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return "device:" + hashlib.sha256(value.strip().encode("utf-8")).hexdigest()
    return "address:" + get_remote_address()


def limit_api(blueprint: Blueprint) -> None:
    """One budget per device token across the whole API (RATELIMIT_API).

    Made-up tokens would each get a fresh budget, so failed authentications (401) are also
    counted per address, with the sign-in budget (RATELIMIT_LOGIN).
    """
    limiter.shared_limit(lambda: _setting("RATELIMIT_API"), scope="api", key_func=device_key)(blueprint)
    limiter.shared_limit(
        lambda: _setting("RATELIMIT_LOGIN"),
        scope="api-auth-failures",
        key_func=get_remote_address,
        deduct_when=lambda response: response.status_code == 401,
    )(blueprint)


def retry_after_seconds() -> int:
    """Whole seconds until the breached limit of this request lets the caller in again."""
    breached = limiter.current_limit
    if breached is None:
        return 1
    # Flask-Limiter writes the Retry-After header with the same rounding.
    return max(1, int(breached.reset_at - time.time()))
