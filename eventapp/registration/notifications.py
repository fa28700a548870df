"""Emails to registrants: submission, each decision, promotion, withdrawal, the manage link again.

The wording lives in templates/registration/email/<kind>.txt: the first line is "Subject: ...",
the rest is the body. Every message carries the meeting's .ics and the person's manage link, and
is written in the language the person used (`Registration.locale`), whoever triggers it.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, get_locale

from eventapp.mail.services import Attachment, queue_email
from eventapp.models import Delegation, Meeting, OutboxMessage, Registration, RegistrationStatus, User
from eventapp.registration.ics import ics_filename, meeting_ics
from eventapp.registration.tokens import make_manage_token

#: Invitations go to a member's focal points, who have no language of their own on record yet.
INVITATION_LOCALE = "en"


def interface_locale() -> str:
    """The interface language in use now, kept on a registration for the person's emails."""
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def external_url(endpoint: str, **values: object) -> str:
    """An absolute address, also outside a request (jobs, commands) from PUBLIC_BASE_URL."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def _render(kind: str, **context: object) -> tuple[str, str]:
    # Straight from the environment: no request-bound context processors (mail also goes out from jobs).
    template = current_app.jinja_env.get_template(f"registration/email/{kind}.txt")
    text = template.render(**context)
    first, _, body = text.lstrip().partition("\n")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"


def _send_to_registrant(
    kind: str, registration: Registration, *, manage_token: str | None = None, **context: object
) -> OutboxMessage:
    meeting = registration.meeting
    token = manage_token or make_manage_token(registration)
    subject, body, attachments = registrant_message(
        kind,
        registration,
        meeting=meeting,
        manage_url=external_url("registration.manage", token=token),
        meeting_url=external_url("meetings.show", slug=meeting.slug),
        **context,
    )
    return queue_email(
        registration.email,
        subject,
        body,
        attachments=attachments,
        meeting_id=meeting.id,
        registration_id=registration.id,
    )


def registrant_message(
    kind: str, registration: Registration, *, meeting: Meeting, manage_url: str, meeting_url: str, **context: object
) -> tuple[str, str, list[Attachment]]:
    """Subject, body and the meeting's .ics of one message to a registrant, in their language."""
    with force_locale(registration.locale or "en"):
        subject, body = _render(
            kind,
            registration=registration,
            meeting=meeting,
            manage_url=manage_url,
            meeting_url=meeting_url,
            **context,
        )
    ics = meeting_ics(meeting, url=meeting_url)
    return subject, body, [Attachment(ics_filename(meeting), "text/calendar", ics)]


def notify_submitted(registration: Registration, *, manage_token: str | None = None) -> OutboxMessage:
    """Right after someone registers (or is registered by their focal point).

    `manage_token`: the caller's token for the same person, when it made one.
    """
    return _send_to_registrant("submitted", registration, manage_token=manage_token)


def notify_decision(registration: Registration) -> OutboxMessage:
    """After a host or the capacity rules decided: approved, waiting list or declined."""
    kinds = {
        RegistrationStatus.APPROVED: "approved",
        RegistrationStatus.WAITLISTED: "waitlisted",
        RegistrationStatus.DECLINED: "declined",
    }
    return _send_to_registrant(kinds[registration.status], registration)


def notify_promoted(registration: Registration) -> OutboxMessage:
    return _send_to_registrant("promoted", registration)


def notify_withdrawn(registration: Registration) -> OutboxMessage:
    return _send_to_registrant("withdrawn", registration)


def notify_manage_link(registration: Registration) -> OutboxMessage:
    return _send_to_registrant("manage_link", registration)


def notify_invitation(delegation: Delegation, token: str, focal_points: list[User]) -> list[OutboxMessage]:
    """The member's invitation link, to each of its focal points' accounts (in English: not the host's language)."""
    meeting = delegation.meeting
    invitation_url = external_url("registration.invitation", token=token)
    with force_locale(INVITATION_LOCALE):
        subject, body = _render(
            "invitation",
            delegation=delegation,
            meeting=meeting,
            invitation_url=invitation_url,
            account_url=external_url("registration.my_delegations"),
        )
    ics = meeting_ics(meeting, url=external_url("meetings.show", slug=meeting.slug))
    return [
        queue_email(
            user.email,
            subject,
            body,
            attachments=[Attachment(ics_filename(meeting), "text/calendar", ics)],
            meeting_id=meeting.id,
        )
        for user in focal_points
    ]
