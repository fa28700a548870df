"""Members of the network: UN Member States and regional organisations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import N_, Base, TimestampMixin, TitledEnum, enum_type, model_repr, translations_column

if TYPE_CHECKING:
    from eventapp.models.users import User


class MemberKind(TitledEnum):
    STATE = ("state", N_("UN Member State"))
    REGIONAL_ORGANISATION = ("regional_organisation", N_("Regional organisation"))


class Member(TimestampMixin, Base):
    __tablename__ = "members"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'state' AND iso3 IS NOT NULL) OR (kind <> 'state' AND iso3 IS NULL)",
            name="state_has_iso3",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: State or regional organisation.
    kind: Mapped[MemberKind] = mapped_column(enum_type(MemberKind))
    #: ISO 3166-1 alpha-3 code; states only.
    iso3: Mapped[str | None] = mapped_column(sa.String(3), unique=True)
    #: Short stable code used in URLs and imports: the ISO3 code or the acronym (ECOWAS).
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    #: Display name exactly as the communiqués write it ("the African Union").
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The name in the other UN languages ({"fr": "l'Union africaine"}); `name` is the original.
    name_translations: Mapped[dict[str, str]] = translations_column()
    #: Name used for alphabetical order ("Cote d'Ivoire", "African Union").
    sort_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    #: When the member joined the network, where known.
    joined_on: Mapped[date | None] = mapped_column(sa.Date)

    focal_points: Mapped[list[User]] = relationship(back_populates="member")

    @property
    def is_state(self) -> bool:
        return self.kind == MemberKind.STATE

    def __repr__(self) -> str:
        return model_repr(self, "code", "name")
