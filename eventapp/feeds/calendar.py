"""Turning sessions into RFC 5545 calendars with icalendar.

Events carry DTSTART;TZID=<meeting zone> with a matching VTIMEZONE, stable UIDs, the session's
SEQUENCE, LAST-MODIFIED and STATUS, so subscribed calendars update and cancel what they hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vText

from eventapp.models import Meeting, Session, SessionStatus

PRODID = "-//WPS Focal Points Network//Meeting agenda//EN"
STATUS = {
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.TENTATIVE: "TENTATIVE",
    SessionStatus.CANCELLED: "CANCELLED",
}


def session_uid(session: Session, meeting: Meeting) -> str:
    """Stable across edits, so calendars update the event instead of adding a new one."""
    return f"session-{session.id}@{meeting.slug}.wps-network"


@lru_cache(maxsize=64)
def _vtimezone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    # Building a VTIMEZONE scans the zone's transitions: cache it per zone and span of years.
    return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)).to_ical()


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    return Timezone.from_ical(_vtimezone_ical(tzid, first_year, last_year))


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


def build_event(session: Session, meeting: Meeting, url: str, stamp: datetime) -> Event:
    zone = meeting.zone
    event = Event()
    event.add("uid", session_uid(session, meeting))
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    summary = (
        session.title if session.status != SessionStatus.CANCELLED else _("Cancelled: %(title)s", title=session.title)
    )
    event.add("summary", summary)
    event.add("sequence", session.sequence)
    event.add("status", STATUS[session.status])
    event.add("last-modified", session.updated_at)
    event.add("created", session.created_at)
    event.add("location", location(session, meeting))
    event.add("description", description(session))
    event.add("url", url)
    event.add("categories", [session.type.label])
    event.add("transp", "TRANSPARENT" if session.status == SessionStatus.CANCELLED else "OPAQUE")
    return event


def build_calendar(
    meeting: Meeting,
    sessions: Iterable[Session],
    *,
    name: str,
    session_url: Callable[[Session], str],
    stamp: datetime,
    method: str | None = "PUBLISH",
) -> bytes:
    """An iCalendar file for these sessions of one meeting; `stamp` is every event's DTSTAMP."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", vText(name))  # typed as TEXT: an X- property is otherwise not escaped
    cal.add("x-wr-timezone", meeting.timezone)
    cal.add("refresh-interval", _duration_hours(6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    items = list(sessions)
    first = min([meeting.starts_on.year, *(s.starts_at.year for s in items)])
    last = max([meeting.ends_on.year, *(s.ends_at.year for s in items)])
    cal.add_component(vtimezone(meeting.timezone, first, last))
    for s in items:
        cal.add_component(build_event(s, meeting, session_url(s), stamp))
    return cal.to_ical()


def _duration_hours(hours: int):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return timedelta(hours=hours)
