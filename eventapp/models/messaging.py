"""Messages a host writes to a group of a meeting's participants, their reusable templates, and who got what."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Base, TimestampMixin, UTCDateTime, model_repr, utcnow

if TYPE_CHECKING:
    from eventapp.models.mail import OutboxMessage
    from eventapp.models.meetings import Meeting
    from eventapp.models.registration import Registration
    from eventapp.models.users import User

#: {"en": {"subject": "...", "body": "..."}, "fr": {...}}: one version per language written.
Versions = dict[str, dict[str, str]]


class MessageTemplate(TimestampMixin, Base):
    """A message kept for reuse at any meeting (practical information, a reminder...)."""

    __tablename__ = "message_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What hosts pick it by; unique.
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    #: The language whose version goes to people with none of their own.
    default_locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    versions: Mapped[Versions] = mapped_column(sa.JSON, default=dict)
    #: Who last saved it; empty once their account is deleted.
    saved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    saved_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return model_repr(self, "id", "name")


class GroupMessage(Base):
    """One message sent to the participants of a meeting that matched a filter when it was sent."""

    __tablename__ = "group_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The language whose version goes to people with none of their own.
    default_locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    versions: Mapped[Versions] = mapped_column(sa.JSON, default=dict)
    #: The group as the host chose it: {"categories": [...], "statuses": [...], "member": ..., ...}.
    audience: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    recipient_count: Mapped[int] = mapped_column(default=0)
    #: Made when the host previewed it: sending the same preview twice (a double click) sends once.
    send_token: Mapped[str | None] = mapped_column(sa.String(43), unique=True)

    meeting: Mapped[Meeting] = relationship()
    sent_by: Mapped[User | None] = relationship()
    recipients: Mapped[list[MessageRecipient]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="MessageRecipient.id"
    )

    @property
    def subject(self) -> str:
        return self.versions.get(self.default_locale, {}).get("subject", "")

    def __repr__(self) -> str:
        return model_repr(self, "id", "meeting_id")


class MessageRecipient(Base):
    """One person a group message went to, in which language, and its email in the outbox."""

    __tablename__ = "group_message_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("group_messages.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    #: Name and address as they were when it was sent.
    name: Mapped[str] = mapped_column(sa.String(201))
    email: Mapped[str] = mapped_column(sa.String(254))
    #: The language of the version this person got.
    locale: Mapped[str] = mapped_column(sa.String(10))
    #: Its email: the outbox says whether it went, when, and why not; empty once purged.
    outbox_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )

    message: Mapped[GroupMessage] = relationship(back_populates="recipients")
    registration: Mapped[Registration | None] = relationship()
    outbox_message: Mapped[OutboxMessage | None] = relationship()
