"""Bilateral meetings between two members' delegations, the times proposed for them, and their rooms."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import N_, Base, TimestampMixin, TitledEnum, UTCDateTime, enum_type, model_repr, utcnow

if TYPE_CHECKING:
    from eventapp.models.agenda import Room
    from eventapp.models.meetings import Meeting
    from eventapp.models.registration import Delegation
    from eventapp.models.users import User


class BilateralStatus(TitledEnum):
    REQUESTED = ("requested", N_("Awaiting an answer"))
    CONFIRMED = ("confirmed", N_("Confirmed"))
    DECLINED = ("declined", N_("Declined"))
    CANCELLED = ("cancelled", N_("Cancelled"))


class BilateralSide(TitledEnum):
    REQUESTER = ("requester", N_("Requesting delegation"))
    COUNTERPART = ("counterpart", N_("Invited delegation"))


class BilateralStepKind(TitledEnum):
    REQUESTED = ("requested", N_("Asked for a bilateral"))
    PROPOSED = ("proposed", N_("Proposed other times"))
    ACCEPTED = ("accepted", N_("Accepted"))
    DECLINED = ("declined", N_("Declined"))
    WITHDRAWN = ("withdrawn", N_("Withdrew the request"))
    BOOKED = ("booked", N_("Booked a room"))
    MOVED = ("moved", N_("Moved"))
    CANCELLED = ("cancelled", N_("Cancelled"))


class Bilateral(TimestampMixin, Base):
    """One delegation asks another for a meeting; once a time is agreed, a room is booked for it."""

    __tablename__ = "bilaterals"
    __table_args__ = (
        sa.CheckConstraint("requester_id <> counterpart_id", name="two_delegations"),
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("duration_minutes > 0", name="positive_duration"),
        sa.Index("ix_bilaterals_meeting_starts", "meeting_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: The delegation that asked.
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    #: The delegation asked.
    counterpart_id: Mapped[int] = mapped_column(sa.ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    #: What the delegations mean to discuss, as the requester wrote it.
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Length of the meeting; every proposed time lasts this long.
    duration_minutes: Mapped[int] = mapped_column(default=30)
    status: Mapped[BilateralStatus] = mapped_column(enum_type(BilateralStatus), default=BilateralStatus.REQUESTED)
    #: Whose answer the latest proposals wait for, while the bilateral is requested.
    awaiting: Mapped[BilateralSide] = mapped_column(enum_type(BilateralSide), default=BilateralSide.COUNTERPART)
    #: The agreed time (UTC); empty until one side accepts a proposal.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The bilateral room booked for it.
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rooms.id", ondelete="SET NULL"), index=True)
    #: iCalendar SEQUENCE: raised on every change of the agreed time, the room or the status.
    sequence: Mapped[int] = mapped_column(default=0)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship()
    requester: Mapped[Delegation] = relationship(foreign_keys=[requester_id])
    counterpart: Mapped[Delegation] = relationship(foreign_keys=[counterpart_id])
    room: Mapped[Room | None] = relationship()
    proposals: Mapped[list[BilateralProposal]] = relationship(
        back_populates="bilateral",
        cascade="all, delete-orphan",
        order_by=lambda: [BilateralProposal.round, BilateralProposal.starts_at],
    )
    steps: Mapped[list[BilateralStep]] = relationship(
        back_populates="bilateral", cascade="all, delete-orphan", order_by="BilateralStep.id"
    )

    def delegation_of(self, side: BilateralSide) -> Delegation:
        return self.requester if side == BilateralSide.REQUESTER else self.counterpart

    @property
    def current_proposals(self) -> list[BilateralProposal]:
        """The times of the latest round: those the awaited side chooses from."""
        if not self.proposals:
            return []
        latest = max(p.round for p in self.proposals)
        return [p for p in self.proposals if p.round == latest]

    def __repr__(self) -> str:
        return model_repr(self, "id", "status")


class BilateralProposal(Base):
    """A time one side proposed; each answer with new times starts a new round."""

    __tablename__ = "bilateral_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    bilateral_id: Mapped[int] = mapped_column(sa.ForeignKey("bilaterals.id", ondelete="CASCADE"), index=True)
    #: 1 for the request, then one more for each counter-proposal.
    round: Mapped[int] = mapped_column(default=1)
    side: Mapped[BilateralSide] = mapped_column(enum_type(BilateralSide))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bilateral: Mapped[Bilateral] = relationship(back_populates="proposals")


class BilateralStep(Base):
    """What happened to a bilateral, by whom, with the message they wrote."""

    __tablename__ = "bilateral_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    bilateral_id: Mapped[int] = mapped_column(sa.ForeignKey("bilaterals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[BilateralStepKind] = mapped_column(enum_type(BilateralStepKind))
    #: The delegation that acted; empty when a host did.
    side: Mapped[BilateralSide | None] = mapped_column(enum_type(BilateralSide))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Optional message to the other delegation.
    message: Mapped[str] = mapped_column(sa.Text, default="")
    #: Interface language the actor used: their later emails about bilaterals are written in it.
    locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bilateral: Mapped[Bilateral] = relationship(back_populates="steps")
    actor: Mapped[User | None] = relationship()


class BilateralRoom(Base):
    """A room of the meeting's agenda set aside for bilaterals."""

    __tablename__ = "bilateral_rooms"

    room_id: Mapped[int] = mapped_column(sa.ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)

    room: Mapped[Room] = relationship()


class BilateralSettings(Base):
    """A meeting's rules for bilaterals, set by its hosts."""

    __tablename__ = "bilateral_settings"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    #: Whether the two delegations may book a bilateral room themselves (otherwise hosts book).
    delegations_book_rooms: Mapped[bool] = mapped_column(sa.Boolean, default=False)
