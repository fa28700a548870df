"""Meetings of the network: capital-level meetings and those beside the Open Debate."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

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
    from eventapp.models.members import Member


class MeetingKind(TitledEnum):
    CAPITAL_LEVEL = ("capital_level", N_("Capital-Level Meeting"))
    OPEN_DEBATE = ("open_debate", N_("Meeting on the sidelines of the UN Security Council Open Debate"))
    OTHER = ("other", N_("Other meeting"))


class MeetingStatus(TitledEnum):
    DRAFT = ("draft", N_("Draft"))
    PUBLISHED = ("published", N_("Published"))
    ARCHIVED = ("archived", N_("Archived"))


meeting_cochairs = sa.Table(
    "meeting_cochairs",
    Base.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("members.id", ondelete="RESTRICT"), primary_key=True),
)


class Meeting(TimestampMixin, Base):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint(
            "registration_closes_at IS NULL OR registration_opens_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            name="registration_window_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL name, unique: "2023-washington".
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind))
    #: Ordinal within its kind (5 for the 5th Capital-Level Meeting), where the network counts it.
    number: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(200))
    #: The meeting theme as the co-chairs set it.
    theme: Mapped[str] = mapped_column(sa.Text, default="")
    #: Title and theme in the other UN languages ({"fr": "..."}); `title` and `theme` are the originals.
    title_translations: Mapped[dict[str, str]] = translations_column()
    theme_translations: Mapped[dict[str, str]] = translations_column()
    city: Mapped[str] = mapped_column(sa.String(120))
    #: ISO 3166-1 alpha-3 code of the host country.
    country_iso3: Mapped[str | None] = mapped_column(sa.String(3))
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    #: IANA time zone the meeting runs in ("America/New_York"); times are shown in it.
    timezone: Mapped[str] = mapped_column(sa.String(64))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    #: Who serves as secretariat ("UN Women").
    secretariat: Mapped[str] = mapped_column(sa.String(200), default="UN Women")
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Registrants may edit their details until then.
    edit_deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[MeetingStatus] = mapped_column(enum_type(MeetingStatus), default=MeetingStatus.DRAFT)
    #: Default number of people a member's delegation may register.
    delegation_quota: Mapped[int] = mapped_column(default=4)
    #: Overall participant capacity; empty means unlimited.
    capacity: Mapped[int | None]
    #: Whether delegation entries need a host's approval (otherwise the focal point's word is enough).
    requires_host_approval: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: Whether the agenda shows to participants and in the public feed.
    agenda_published: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # Letterhead of the host for visa invitation letters.
    host_ministry: Mapped[str] = mapped_column(sa.String(200), default="")
    host_address: Mapped[str] = mapped_column(sa.Text, default="")
    letter_signatory_name: Mapped[str] = mapped_column(sa.String(200), default="")
    letter_signatory_title: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Personal data is anonymised this many days after the meeting ends.
    anonymise_after_days: Mapped[int] = mapped_column(default=90)
    #: When passport data was deleted (right after the meeting).
    passports_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When personal data was anonymised.
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Ed25519 private key that signs badge tokens, encrypted with the app's data key.
    badge_signing_key: Mapped[str | None] = mapped_column(sa.Text)
    #: Matching public key (raw 32 bytes, base64url), given to offline scanners.
    badge_public_key: Mapped[str | None] = mapped_column(sa.String(64))
    #: Languages the nameplates print, comma-separated codes of UN languages in order ("en,fr").
    nameplate_languages: Mapped[str] = mapped_column(sa.String(40), default="en,fr", server_default="en,fr")
    #: The letter drawn for the seating order: Member States sit alphabetically from it.
    seating_letter: Mapped[str | None] = mapped_column(sa.String(1))

    cochairs: Mapped[list[Member]] = relationship(secondary=meeting_cochairs, order_by="Member.sort_name")
    category_capacities: Mapped[list[CategoryCapacity]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_published(self) -> bool:
        return self.status == MeetingStatus.PUBLISHED

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        if self.status != MeetingStatus.PUBLISHED or self.registration_opens_at is None:
            return False
        if now < self.registration_opens_at:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at

    def registration_state(self, now: datetime | None = None) -> str:
        """'open', 'not_yet' (opens later), 'closed', or 'none' (no window set)."""
        now = now or utcnow()
        if self.registration_opens_at is None:
            return "none"
        if self.registration_is_open(now):
            return "open"
        if now < self.registration_opens_at:
            return "not_yet"
        return "closed"

    def __repr__(self) -> str:
        return model_repr(self, "slug")


class CategoryCapacity(Base):
    """Places for one participant category at one meeting."""

    __tablename__ = "category_capacities"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: A RegistrationCategory value.
    category: Mapped[str] = mapped_column(sa.String(32))
    capacity: Mapped[int]

    meeting: Mapped[Meeting] = relationship(back_populates="category_capacities")
