"""People who sign in: secretariat, hosts, focal points and scanning staff."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp.models.base import N_, Base, TimestampMixin, TitledEnum, UTCDateTime, enum_type, model_repr

if TYPE_CHECKING:
    from eventapp.models.members import Member


#: Werkzeug hash method for new passwords (tests swap in a cheap one for speed).
PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)


class Role(TitledEnum):
    ADMIN = ("admin", N_("Secretariat (admin)"))
    HOST = ("host", N_("Host"))
    FOCAL_POINT = ("focal_point", N_("Focal point"))
    SCANNER = ("scanner", N_("Scanning staff"))


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'focal_point' AND member_id IS NOT NULL) OR (role <> 'focal_point' AND member_id IS NULL)",
            name="focal_point_has_member",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in address, stored lower-case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Name shown in the interface and the audit log.
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Werkzeug password hash (scrypt).
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    #: The member a focal point speaks for; empty for other roles.
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("members.id", ondelete="RESTRICT"), index=True)
    #: Disabled accounts cannot sign in.
    is_active_account: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Part of every session and keep-me-signed-in cookie; raising it ends them all (sign-out, new password).
    session_version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default=sa.text("1"))

    member: Mapped[Member | None] = relationship(back_populates="focal_points")

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return bool(self.is_active_account)

    def get_id(self) -> str:  # Flask-Login stores this in the session and the remember-me cookie
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Void every session and remember-me cookie issued so far (the caller commits)."""
        self.session_version = (self.session_version or 1) + 1

    def set_password(self, password: str) -> None:
        """Set a new password; replacing an existing one also ends every session."""
        if self.password_hash:
            self.end_sessions()
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return model_repr(self, "email", "role")
