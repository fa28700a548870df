"""Named rate limits for the public surfaces; the figures come from the config.

Limits are counted per client address (the API counts per device token: eventapp/api/budgets.py), in Redis when
`REDIS_URL` is set so that every worker shares them.
"""

from __future__ import annotations

from flask import current_app

from eventapp.extensions import limiter


def _setting(name: str) -> str:
    return str(current_app.config[name])


#: Submissions of the public forms (apply, resend my link); opening the page is not counted.
public_form = limiter.limit(lambda: _setting("RATELIMIT_PUBLIC_FORMS"), methods=["POST"])

#: Every page opened through a private token (manage links, invitations, personal feeds),
#: counted together so a guesser cannot spread attempts over several addresses.
private_link = limiter.shared_limit(lambda: _setting("RATELIMIT_PRIVATE_LINKS"), scope="private-links")
