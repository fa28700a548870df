"""The meeting as one all-day iCalendar event, attached to emails and offered for download."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from eventapp.models import Meeting
from eventapp.models.base import utcnow

PRODID = "-//WPS Focal Points Network//Meetings//EN"


def meeting_ics(meeting: Meeting, *, url: str = "") -> bytes:
    """A calendar with one VEVENT covering the meeting's days (DTEND is exclusive, hence +1 day)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.id}-{meeting.slug}@wps-focal-points")
    event.add("dtstamp", utcnow())
    event.add("dtstart", meeting.starts_on)
    event.add("dtend", meeting.ends_on + timedelta(days=1))
    event.add("summary", meeting.title)
    location = ", ".join(part for part in (meeting.venue, meeting.city) if part)
    if location:
        event.add("location", location)
    if meeting.theme:
        event.add("description", meeting.theme)
    if url:
        event.add("url", url)
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    return f"{meeting.slug}.ics"
