"""Outgoing email: every message is kept, and in development it only goes to this outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from eventapp.models.base import N_, Base, TitledEnum, UTCDateTime, enum_type, utcnow


class MailStatus(TitledEnum):
    QUEUED = ("queued", N_("Queued"))
    SENT = ("sent", N_("Sent"))
    KEPT = ("kept", N_("Kept in the outbox (not sent)"))
    FAILED = ("failed", N_("Failed"))


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    # Only the messages waiting for delivery: the jobs worker looks for them every second.
    __table_args__ = (
        sa.Index(
            "ix_outbox_messages_queued",
            "id",
            postgresql_where=sa.text("status = 'queued'"),
            sqlite_where=sa.text("status = 'queued'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    #: [{"filename", "content_type", "data" (base64)}]
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    status: Mapped[MailStatus] = mapped_column(enum_type(MailStatus), default=MailStatus.QUEUED)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    #: What the message is about, for the admin outbox view.
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
