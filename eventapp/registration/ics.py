"""The meeting as one all-day iCalendar event, attached to emails and offered for download."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from icalendar import Calendar, Event

from eventapp.models import Meeting
from eventapp.models.base import utcnow

PRODID = "-//WPS Focal Points Network//Meetings//EN"


def meeting_ics(meeting: Meeting, *, url: str = "") -> bytes:
    """A calendar with one VEVENT covering the meeting's days (DTEND is exclusive, hence +1 day)."""
    location = ", ".join(part for part in (meeting.venue, meeting.city) if part)
    return _build(
        meeting.id, meeting.slug, meeting.title, meeting.starts_on, meeting.ends_on, location, meeting.theme, url
    )


@lru_cache(maxsize=64)
def _build(
    meeting_id: int, slug: str, title: str, starts_on: date, ends_on: date, location: str, theme: str, url: str
) -> bytes:
    # Every email of a submission attaches the same file: build it once per version of the meeting.
    # DTSTAMP is then the time this version of the event was first published, as RFC 5545 allows.
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting_id}-{slug}@wps-focal-points")
    event.add("dtstamp", utcnow())
    event.add("dtstart", starts_on)
    event.add("dtend", ends_on + timedelta(days=1))
    event.add("summary", title)
    if location:
        event.add("location", location)
    if theme:
        event.add("description", theme)
    if url:
        event.add("url", url)
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    return f"{meeting.slug}.ics"
