"""What the hosts and the secretariat keep about a person for themselves: staff notes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.models.base import Base, UTCDateTime, model_repr, utcnow

if TYPE_CHECKING:
    from eventapp.models.registration import Registration
    from eventapp.models.users import User


class StaffNote(Base):
    """A note about one registration, read by hosts and the secretariat only (never the person)."""

    __tablename__ = "staff_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: Who wrote it; empty once their account is deleted.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Plain text as typed, several lines allowed.
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    registration: Mapped[Registration] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return model_repr(self, "id", "registration_id")
