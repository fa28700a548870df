"""Delegations of members and every person registered for a meeting."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import N_, Base, TimestampMixin, TitledEnum, UTCDateTime, enum_type, model_repr

if TYPE_CHECKING:
    from eventapp.models.agenda import SessionAttendance
    from eventapp.models.meetings import Meeting
    from eventapp.models.members import Member
    from eventapp.models.users import User


class RegistrationCategory(TitledEnum):
    DELEGATE = ("delegate", N_("Member delegation"))
    CIVIL_SOCIETY = ("civil_society", N_("Civil society"))
    WOMEN_PEACEBUILDER = ("women_peacebuilder", N_("Women peacebuilder"))
    PARLIAMENTARIAN = ("parliamentarian", N_("Parliamentarian or legislator"))
    ACADEMIA = ("academia", N_("Academia"))
    PRIVATE_SECTOR = ("private_sector", N_("Private sector"))
    MEDIA = ("media", N_("Media"))
    SECRETARIAT = ("secretariat", N_("Secretariat and host staff"))


#: Categories open to a public application (the rest come through delegations or the hosts).
APPLICATION_CATEGORIES = tuple(
    c for c in RegistrationCategory if c not in (RegistrationCategory.DELEGATE, RegistrationCategory.SECRETARIAT)
)


class NameOrder(TitledEnum):
    GIVEN_FIRST = ("given_first", N_("Given name first"))
    FAMILY_FIRST = ("family_first", N_("Family name first"))


class RegistrationStatus(TitledEnum):
    SUBMITTED = ("submitted", N_("Submitted"))
    APPROVED = ("approved", N_("Approved"))
    WAITLISTED = ("waitlisted", N_("Waiting list"))
    DECLINED = ("declined", N_("Declined"))
    WITHDRAWN = ("withdrawn", N_("Withdrawn"))


class Delegation(TimestampMixin, Base):
    """One member's delegation to one meeting."""

    __tablename__ = "delegations"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    #: Places for this delegation when a host raised it; empty means the meeting's default quota.
    quota_override: Mapped[int | None]
    #: Hash of the member's current invitation token; empty when none is live.
    invitation_token_hash: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invitation_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: First time a focal point used the invitation.
    invitation_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The registration heading the delegation.
    head_registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="SET NULL", use_alter=True)
    )

    meeting: Mapped[Meeting] = relationship()
    member: Mapped[Member] = relationship()
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="delegation", foreign_keys="Registration.delegation_id"
    )
    head: Mapped[Registration | None] = relationship(foreign_keys=[head_registration_id], post_update=True)

    @property
    def quota(self) -> int:
        return self.quota_override if self.quota_override is not None else self.meeting.delegation_quota

    def __repr__(self) -> str:
        return model_repr(self, "meeting_id", "member_id")


class Registration(TimestampMixin, Base):
    """A person taking part in a meeting, whether through a delegation or an application."""

    __tablename__ = "registrations"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    #: Set for members' delegates; empty for applicants.
    delegation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    category: Mapped[RegistrationCategory] = mapped_column(enum_type(RegistrationCategory))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_type(RegistrationStatus), default=RegistrationStatus.SUBMITTED, index=True
    )
    #: Names in any script, as typed (NFC). One name is a whole name: it is the given name, and
    #: the family name is empty.
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: The name exactly as it should appear on the badge, when the person gave one.
    badge_name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    #: The name in Latin letters as the person writes it (printed when their script cannot be).
    latin_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: The order the person chose for their name's parts; empty: by script, then nationality.
    name_order: Mapped[NameOrder | None] = mapped_column(enum_type(NameOrder))
    #: Collation key (eventapp.names.collation) of family then given name, kept on every write.
    name_sort_key: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    honorific: Mapped[str] = mapped_column(sa.String(40), default="")
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Stored lower-case; one registration per address per meeting.
    email: Mapped[str] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    #: ISO 3166-1 alpha-3.
    nationality: Mapped[str | None] = mapped_column(sa.String(3))
    #: Country the applicant works in (ISO 3166-1 alpha-3).
    country: Mapped[str | None] = mapped_column(sa.String(3))
    gender: Mapped[str] = mapped_column(sa.String(40), default="")
    accessibility_needs: Mapped[str] = mapped_column(sa.Text, default="")
    dietary_needs: Mapped[str] = mapped_column(sa.Text, default="")
    needs_visa_letter: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: Short motivation for an application.
    motivation: Mapped[str] = mapped_column(sa.Text, default="")
    consent_data_processing: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    consent_participant_list: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    #: UI language the person used, for their emails.
    locale: Mapped[str] = mapped_column(sa.String(10), default="en")
    #: Why a host declined, waitlisted or otherwise decided.
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Order on the waiting list: the time the person joined it.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Bumped to revoke every manage link issued so far.
    manage_token_version: Mapped[int] = mapped_column(default=1)
    #: Bumped to revoke the personal calendar feed address.
    calendar_token_version: Mapped[int] = mapped_column(default=1)
    #: Passport details, encrypted at rest (Fernet); asked only when a visa letter is needed.
    passport_number_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    passport_expiry_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    #: ISO 3166-1 alpha-3 of the issuing country.
    passport_country: Mapped[str | None] = mapped_column(sa.String(3))
    #: Stored photo file name under the instance upload folder.
    photo_filename: Mapped[str | None] = mapped_column(sa.String(200))
    #: Set when personal data was anonymised after the meeting.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship()
    delegation: Mapped[Delegation | None] = relationship(back_populates="registrations", foreign_keys=[delegation_id])
    decided_by: Mapped[User | None] = relationship()

    sessions_attending: Mapped[list[SessionAttendance]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        """The whole name in the person's order (family name first for East Asian scripts)."""
        return self.name_of(self.given_name, self.family_name, self.name_order, self.nationality)

    @staticmethod
    def name_of(
        given_name: str, family_name: str, name_order: NameOrder | None = None, nationality: str | None = None
    ) -> str:
        """How a person's name is shown (one rule, also for rows read without the object): in the
        order the person chose, else the one their script and nationality give (eventapp.names)."""
        from eventapp.names.order import compose, default_order

        order = name_order or default_order(given_name, family_name, nationality)
        return compose(given_name, family_name, order)

    def __repr__(self) -> str:
        return model_repr(self, "id", "email", "status")


#: A person's full name in SQL, spelled as the trigram index below holds it so searches can use it.
#: Joined with op("||") rather than +: SQLAlchemy then keeps the brackets PostgreSQL writes back
#: for the index, so comparing the models with the migrations sees the same index.
FULL_NAME_SQL = Registration.given_name.op("||")(sa.literal_column("' '")).op("||")(Registration.family_name)

# The hosts' lists of a meeting read one page at a time: each sort order and filter has an index
# that starts with the meeting, so a page reads its rows in order instead of sorting everyone.
# Indexes of expressions are PostgreSQL's only: SQLite, for development, cannot reflect them.
sa.Index(
    "ix_registrations_meeting_name",
    Registration.meeting_id,
    sa.func.lower(Registration.family_name),
    sa.func.lower(Registration.given_name),
    Registration.id,
).ddl_if(dialect="postgresql")
sa.Index("ix_registrations_meeting_created", Registration.meeting_id, Registration.created_at, Registration.id)
sa.Index(
    "ix_registrations_meeting_status_name",
    Registration.meeting_id,
    Registration.status,
    Registration.family_name,
    Registration.given_name,
    Registration.id,
)
sa.Index("ix_registrations_meeting_sort_key", Registration.meeting_id, Registration.name_sort_key, Registration.id)
sa.Index(
    "ix_registrations_meeting_status_sort_key",
    Registration.meeting_id,
    Registration.status,
    Registration.name_sort_key,
    Registration.id,
)
sa.Index(
    "ix_registrations_meeting_status_category", Registration.meeting_id, Registration.status, Registration.category
)


@sa.event.listens_for(Registration, "before_insert")
@sa.event.listens_for(Registration, "before_update")
def _keep_sort_key(mapper: object, connection: object, registration: Registration) -> None:
    """Every write of a name, whoever makes it, keeps the key lists sort by."""
    from eventapp.names.collation import sort_key

    registration.name_sort_key = sort_key(registration.family_name or "", registration.given_name or "")


# Searching for a part of a name, email or organisation (ILIKE '%...%') reads a trigram index on
# PostgreSQL (the pg_trgm extension); SQLite reads the meeting's rows.
sa.event.listen(
    Registration.__table__,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


def _trigram_index(name: str, expression: sa.ColumnElement[str]) -> None:
    sa.Index(
        f"ix_registrations_{name}_trgm",
        expression.label(name),
        postgresql_using="gin",
        postgresql_ops={name: "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")


_trigram_index("full_name", FULL_NAME_SQL)
_trigram_index("email", Registration.email)
_trigram_index("organisation", Registration.organisation)
