"""A full JSON export of one meeting, for archives and for moving a meeting to another system.

Every list is in a fixed order (by id unless said otherwise) and every time is ISO 8601 in UTC
("2023-06-07T13:30:00Z"), so two exports of unchanged data differ only in `exported_at`.
Passport numbers and expiry dates are never exported, neither decrypted nor encrypted: each
registration says only whether they are on file. Nor are secrets: no badge signing key, no
invitation or device token hashes, no password hashes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from enum import Enum
from typing import IO, Any

import sqlalchemy as sa

from eventapp.extensions import db
from eventapp.models import (
    Badge,
    CategoryCapacity,
    CheckIn,
    Delegation,
    Meeting,
    Member,
    Presence,
    Registration,
    Room,
    Session,
    SessionAttendance,
    SessionSpeaker,
    User,
    meeting_cochairs,
)
from eventapp.models.base import utcnow

FORMAT = "wps-meeting-export"
SCHEMA_VERSION = 1
NOTES = (
    "Times are UTC (ISO 8601). Passport numbers and expiry dates are not exported, neither decrypted "
    "nor encrypted: 'passport_details_on_file' says whether the app holds them. No signing keys, "
    "token hashes or password hashes are exported."
)

REGISTRATION_FIELDS = (
    "id",
    "delegation_id",
    "category",
    "status",
    "given_name",
    "family_name",
    "honorific",
    "position",
    "organisation",
    "email",
    "phone",
    "nationality",
    "country",
    "gender",
    "accessibility_needs",
    "dietary_needs",
    "needs_visa_letter",
    "motivation",
    "consent_data_processing",
    "consent_participant_list",
    "locale",
    "decision_reason",
    "decided_at",
    "waitlisted_at",
    "anonymised_at",
    "created_at",
    "updated_at",
)
MEETING_FIELDS = (
    "id",
    "slug",
    "kind",
    "number",
    "title",
    "theme",
    "title_translations",
    "theme_translations",
    "city",
    "country_iso3",
    "venue",
    "timezone",
    "starts_on",
    "ends_on",
    "secretariat",
    "status",
    "registration_opens_at",
    "registration_closes_at",
    "edit_deadline_at",
    "delegation_quota",
    "capacity",
    "requires_host_approval",
    "agenda_published",
    "host_ministry",
    "host_address",
    "letter_signatory_name",
    "letter_signatory_title",
    "anonymise_after_days",
    "passports_purged_at",
    "personal_data_purged_at",
    "badge_public_key",
    "created_at",
    "updated_at",
)


class ExportError(LookupError):
    """The meeting to export does not exist."""


def json_value(value: Any) -> Any:
    """A column value as JSON: enums by value, datetimes in UTC with a Z, dates as YYYY-MM-DD."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fields(obj: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: json_value(getattr(obj, name)) for name in names}


def _all(query: sa.Select[Any]) -> list[Any]:
    return list(db.session.scalars(query))


def _emails(user_ids: set[int]) -> dict[int, str]:
    ids = sorted(i for i in user_ids if i is not None)
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(User.id, User.email).where(User.id.in_(ids))).tuples().all())


def _sessions(meeting: Meeting) -> list[dict[str, Any]]:
    sessions = _all(sa.select(Session).where(Session.meeting_id == meeting.id).order_by(Session.id))
    speakers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for speaker in _all(
        sa.select(SessionSpeaker)
        .join(Session, Session.id == SessionSpeaker.session_id)
        .where(Session.meeting_id == meeting.id)
        .order_by(SessionSpeaker.session_id, SessionSpeaker.position, SessionSpeaker.id)
    ):
        speakers[speaker.session_id].append(
            _fields(speaker, ("id", "registration_id", "name", "affiliation", "role", "position"))
        )
    attendees: dict[int, list[int]] = defaultdict(list)
    for session_id, registration_id in db.session.execute(
        sa.select(SessionAttendance.session_id, SessionAttendance.registration_id)
        .join(Session, Session.id == SessionAttendance.session_id)
        .where(Session.meeting_id == meeting.id)
        .order_by(SessionAttendance.session_id, SessionAttendance.registration_id)
    ):
        attendees[session_id].append(registration_id)
    names = (
        "id",
        "room_id",
        "title",
        "title_translations",
        "description",
        "type",
        "starts_at",
        "ends_at",
        "capacity",
        "access",
        "status",
        "track",
        "position",
        "sequence",
        "is_published",
        "created_at",
        "updated_at",
    )
    return [
        _fields(s, names) | {"speakers": speakers.get(s.id, []), "attendees": attendees.get(s.id, [])} for s in sessions
    ]


def _registrations(meeting: Meeting) -> list[dict[str, Any]]:
    people = _all(sa.select(Registration).where(Registration.meeting_id == meeting.id).order_by(Registration.id))
    deciders = _emails({p.decided_by_id for p in people})
    return [
        _fields(p, REGISTRATION_FIELDS)
        | {
            "decided_by": deciders.get(p.decided_by_id) if p.decided_by_id else None,
            "passport_details_on_file": bool(p.passport_number_encrypted or p.passport_expiry_encrypted),
            "has_photo": bool(p.photo_filename),
        }
        for p in people
    ]


def _checkins(meeting: Meeting) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    scans = _all(sa.select(CheckIn).where(CheckIn.meeting_id == meeting.id).order_by(CheckIn.id))
    scanners = _emails({c.scanned_by_id for c in scans})
    names = (
        "id",
        "badge_id",
        "registration_id",
        "checkpoint",
        "session_id",
        "direction",
        "result",
        "reason",
        "nonce",
        "scanned_at",
        "recorded_at",
        "device",
    )
    checkins = [
        _fields(c, names) | {"scanned_by": scanners.get(c.scanned_by_id) if c.scanned_by_id else None} for c in scans
    ]
    presences = [
        _fields(p, ("registration_id", "checkpoint", "inside", "updated_at"))
        for p in _all(
            sa.select(Presence)
            .where(Presence.meeting_id == meeting.id)
            .order_by(Presence.registration_id, Presence.checkpoint)
        )
    ]
    return checkins, presences


def _members(meeting: Meeting) -> tuple[list[dict[str, Any]], list[str]]:
    """Members with a delegation at the meeting or co-chairing it, by code; and the co-chairs' codes."""
    cochair_ids = sa.select(meeting_cochairs.c.member_id).where(meeting_cochairs.c.meeting_id == meeting.id)
    delegated_ids = sa.select(Delegation.member_id).where(Delegation.meeting_id == meeting.id)
    members = _all(
        sa.select(Member).where(sa.or_(Member.id.in_(cochair_ids), Member.id.in_(delegated_ids))).order_by(Member.code)
    )
    cochairs = sorted(m.code for m in meeting.cochairs)
    names = ("id", "code", "kind", "iso3", "name", "name_translations", "sort_name", "joined_on")
    return [_fields(m, names) for m in members], cochairs


def export_meeting(meeting: Meeting) -> dict[str, Any]:
    """Everything the app holds about one meeting, as JSON-ready data (one query per table)."""
    members, cochairs = _members(meeting)
    codes = {m["id"]: m["code"] for m in members}
    delegations = [
        _fields(
            d,
            (
                "id",
                "member_id",
                "quota_override",
                "head_registration_id",
                "invited_at",
                "invitation_revoked_at",
                "invitation_used_at",
            ),
        )
        | {
            "member_code": codes.get(d.member_id),
            "quota": meeting.delegation_quota if d.quota_override is None else d.quota_override,
        }
        for d in _all(sa.select(Delegation).where(Delegation.meeting_id == meeting.id).order_by(Delegation.id))
    ]
    rooms = [
        _fields(r, ("id", "name", "capacity", "venue", "floor"))
        for r in _all(sa.select(Room).where(Room.meeting_id == meeting.id).order_by(Room.id))
    ]
    badges = [
        _fields(b, ("id", "registration_id", "token_id", "issued_at", "printed_at", "revoked_at"))
        | {"status": "revoked" if b.revoked_at else "live"}
        for b in _all(
            sa.select(Badge)
            .join(Registration, Registration.id == Badge.registration_id)
            .where(Registration.meeting_id == meeting.id)
            .order_by(Badge.id)
        )
    ]
    category_capacities = {
        c.category: c.capacity
        for c in _all(
            sa.select(CategoryCapacity)
            .where(CategoryCapacity.meeting_id == meeting.id)
            .order_by(CategoryCapacity.category)
        )
    }
    registrations = _registrations(meeting)
    sessions = _sessions(meeting)
    checkins, presences = _checkins(meeting)
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": json_value(utcnow()),
        "notes": NOTES,
        "meeting": _fields(meeting, MEETING_FIELDS) | {"cochairs": cochairs},
        "capacities": {"meeting": meeting.capacity, "categories": category_capacities},
        "counts": {
            "members": len(members),
            "delegations": len(delegations),
            "registrations": len(registrations),
            "rooms": len(rooms),
            "sessions": len(sessions),
            "badges": len(badges),
            "checkins": len(checkins),
        },
        "members": members,
        "delegations": delegations,
        "registrations": registrations,
        "rooms": rooms,
        "sessions": sessions,
        "badges": badges,
        "checkins": checkins,
        "presences": presences,
    }


def find_meeting(slug: str) -> Meeting:
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))
    if meeting is None:
        raise ExportError(f"No meeting with the slug {slug!r}.")
    return meeting


def write_export(data: dict[str, Any], stream: IO[str]) -> None:
    """UTF-8 JSON with every script as itself (no \\u escapes), indented for reading and diffing."""
    json.dump(data, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
