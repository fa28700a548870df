"""Turning sessions into RFC 5545 calendars with icalendar.

Events carry DTSTART;TZID=<meeting zone> with a matching VTIMEZONE, stable UIDs, the session's
SEQUENCE, LAST-MODIFIED and STATUS, so subscribed calendars update and cancel what they hold.

A calendar's head and each event's text are pure functions of everything they show, kept per
process (lru_cache) keyed by all of it: an edit changes the key, so no text outlives its data.
DTSTAMP, the feed's version, is written apart, so one event's text serves every feed holding it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vText

from eventapp.models import Meeting, Session, SessionStatus

PRODID = "-//WPS Focal Points Network//Meeting agenda//EN"
#: What a calendar shows of its meeting: the feeds load only these of its row.
MEETING_FIELDS = (
    Meeting.slug,
    Meeting.title,
    Meeting.timezone,
    Meeting.venue,
    Meeting.city,
    Meeting.starts_on,
    Meeting.ends_on,
)
#: The last line of a calendar, after its events, and the first and last of an event.
CALENDAR_END = b"END:VCALENDAR\r\n"
EVENT_BEGIN = b"BEGIN:VEVENT\r\n"
EVENT_END = b"END:VEVENT\r\n"
STATUS = {
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.TENTATIVE: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
}


def session_uid(session: Session, meeting: Meeting) -> str:
    """Stable across edits, so calendars update the event instead of adding a new one."""
    return f"session-{session.id}@{meeting.slug}.wps-network"


@lru_cache(maxsize=256)
def calendar_head(name: str, tzid: str, first_year: int, last_year: int, method: str | None) -> bytes:
    """A calendar's text up to its first event: its own properties and the zone's VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", vText(name))  # typed as TEXT: an X- property is otherwise not escaped
    cal.add("x-wr-timezone", tzid)
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    cal.add_component(Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)))
    # icalendar writes a component's properties, then its subcomponents, then its END line: the
    # events written after this text and CALENDAR_END make the same file as one Calendar would.
    return cal.to_ical().removesuffix(CALENDAR_END)


def location(session: Session, meeting: Meeting) -> str:
    parts = []
    if session.room is not None:
        parts.append(session.room.name)
        if session.room.floor:
            parts.append(_("floor %(floor)s", floor=session.room.floor))
        parts.append(session.room.venue or meeting.venue)
    else:
        parts.append(meeting.venue)
    parts.append(meeting.city)
    return ", ".join(p for p in parts if p)


def description(session: Session) -> str:
    lines = []
    if session.description:
        lines.append(session.description)
    for label, role in ((_("Speakers"), "speaker"), (_("Moderators"), "moderator")):
        people = [
            f"{s.display_name} ({s.affiliation})" if s.affiliation else s.display_name
            for s in session.speakers
            if s.role.value == role and s.display_name
        ]
        if people:
            lines.append(f"{label}: {', '.join(people)}")
    if session.track:
        lines.append(_("Theme: %(theme)s", theme=session.track))
    lines.append(f"{session.type.label} · {session.access.label}")
    return "\n\n".join(lines)


@dataclass(frozen=True)
class EventFields:
    """What a session's event shows, DTSTAMP aside: the whole input of its text."""

    uid: str
    tzid: str
    #: In UTC: the event shows them in `tzid` (aware datetimes compare by instant, zones aside).
    starts_at: datetime
    ends_at: datetime
    summary: str
    sequence: int
    status: str
    last_modified: datetime
    created: datetime
    location: str
    description: str
    url: str
    category: str
    transp: str


def event_fields(session: Session, meeting: Meeting, url: str) -> EventFields:
    """What the session's event shows, in the current language."""
    cancelled = session.status == SessionStatus.CANCELLED
    return EventFields(
        uid=session_uid(session, meeting),
        tzid=meeting.timezone,
        starts_at=session.starts_at.astimezone(UTC),
        ends_at=session.ends_at.astimezone(UTC),
        summary=_("Cancelled: %(title)s", title=session.title) if cancelled else session.title,
        sequence=session.sequence,
        status=STATUS[session.status],
        last_modified=session.updated_at,
        created=session.created_at,
        location=location(session, meeting),
        description=description(session),
        url=url,
        category=session.type.label,
        transp="TRANSPARENT" if cancelled else "OPAQUE",
    )


@lru_cache(maxsize=2048)
def event_text(fields: EventFields) -> bytes:
    """An event's lines after its BEGIN line and DTSTAMP: a pure function of its fields."""
    zone = ZoneInfo(fields.tzid)
    event = Event()
    event.add("uid", fields.uid)
    event.add("dtstart", fields.starts_at.astimezone(zone))
    event.add("dtend", fields.ends_at.astimezone(zone))
    event.add("summary", fields.summary)
    event.add("sequence", fields.sequence)
    event.add("status", fields.status)
    event.add("last-modified", fields.last_modified)
    event.add("created", fields.created)
    event.add("location", fields.location)
    event.add("description", fields.description)
    event.add("url", fields.url)
    event.add("categories", [fields.category])
    event.add("transp", fields.transp)
    return event.to_ical().removeprefix(EVENT_BEGIN)


@lru_cache(maxsize=1024)
def stamp_line(stamp: datetime) -> bytes:
    """The DTSTAMP line of every event of a feed version."""
    event = Event()
    event.add("dtstamp", stamp)
    return event.to_ical().removeprefix(EVENT_BEGIN).removesuffix(EVENT_END)


def event_ical(session: Session, meeting: Meeting, url: str, stamp: datetime) -> bytes:
    """One VEVENT. DTSTAMP comes first: it is the feed's version, the same for all its events."""
    return fields_ical(event_fields(session, meeting, url), stamp)


def fields_ical(fields: EventFields, stamp: datetime) -> bytes:
    """One VEVENT from its fields (a session's, or another event's such as a bilateral)."""
    return b"".join([EVENT_BEGIN, stamp_line(stamp), event_text(fields)])


def build_calendar(
    meeting: Meeting,
    sessions: Iterable[Session],
    *,
    name: str,
    session_url: Callable[[Session], str],
    stamp: datetime,
    method: str | None = "PUBLISH",
    other_events: Iterable[EventFields] = (),
) -> bytes:
    """An iCalendar file for these sessions (and other events) of one meeting; `stamp` is every event's DTSTAMP."""
    items = list(sessions)
    others = list(other_events)
    first = min([meeting.starts_on.year, *(s.starts_at.year for s in items), *(e.starts_at.year for e in others)])
    last = max([meeting.ends_on.year, *(s.ends_at.year for s in items), *(e.ends_at.year for e in others)])
    head = calendar_head(name, meeting.timezone, first, last, method)
    events = [event_ical(s, meeting, session_url(s), stamp) for s in items]
    events += [fields_ical(e, stamp) for e in others]
    return b"".join([head, *events, CALENDAR_END])
