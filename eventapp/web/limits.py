"""Named rate limits for the public surfaces; the figures come from the config.

Limits are counted per client address (the API counts per device token: eventapp/api/budgets.py), in Redis when
`REDIS_URL` is set so that every worker shares them. Each says what it limits: the 429 page shows
its `error_message` (eventapp/web/errors.py).
"""

from __future__ import annotations

from flask import current_app

from eventapp.extensions import limiter
from eventapp.models.base import N_


def _setting(name: str) -> str:
    return str(current_app.config[name])


#: Attempts to sign in (the form's submissions; opening the page is not counted).
sign_in = limiter.limit(
    lambda: _setting("RATELIMIT_LOGIN"),
    methods=["POST"],
    error_message=N_("Too many sign-in attempts from your network."),
)

#: Submissions of the public forms (apply, resend my link); opening the page is not counted.
public_form = limiter.limit(
    lambda: _setting("RATELIMIT_PUBLIC_FORMS"),
    methods=["POST"],
    error_message=N_("Too many forms sent from your network."),
)

#: Every page opened through a private token (manage links, invitations, personal feeds),
#: counted together so a guesser cannot spread attempts over several addresses.
private_link = limiter.shared_limit(
    lambda: _setting("RATELIMIT_PRIVATE_LINKS"),
    scope="private-links",
    error_message=N_("Too many private links opened from your network."),
)
