"""Outgoing mail. Messages are stored first, then delivered once the caller's transaction commits.

With `MAIL_BACKEND=outbox` (development and tests) delivery only marks them kept, and admins
read them in the app; with `smtp` they go out through the configured server.
"""

from __future__ import annotations

import base64
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session as OrmSession

from eventapp.extensions import db
from eventapp.jobs import started, uses_redis
from eventapp.mail.sweeps import SWEEP_KEY, ask_for_sweep
from eventapp.models import MailStatus, OutboxMessage
from eventapp.models.base import utcnow

PENDING_KEY = "outbox_pending"


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes

    def as_json(self) -> dict[str, str]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "data": base64.b64encode(self.data).decode("ascii"),
        }


def queue_email(to: str, subject: str, body_text: str, **details: Any) -> OutboxMessage:
    """Add a message to the caller's transaction; it is delivered only if that transaction commits.

    `details`: body_html, attachments, meeting_id, registration_id (see `outbox_values`).
    """
    message = OutboxMessage(**outbox_values(to, subject, body_text, **details))
    db.session.add(message)
    # No flush of its own: the caller's next flush or its commit inserts it with the rest.
    if message.status != MailStatus.KEPT:
        db.session.info.setdefault(PENDING_KEY, []).append(message)
    return message


def outbox_values(
    to: str,
    subject: str,
    body_text: str,
    *,
    body_html: str = "",
    attachments: list[Attachment] | None = None,
    meeting_id: int | None = None,
    registration_id: int | None = None,
) -> dict[str, Any]:
    """One outbox row's values; a message stored this way must go to `send_committed` after the commit."""
    return {
        "to": to,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "attachments": [a.as_json() for a in attachments or []],
        "meeting_id": meeting_id,
        "registration_id": registration_id,
        # Keeping is all the outbox backend does, and the caller's commit is what decides it: the
        # message is stored as kept with the rest, instead of a second transaction after it.
        "status": MailStatus.KEPT if _kept_here() else MailStatus.QUEUED,
    }


def _kept_here() -> bool:
    """Outbox backend with delivery inline (no queue): the message needs nothing after the commit."""
    return current_app.config.get("MAIL_BACKEND", "outbox") == "outbox" and not uses_redis()


def send_committed(message_ids: list[int]) -> None:
    """Deliver messages whose transaction has committed: one queue sweep with Redis, else right now."""
    if not message_ids:
        return
    if uses_redis():
        # One sweep for whatever is queued, not a job per message (eventapp/mail/sweeps.py).
        ask_for_sweep()
        return
    for message_id in message_ids:
        deliver(message_id)


@event.listens_for(OrmSession, "after_commit")
def _deliver_after_commit(session: OrmSession) -> None:
    pending = session.info.pop(PENDING_KEY, [])
    # The identity key survives the commit's expiry, so this reads no row back.
    identities = (inspect(message).identity for message in pending)
    send_committed([identity[0] for identity in identities if identity is not None])


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(PENDING_KEY, None)


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for item in message.attachments:
        maintype, _, subtype = item["content_type"].partition("/")
        email.add_attachment(
            base64.b64decode(item["data"]),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=item["filename"],
        )
    return email


def deliver(message_id: int) -> None:
    """Send one stored message (or keep it, with the outbox backend). Runs in its own transaction."""
    with OrmSession(db.engine) as session:
        # Locked while it is sent (PostgreSQL): a second sweep running at the same time skips it.
        message = session.get(OutboxMessage, message_id, with_for_update={"skip_locked": True})
        if message is None or message.status in (MailStatus.SENT, MailStatus.KEPT):
            return
        if current_app.config.get("MAIL_BACKEND", "outbox") == "outbox":
            message.status = MailStatus.KEPT
        else:
            _send(message)
        session.commit()


def _send(message: OutboxMessage) -> None:
    """Hand the message to the SMTP server; its status says how that went."""
    config = current_app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(_as_email(message))
    except (OSError, smtplib.SMTPException) as exc:
        message.status = MailStatus.FAILED
        message.error = f"{type(exc).__name__}: {exc}"
    else:
        message.status = MailStatus.SENT
        message.sent_at = utcnow()


def deliver_queued() -> int:
    """Deliver every message still queued, oldest first; the queue's job after commits that queued mail."""
    started(SWEEP_KEY)  # first: a message committed from now on queues another sweep
    with OrmSession(db.engine) as session:
        ids = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.QUEUED).order_by(OutboxMessage.id)
        ).all()
    for message_id in ids:
        deliver(message_id)
    return len(ids)
