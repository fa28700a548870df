"""Rooms, sessions and who speaks in them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import (
    N_,
    Base,
    TimestampMixin,
    TitledEnum,
    UTCDateTime,
    enum_type,
    model_repr,
    translations_column,
    utcnow,
)

if TYPE_CHECKING:
    from eventapp.models.meetings import Meeting
    from eventapp.models.registration import Registration


class SessionType(TitledEnum):
    PLENARY = ("plenary", N_("Plenary"))
    WORKING = ("working", N_("Working session"))
    CLOSED = ("closed", N_("Closed session"))
    SIDE_EVENT = ("side_event", N_("Side event"))
    RECEPTION = ("reception", N_("Reception"))
    BREAK = ("break", N_("Break"))
    SITE_VISIT = ("site_visit", N_("Site visit"))


class SessionAccess(TitledEnum):
    OPEN = ("open", N_("Open to all participants"))
    DELEGATIONS = ("delegations", N_("Members' delegations only"))
    INVITATION = ("invitation", N_("By invitation only"))


class SessionStatus(TitledEnum):
    CONFIRMED = ("confirmed", N_("Confirmed"))
    TENTATIVE = ("tentative", N_("Tentative"))
    CANCELLED = ("cancelled", N_("Cancelled"))


class SpeakerRole(TitledEnum):
    SPEAKER = ("speaker", N_("Speaker"))
    MODERATOR = ("moderator", N_("Moderator"))


class Room(TimestampMixin, Base):
    __tablename__ = "rooms"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    capacity: Mapped[int | None]
    #: Building or venue, when the meeting uses more than one.
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    floor: Mapped[str] = mapped_column(sa.String(40), default="")

    meeting: Mapped[Meeting] = relationship()

    def __repr__(self) -> str:
        return model_repr(self, "name")


class Session(TimestampMixin, Base):
    """One item of a meeting's agenda."""

    __tablename__ = "sessions"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    #: The title in the other UN languages ({"fr": "..."}); `title` is the original.
    title_translations: Mapped[dict[str, str]] = translations_column()
    description: Mapped[str] = mapped_column(sa.Text, default="")
    type: Mapped[SessionType] = mapped_column(enum_type(SessionType), default=SessionType.PLENARY)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None]
    access: Mapped[SessionAccess] = mapped_column(enum_type(SessionAccess), default=SessionAccess.OPEN)
    status: Mapped[SessionStatus] = mapped_column(enum_type(SessionStatus), default=SessionStatus.CONFIRMED)
    #: Theme or track, free text ("National Action Plan Implementation").
    track: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Position among sessions starting at the same time.
    position: Mapped[int] = mapped_column(default=0)
    #: iCalendar SEQUENCE: raised on every change of time, place or status.
    sequence: Mapped[int] = mapped_column(default=0)
    #: Hidden from the public agenda until published.
    is_published: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    meeting: Mapped[Meeting] = relationship()
    room: Mapped[Room | None] = relationship()
    speakers: Mapped[list[SessionSpeaker]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionSpeaker.position"
    )

    def __repr__(self) -> str:
        return model_repr(self, "id", "title")


class SessionSpeaker(Base):
    """A speaker or moderator: a registrant, or a name typed in by the host."""

    __tablename__ = "session_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id", ondelete="SET NULL"))
    #: Name as typed, used when no registration is linked.
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    affiliation: Mapped[str] = mapped_column(sa.String(200), default="")
    role: Mapped[SpeakerRole] = mapped_column(enum_type(SpeakerRole), default=SpeakerRole.SPEAKER)
    position: Mapped[int] = mapped_column(default=0)

    session: Mapped[Session] = relationship(back_populates="speakers")
    registration: Mapped[Registration | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.registration.full_name if self.registration else self.name


class SessionAttendance(Base):
    """A registrant's pick for their personal agenda."""

    __tablename__ = "session_attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[Session] = relationship()
    registration: Mapped[Registration] = relationship(back_populates="sessions_attending")
