"""`python -m bench.fixtures SLUG OUT.json`: what the load test needs from the seeded bench database.

Run with the bench's environment (bench/stack.py), so the app's own code signs the badge tokens
and the calendar links with the keys the served app checks them with. Writes:
`apply_slug` (a published meeting taking applications), `badge_tokens` (every live badge of
SLUG), `calendar_tokens` (personal feed links of SLUG's approved participants) and, given the
bench host's address, `host_totp_secret`: hosts sign in with a second factor, set up here as
the host would on the two-factor page.
"""

from __future__ import annotations

import json
import random
import sys

import sqlalchemy as sa

CALENDAR_PEOPLE = 3000


def collect(slug: str) -> dict[str, object]:
    from eventapp.badges.services import badge_token
    from eventapp.extensions import db
    from eventapp.models import Badge, Meeting, MeetingStatus, Registration, RegistrationStatus
    from eventapp.registration.tokens import make_calendar_token

    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))
    if meeting is None:
        raise SystemExit(f"no meeting {slug!r} in the bench database")
    published = db.session.scalars(sa.select(Meeting).where(Meeting.status == MeetingStatus.PUBLISHED))
    apply_slug = next((m.slug for m in published if m.registration_is_open()), None)
    if apply_slug is None:
        raise SystemExit("no meeting in the bench database takes applications")
    badges = db.session.scalars(
        sa.select(Badge)
        .join(Registration)
        .where(Registration.meeting_id == meeting.id, Badge.revoked_at.is_(None))
        .order_by(Badge.id)
    )
    people = db.session.scalars(
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.APPROVED)
        .order_by(Registration.id)
        .limit(CALENDAR_PEOPLE)
    )
    tokens = [badge_token(b) for b in badges]
    # Arrival order at the door is not the order badges were issued in.
    random.Random(1325).shuffle(tokens)
    return {
        "apply_slug": apply_slug,
        "badge_tokens": tokens,
        "calendar_tokens": [make_calendar_token(r) for r in people],
    }


def enrol_second_factor(email: str) -> str:
    """Set up the host's authenticator; its secret. Confirmed with the previous step's code, so
    the sign-in that follows (with the current code) is not refused as a replay."""
    import time

    import pyotp

    from eventapp.auth import twofactor
    from eventapp.extensions import db
    from eventapp.models import User

    user = db.session.scalar(sa.select(User).where(User.email == email))
    secret = twofactor.start_enrolment(user)
    totp = pyotp.TOTP(secret)
    if twofactor.confirm_enrolment(user, totp.at(time.time() - totp.interval)) is None:
        raise SystemExit(f"could not set up the second factor of {email}")
    return secret


def main(argv: list[str]) -> int:
    slug, out = argv[1], argv[2]
    from eventapp import create_app

    with create_app().app_context():
        found = collect(slug)
        if len(argv) > 3:
            found["host_totp_secret"] = enrol_second_factor(argv[3])
    with open(out, "w", encoding="utf-8") as stream:
        json.dump(found, stream)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
