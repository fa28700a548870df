"""Speakers' lists of sessions: who takes the floor for which member, in which order, and the chair's clock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import N_, Base, TimestampMixin, TitledEnum, UTCDateTime, enum_type, model_repr, utcnow

if TYPE_CHECKING:
    from eventapp.models.agenda import Session
    from eventapp.models.registration import Delegation, Registration


class RepresentationLevel(TitledEnum):
    """Levels in the order UN meetings give the floor (the first speaks first)."""

    HEAD_OF_STATE = ("head_of_state", N_("Head of State or Government"))
    MINISTER = ("minister", N_("Minister"))
    DEPUTY_MINISTER = ("deputy_minister", N_("Deputy Minister"))
    AMBASSADOR = ("ambassador", N_("Ambassador or Permanent Representative"))
    FOCAL_POINT = ("focal_point", N_("Focal point"))
    OTHER = ("other", N_("Other"))

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class InscriptionStatus(TitledEnum):
    WAITING = ("waiting", N_("Waiting"))
    CALLED = ("called", N_("Has the floor"))
    SPOKE = ("spoke", N_("Spoke"))


class SpeakersList(TimestampMixin, Base):
    """A session's list of speakers, its rules, and the chair's count-down as the console left it."""

    __tablename__ = "speakers_lists"
    __table_args__ = (sa.CheckConstraint("seconds_per_speaker > 0", name="positive_time_limit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"), unique=True)
    #: Focal points inscribe their delegation before this time; hosts may still add one after.
    inscriptions_close_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Time limit per speaker.
    seconds_per_speaker: Mapped[int] = mapped_column(default=180)
    #: Whether the co-chairs and the host country speak before everyone else.
    chairs_first: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    #: Shown to the public (list, room display, record) only when published; hosts always see it.
    is_published: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: When the current run of the clock began; empty while it is paused.
    clock_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Speaking time of the current speaker before the current run, in milliseconds.
    clock_used_ms: Mapped[int] = mapped_column(default=0)
    #: Raised on every change the console and the room display show.
    version: Mapped[int] = mapped_column(default=0)
    #: Keys of the console's latest actions: an action sent again (a retry after a lost answer) applies once.
    recent_action_keys: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)

    session: Mapped[Session] = relationship()
    inscriptions: Mapped[list[SpeakerInscription]] = relationship(
        back_populates="speakers_list",
        cascade="all, delete-orphan",
        order_by=lambda: [SpeakerInscription.position, SpeakerInscription.id],
    )

    def is_open_for_inscription(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) < self.inscriptions_close_at

    def __repr__(self) -> str:
        return model_repr(self, "id", "session_id")


class SpeakerInscription(Base):
    """One delegation on a speakers' list: its speaker, their level, and when they spoke."""

    __tablename__ = "speaker_inscriptions"
    # A delegation is on a list once; the list row's lock keeps positions distinct.
    __table_args__ = (
        sa.UniqueConstraint("list_id", "delegation_id"),
        sa.CheckConstraint("ended_at IS NULL OR started_at IS NOT NULL", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(sa.ForeignKey("speakers_lists.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    #: The person who takes the floor, from the delegation.
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    level: Mapped[RepresentationLevel] = mapped_column(enum_type(RepresentationLevel))
    inscribed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    inscribed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Place on the list (1 speaks first); those who spoke keep the place they spoke in.
    position: Mapped[int]
    status: Mapped[InscriptionStatus] = mapped_column(enum_type(InscriptionStatus), default=InscriptionStatus.WAITING)
    #: When the speaker's clock first ran, and when the chair gave the floor to the next.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Time the speaker's clock ran, pauses left out.
    spoken_ms: Mapped[int | None]
    #: Times the chair found the speaker not present and moved them to the end.
    times_absent: Mapped[int] = mapped_column(default=0)

    speakers_list: Mapped[SpeakersList] = relationship(back_populates="inscriptions")
    delegation: Mapped[Delegation] = relationship()
    registration: Mapped[Registration] = relationship()

    def __repr__(self) -> str:
        return model_repr(self, "id", "delegation_id", "position", "status")
