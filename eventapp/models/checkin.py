"""Badges and every scan of one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import N_, Base, TitledEnum, UTCDateTime, enum_type, model_repr, utcnow

if TYPE_CHECKING:
    from eventapp.models.agenda import Session
    from eventapp.models.meetings import Meeting
    from eventapp.models.registration import Registration


class Direction(TitledEnum):
    IN = ("in", N_("Entry"))
    OUT = ("out", N_("Exit"))


class ScanResult(TitledEnum):
    ADMITTED = ("admitted", N_("Admitted"))
    ALREADY_INSIDE = ("already_inside", N_("Already inside"))
    NOT_ALLOWED = ("not_allowed", N_("Not allowed in this session"))
    NOT_APPROVED = ("not_approved", N_("Registration not approved"))
    REVOKED = ("revoked", N_("Badge revoked"))
    INVALID = ("invalid", N_("Invalid badge"))
    WRONG_MEETING = ("wrong_meeting", N_("Badge for another meeting"))
    EXITED = ("exited", N_("Exit recorded"))


class Badge(Base):
    """A printed badge; reissuing one revokes the previous token."""

    __tablename__ = "badges"
    # One live (unrevoked) badge per registration: the badge every download prints and every door admits.
    __table_args__ = (
        sa.Index(
            "uq_badges_live_registration",
            "registration_id",
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: Random identifier carried in the signed token; unique across meetings.
    token_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return model_repr(self, "token_id")


class CheckIn(Base):
    """One scan at a checkpoint, whatever its result."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    badge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("badges.id", ondelete="SET NULL"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    #: "entrance" for the venue door; otherwise the session's room checkpoint.
    checkpoint: Mapped[str] = mapped_column(sa.String(64))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sessions.id", ondelete="SET NULL"))
    direction: Mapped[Direction] = mapped_column(enum_type(Direction))
    result: Mapped[ScanResult] = mapped_column(enum_type(ScanResult))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Client-made nonce; the same nonce twice records one scan (offline sync is idempotent).
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: When the device scanned (may be earlier than recorded_at for offline scans).
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Name of the scanning device or user.
    device: Mapped[str] = mapped_column(sa.String(120), default="")
    scanned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    badge: Mapped[Badge | None] = relationship()
    registration: Mapped[Registration | None] = relationship()
    session: Mapped[Session | None] = relationship()


class Presence(Base):
    """Whether a person is inside a checkpoint now; one row per person and checkpoint.

    Scans lock this row, so concurrent scans of one badge make one entry.
    """

    __tablename__ = "presences"

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    checkpoint: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    inside: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DeviceToken(Base):
    """A bearer token for a scanning device at one meeting; only its hash is stored."""

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: SHA-256 of the token, hex.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The host who made the device in the app; empty for a token made on the command line.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Requests refused because the device was revoked (a phone syncing its offline queue late).
    refused_count: Mapped[int] = mapped_column(sa.Integer, default=0, server_default=sa.text("0"))
    last_refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship()


class BadgeBatchStatus(TitledEnum):
    QUEUED = ("queued", N_("Queued"))
    RUNNING = ("running", N_("Running"))
    DONE = ("done", N_("Ready to download"))
    FAILED = ("failed", N_("Failed"))


class BadgeBatch(Base):
    """A batch of badges rendered to one PDF, in the background when Redis is there."""

    __tablename__ = "badge_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: Sheet layout: "a6", "a4-4up", "letter-4x3".
    layout: Mapped[str] = mapped_column(sa.String(32))
    status: Mapped[BadgeBatchStatus] = mapped_column(enum_type(BadgeBatchStatus), default=BadgeBatchStatus.QUEUED)
    #: Which registrations, as the filter the host chose.
    selection: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    badge_count: Mapped[int] = mapped_column(default=0)
    #: File name of the finished PDF under the instance folder.
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    error: Mapped[str] = mapped_column(sa.Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
