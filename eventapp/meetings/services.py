"""Meetings: listing them for the home page, creating and editing them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp import countries
from eventapp.audit.services import changes, record
from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.models import Meeting, MeetingKind, MeetingStatus, Member, User
from eventapp.models.base import utcnow


class MeetingError(ValueError):
    """A meeting could not be saved; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class MeetingData:
    """Editable fields of a meeting. Local datetimes are wall-clock times in `timezone`."""

    kind: MeetingKind
    title: str
    city: str
    timezone: str
    starts_on: date
    ends_on: date
    slug: str = ""
    number: int | None = None
    theme: str = ""
    country_iso3: str | None = None
    venue: str = ""
    secretariat: str = "UN Women"
    status: MeetingStatus = MeetingStatus.DRAFT
    registration_opens_local: datetime | None = None
    registration_closes_local: datetime | None = None
    edit_deadline_local: datetime | None = None
    delegation_quota: int = 4
    capacity: int | None = None
    requires_host_approval: bool = False
    cochair_codes: list[str] = field(default_factory=list)
    host_ministry: str = ""
    host_address: str = ""
    letter_signatory_name: str = ""
    letter_signatory_title: str = ""
    anonymise_after_days: int = 90
    #: Title and theme in the six languages ({"fr": ...}); None leaves the stored ones as they are.
    title_translations: dict[str, str] | None = None
    theme_translations: dict[str, str] | None = None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def is_valid_timezone(name: str) -> bool:
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return False
    return True


def to_utc(local: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time in `zone` as an aware UTC datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def to_local(value: datetime | None, zone: str) -> datetime | None:
    """An aware datetime as a naive wall-clock time in `zone` (what a datetime-local input shows)."""
    return value.astimezone(ZoneInfo(zone)).replace(tzinfo=None) if value is not None else None


def list_meetings(user: object) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings the user may see: (upcoming soonest first, past latest first)."""
    query = select(Meeting).options(selectinload(Meeting.cochairs))
    if not policy.can_manage_meetings(user):
        query = query.where(Meeting.status != MeetingStatus.DRAFT)
    meetings = db.session.scalars(query).all()
    today = utcnow().date()
    upcoming = sorted((m for m in meetings if m.ends_on >= today), key=lambda m: m.starts_on)
    past = sorted((m for m in meetings if m.ends_on < today), key=lambda m: m.starts_on, reverse=True)
    return upcoming, past


def get_meeting(slug: str) -> Meeting | None:
    return db.session.scalar(select(Meeting).where(Meeting.slug == slug))


def _cochairs(codes: list[str]) -> list[Member]:
    if not codes:
        return []
    wanted = {c.strip().upper() for c in codes if c.strip()}
    found = db.session.scalars(select(Member).where(Member.code.in_(wanted))).all()
    missing = wanted - {m.code for m in found}
    if missing:
        raise MeetingError(_("Unknown member code(s): %(codes)s.", codes=", ".join(sorted(missing))), field="cochairs")
    return sorted(found, key=lambda m: m.sort_name)


def clean_meeting_data(data: MeetingData, *, existing: Meeting | None = None) -> dict[str, object]:
    """Check the rules for a meeting and return column values; raise MeetingError."""
    title = " ".join(data.title.split())
    if not title:
        raise MeetingError(_("Give the meeting a title."), field="title")
    if not is_valid_timezone(data.timezone):
        raise MeetingError(
            _("%(zone)r is not an IANA time zone such as America/New_York.", zone=data.timezone), field="timezone"
        )
    if data.ends_on < data.starts_on:
        raise MeetingError(_("The meeting cannot end before it starts."), field="ends_on")
    slug = slugify(data.slug or f"{data.starts_on.year}-{data.city}")
    if not slug:
        raise MeetingError(_("The web address needs letters or digits."), field="slug")
    clash = get_meeting(slug)
    if clash is not None and clash is not existing:
        raise MeetingError(_("The address %(slug)s is taken by %(title)s.", slug=slug, title=clash.title), field="slug")
    country = (data.country_iso3 or "").strip().upper() or None
    if country and not countries.is_known(country):
        raise MeetingError(_("%(code)s is not an ISO 3166 alpha-3 country code.", code=country), field="country_iso3")
    opens = to_utc(data.registration_opens_local, data.timezone)
    closes = to_utc(data.registration_closes_local, data.timezone)
    if opens and closes and closes <= opens:
        raise MeetingError(_("Registration must close after it opens."), field="registration_closes")
    if data.delegation_quota < 1:
        raise MeetingError(_("Each delegation needs at least one place."), field="delegation_quota")
    if data.capacity is not None and data.capacity < 1:
        raise MeetingError(_("Capacity is a positive number, or empty for no limit."), field="capacity")
    if data.anonymise_after_days < 1:
        raise MeetingError(_("Keep personal data at least one day after the meeting."), field="anonymise_after_days")
    return {
        "kind": data.kind,
        "title": title,
        "slug": slug,
        "number": data.number,
        "theme": data.theme.strip(),
        "city": data.city.strip(),
        "country_iso3": country,
        "venue": data.venue.strip(),
        "timezone": data.timezone,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "secretariat": data.secretariat.strip(),
        "status": data.status,
        "registration_opens_at": opens,
        "registration_closes_at": closes,
        "edit_deadline_at": to_utc(data.edit_deadline_local, data.timezone),
        "delegation_quota": data.delegation_quota,
        "capacity": data.capacity,
        "requires_host_approval": data.requires_host_approval,
        "host_ministry": data.host_ministry.strip(),
        "host_address": data.host_address.strip(),
        "letter_signatory_name": data.letter_signatory_name.strip(),
        "letter_signatory_title": data.letter_signatory_title.strip(),
        "anonymise_after_days": data.anonymise_after_days,
        "cochairs": _cochairs(data.cochair_codes),
    } | _translations(data)


def _translations(data: MeetingData) -> dict[str, dict[str, str]]:
    pairs = (("title_translations", data.title_translations), ("theme_translations", data.theme_translations))
    return {name: value for name, value in pairs if value is not None}


def create_meeting(data: MeetingData, *, actor: User | None = None) -> Meeting:
    values = clean_meeting_data(data)
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.flush()
    record("meeting.create", meeting, actor=actor, meeting_id=meeting.id, details={"slug": meeting.slug})
    db.session.commit()
    return meeting


def update_meeting(meeting: Meeting, data: MeetingData, *, actor: User | None = None) -> Meeting:
    values = clean_meeting_data(data, existing=meeting)
    cochairs = values.pop("cochairs")
    changed = changes(meeting, values)
    if [m.id for m in meeting.cochairs] != [m.id for m in cochairs]:  # type: ignore[union-attr]
        changed["cochairs"] = [[m.code for m in meeting.cochairs], [m.code for m in cochairs]]  # type: ignore[union-attr]
        meeting.cochairs = cochairs  # type: ignore[assignment]
    if changed:
        record("meeting.update", meeting, actor=actor, meeting_id=meeting.id, details=changed)
    db.session.commit()
    return meeting
