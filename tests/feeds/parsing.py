"""Parse a feed with two independent parsers: icalendar and the strict `ical` package."""

from __future__ import annotations

import icalendar
from ical.calendar import Calendar as StrictCalendar
from ical.calendar_stream import IcsCalendarStream


def parse_both(body: bytes) -> tuple[icalendar.Calendar, StrictCalendar]:
    text = body.decode("utf-8")
    loose = icalendar.Calendar.from_ical(body)
    strict = IcsCalendarStream.calendar_from_ics(text)
    return loose, strict


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """Events by SUMMARY."""
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
