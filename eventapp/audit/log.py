"""Reading the audit log: filters for the secretariat's page and its CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from eventapp.extensions import db
from eventapp.models import AuditLog, DeviceToken, FocalPointContact, Meeting, Registration, User
from eventapp.web.pagination import paginate

#: Candidates a person filter may match per kind; a longer list means the filter is too loose to be useful.
PERSON_MATCHES = 500


@dataclass
class AuditFilter:
    meeting: Meeting | None = None
    #: Text matched against the names and addresses of accounts, registrants and focal points.
    person: str = ""
    actor_id: int | None = None
    action: str = ""
    since: date | None = None
    until: date | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _person_condition(text: str) -> sa.ColumnElement[bool]:
    pattern = _like(text)
    users = sa.select(User.id).where(
        sa.or_(
            sa.func.lower(User.email).like(pattern, escape="\\"), sa.func.lower(User.name).like(pattern, escape="\\")
        )
    )
    full_name = sa.func.lower(Registration.given_name + " " + Registration.family_name)
    registrations = sa.select(Registration.id).where(
        sa.or_(sa.func.lower(Registration.email).like(pattern, escape="\\"), full_name.like(pattern, escape="\\"))
    )
    contacts = sa.select(FocalPointContact.id).where(
        sa.or_(
            sa.func.lower(FocalPointContact.email).like(pattern, escape="\\"),
            sa.func.lower(FocalPointContact.name).like(pattern, escape="\\"),
        )
    )
    return sa.or_(
        sa.and_(AuditLog.entity_type == "User", AuditLog.entity_id.in_(users.limit(PERSON_MATCHES).scalar_subquery())),
        sa.and_(
            AuditLog.entity_type == "Registration",
            AuditLog.entity_id.in_(registrations.limit(PERSON_MATCHES).scalar_subquery()),
        ),
        sa.and_(
            AuditLog.entity_type == "FocalPointContact",
            AuditLog.entity_id.in_(contacts.limit(PERSON_MATCHES).scalar_subquery()),
        ),
    )


def _query(f: AuditFilter) -> sa.Select[tuple[AuditLog]]:
    query = sa.select(AuditLog)
    if f.meeting is not None:
        query = query.where(AuditLog.meeting_id == f.meeting.id)
    if f.actor_id is not None:
        query = query.where(AuditLog.actor_id == f.actor_id)
    if f.action:
        query = query.where(AuditLog.action == f.action)
    if f.since is not None:
        query = query.where(AuditLog.at >= datetime.combine(f.since, time.min, tzinfo=UTC))
    if f.until is not None:
        query = query.where(AuditLog.at < datetime.combine(f.until + timedelta(days=1), time.min, tzinfo=UTC))
    if f.person.strip():
        query = query.where(_person_condition(f.person.strip()))
    return query


def entries(f: AuditFilter, args: Mapping[str, str]) -> Pagination:
    """The page of entries `args` asks for, newest first, with how many match."""
    query = _query(f).options(selectinload(AuditLog.actor)).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    return paginate(query, args)


def concerned(rows: Iterable[AuditLog]) -> dict[tuple[str, int], str]:
    """A readable name for the people the entries concern: accounts, registrants, focal points."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.entity_id is not None:
            wanted.setdefault(row.entity_type, set()).add(row.entity_id)
    names: dict[tuple[str, int], str] = {}
    if ids := wanted.get("User"):
        for user in db.session.scalars(sa.select(User).where(User.id.in_(ids))):
            names[("User", user.id)] = f"{user.name} <{user.email}>" if user.name else user.email
    if ids := wanted.get("Registration"):
        for person in db.session.scalars(sa.select(Registration).where(Registration.id.in_(ids))):
            names[("Registration", person.id)] = person.full_name
    if ids := wanted.get("FocalPointContact"):
        for contact in db.session.scalars(sa.select(FocalPointContact).where(FocalPointContact.id.in_(ids))):
            names[("FocalPointContact", contact.id)] = contact.name
    if ids := wanted.get("DeviceToken"):
        for device in db.session.scalars(sa.select(DeviceToken).where(DeviceToken.id.in_(ids))):
            names[("DeviceToken", device.id)] = device.name
    return names


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action)))


def actors() -> list[User]:
    ids = sa.select(AuditLog.actor_id).where(AuditLog.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids)).order_by(User.email)))


def describe_changes(details: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, text) pairs: "old → new" for a change, the value itself for context."""
    out = []
    for key, value in (details or {}).items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("—" if v in (None, "") else str(v) for v in value)
            out.append((key, f"{old} → {new}"))
        else:
            out.append((key, "—" if value in (None, "") else str(value)))
    return out


CSV_COLUMNS = ["at_utc", "actor", "action", "entity_type", "entity_id", "meeting_id", "reason", "details"]


def export_rows(f: AuditFilter) -> Iterator[str]:
    """The filtered log as CSV lines, oldest first, read in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield buffer.getvalue()
    query = _query(f).options(selectinload(AuditLog.actor)).order_by(AuditLog.at, AuditLog.id)
    for entry in db.session.scalars(query.execution_options(yield_per=500)):
        buffer.seek(0)
        buffer.truncate()
        details = "; ".join(f"{k}: {v}" for k, v in describe_changes(entry.details))
        writer.writerow(
            [
                entry.at.isoformat(timespec="seconds"),
                entry.actor.email if entry.actor else "",
                entry.action,
                entry.entity_type,
                entry.entity_id if entry.entity_id is not None else "",
                entry.meeting_id if entry.meeting_id is not None else "",
                _safe_cell(entry.reason),
                _safe_cell(details),
            ]
        )
        yield buffer.getvalue()


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
