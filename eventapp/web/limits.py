"""Named rate limits for the public surfaces; the figures come from the config.

Limits are counted per client address (the API counts per device token: eventapp/api/budgets.py), in Redis when
`REDIS_URL` is set so that every worker shares them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from flask import current_app, request
from limits import RateLimitItem, parse

from eventapp.extensions import limiter

#: Set in the WSGI environ by a layer in front of Flask that counted the request against its
#: route's limit, so that Flask does not count it twice when the layer hands the request on.
COUNTED = "eventapp.limits.counted"


def _setting(name: str) -> str:
    return str(current_app.config[name])


def _counted_in_front() -> bool:
    return bool(request.environ.get(COUNTED))


#: Submissions of the public forms (apply, resend my link).
public_form = limiter.limit(lambda: _setting("RATELIMIT_PUBLIC_FORMS"), methods=["POST"], exempt_when=_counted_in_front)


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> RateLimitItem:
    return parse(text)


def count_public_form(config: Mapping[str, Any], endpoint: str, address: str) -> bool:
    """Count a submission of `endpoint` as `public_form` counts it (same storage key); False when over.

    For layers in front of Flask; the caller sets COUNTED in the environ when this says True.
    """
    if not limiter.enabled:
        return True
    ids = (limiter._key_prefix, address, endpoint) if limiter._key_prefix else (address, endpoint)
    return bool(limiter.limiter.hit(_parsed(str(config["RATELIMIT_PUBLIC_FORMS"])), *ids))


#: Every page opened through a private token (manage links, invitations, personal feeds),
#: counted together so a guesser cannot spread attempts over several addresses.
private_link = limiter.shared_limit(lambda: _setting("RATELIMIT_PRIVATE_LINKS"), scope="private-links")
