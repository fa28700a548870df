"""Keys of the network's people: account links, second factors, recovery codes; the focal-point directory."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import N_, Base, TimestampMixin, TitledEnum, UTCDateTime, enum_type, model_repr, utcnow

if TYPE_CHECKING:
    from eventapp.models.members import Member
    from eventapp.models.users import User


class LinkPurpose(TitledEnum):
    INVITATION = ("invitation", N_("Invitation"))
    PASSWORD_RESET = ("password_reset", N_("Password reset"))


class AccountLink(Base):
    """A single-use link to choose a password: an invitation or a reset. Only its hash is stored."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_type(LinkPurpose))
    #: SHA-256 of the link's token, hex.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The link stops working after this moment.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set when the link was used (or replaced by a newer one); a used link never works again.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SecondFactor(Base):
    """A user's TOTP authenticator; in force once confirmed with a first code."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: The base32 TOTP secret, encrypted with DATA_ENCRYPTION_KEY.
    secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When the user proved the authenticator works; empty while enrolment is under way.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Time step of the last code accepted: a code of this step or an earlier one is refused (no replay).
    last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(Base):
    """One single-use recovery code, stored as its SHA-256 (the codes are random, 50 bits each)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FocalPointContact(TimestampMixin, Base):
    """A focal point of a member in the directory: current while `until` is empty, former after."""

    __tablename__ = "focal_point_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: Title or function ("Director, Human Rights Department").
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Ministry or office.
    office: Mapped[str] = mapped_column(sa.String(200), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(64), default="")
    #: Focal point since; empty when not known.
    since: Mapped[date | None] = mapped_column(sa.Date)
    #: Focal point until; empty while current.
    until: Mapped[date | None] = mapped_column(sa.Date)

    member: Mapped[Member] = relationship()

    @property
    def is_current(self) -> bool:
        return self.until is None

    def __repr__(self) -> str:
        return model_repr(self, "name", "member_id")
