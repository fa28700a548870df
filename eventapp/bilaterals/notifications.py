"""Emails about a bilateral to the focal points of its delegations, each in their own language.

The wording lives in templates/bilaterals/email/<step>.txt: the first line is "Subject: ...",
the rest is the body. A focal point's language is the one they last used on a bilateral of the
meeting, else the one of their own registration to it, else English (accounts carry none).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from eventapp.bilaterals.naming import member_name
from eventapp.extensions import db
from eventapp.mail.services import queue_email
from eventapp.models import (
    Bilateral,
    BilateralSide,
    BilateralStep,
    BilateralStepKind,
    Registration,
    Role,
    User,
)
from eventapp.registration.notifications import external_url
from eventapp.web.datetimes import format_moment

DEFAULT_LOCALE = "en"


def focal_points(member_id: int) -> list[User]:
    query = select(User).where(
        User.member_id == member_id, User.role == Role.FOCAL_POINT, User.is_active_account.is_(True)
    )
    return list(db.session.scalars(query.order_by(User.id)))


def language_of(user: User, meeting_id: int) -> str:
    """The language this focal point reads: last used on a bilateral here, else their registration's."""
    used = db.session.scalar(
        select(BilateralStep.locale)
        .join(Bilateral, Bilateral.id == BilateralStep.bilateral_id)
        .where(BilateralStep.actor_id == user.id, Bilateral.meeting_id == meeting_id)
        .order_by(BilateralStep.id.desc())
        .limit(1)
    )
    if used:
        return used
    registered = db.session.scalar(
        select(Registration.locale).where(Registration.meeting_id == meeting_id, Registration.email == user.email)
    )
    return registered or DEFAULT_LOCALE


def _render(kind: BilateralStepKind, **context: object) -> tuple[str, str]:
    # Straight from the environment: mail may also go out from jobs, outside a request.
    template = current_app.jinja_env.get_template(f"bilaterals/email/{kind.value}.txt")
    text = template.render(**context)
    first, _, body = text.lstrip().partition("\n")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"


def notify(bilateral: Bilateral, kind: BilateralStepKind, *, to: list[BilateralSide], message: str = "") -> int:
    """Queue one email per focal point of each side in `to`; returns how many (sent once the caller commits)."""
    meeting = bilateral.meeting
    url = external_url("bilaterals.show", slug=meeting.slug, bilateral_id=bilateral.id)
    sent = 0
    for side in to:
        own = bilateral.delegation_of(side)
        them = bilateral.counterpart if side == BilateralSide.REQUESTER else bilateral.requester
        for user in focal_points(own.member_id):
            locale = language_of(user, meeting.id)
            with force_locale(locale):
                subject, body = _render(
                    kind,
                    bilateral=bilateral,
                    meeting=meeting,
                    own=member_name(own.member),
                    other=member_name(them.member),
                    proposals=[format_moment(p.starts_at, meeting.timezone) for p in bilateral.current_proposals],
                    when=format_moment(bilateral.starts_at, meeting.timezone),
                    room=bilateral.room,
                    message=message.strip(),
                    url=url,
                )
            queue_email(user.email, subject, body, meeting_id=meeting.id)
            sent += 1
    return sent
