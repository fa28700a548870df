"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so values are normalised to UTC on the way in and tagged UTC on
    the way out; PostgreSQL stores `timestamptz`.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware UTC datetimes only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def N_(message: str) -> str:
    """Mark a title for translation (extracted by `make translations`); it is translated when shown."""
    return message


class TitledEnum(enum.StrEnum):
    """A string enum whose members carry a human title: `Kind.STATE.label`, in the reader's language."""

    english_label: str

    def __new__(cls, value: str, title: str = "") -> TitledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.english_label = title or value.replace("_", " ").capitalize()
        return member

    @property
    def label(self) -> str:
        """The title in the current language (English outside a request)."""
        return gettext(self.english_label)


def enum_type(enum_cls: type[TitledEnum]) -> sa.Enum:
    """Store an enum as its value in a VARCHAR, so new members need no type migration."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class TimestampMixin:
    """When a row was made and last changed, in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def model_repr(obj: Any, *fields: str) -> str:
    inner = ", ".join(f"{f}={getattr(obj, f)!r}" for f in fields)
    return f"<{type(obj).__name__} {inner}>"


#: Text typed in several of the six languages, {"fr": "...", "ar": "..."}. JSONB on PostgreSQL,
#: whose plain json has no equality: rows holding it could not be selected DISTINCT or grouped.
Translations = sa.JSON().with_variant(JSONB(), "postgresql")


def translations_column() -> Mapped[dict[str, str]]:
    """A column of translations of the text beside it; {} until someone writes one."""
    return mapped_column(Translations, default=dict, server_default=sa.text("'{}'"))
