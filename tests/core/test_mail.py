"""Mail is stored with the caller's transaction and delivered only after it commits."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.services import Attachment, _as_email, queue_email
from eventapp.models import MailStatus, OutboxMessage


def test_message_is_kept_in_the_outbox_after_commit(app: object) -> None:
    queue_email("a@example.org", "Hello", "Body", attachments=[Attachment("m.ics", "text/calendar", b"BEGIN")])
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == MailStatus.KEPT
    email = _as_email(message)
    assert email["To"] == "a@example.org"
    assert [p.get_filename() for p in email.iter_attachments()] == ["m.ics"]


def test_rolled_back_transaction_sends_nothing(app: object) -> None:
    queue_email("a@example.org", "Hello", "Body")
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage)) is None


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1}])
def test_smtp_failure_is_recorded_not_raised(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise smtplib.SMTPConnectError(421, "no")

    monkeypatch.setattr(smtplib.SMTP, "__init__", refuse)
    queue_email("a@example.org", "Hello", "Body")
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == MailStatus.FAILED
    assert "SMTPConnectError" in message.error


@pytest.mark.parametrize("app_config", [{"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 2525}])
def test_smtp_sends_the_message(app: object, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[object] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            assert (host, port) == ("127.0.0.1", 2525)

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def send_message(self, email: object) -> None:
            sent.append(email)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    queue_email("a@example.org", "Hello", "Body")
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage))
    db.session.refresh(message)
    assert message.status == MailStatus.SENT and message.sent_at is not None
    assert sent[0]["Subject"] == "Hello"
