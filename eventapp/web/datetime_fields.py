"""Form fields for dates and times a host types: day first and a 24-hour clock, whatever the browser.

A browser's own date and time inputs follow its language setting (an American English browser
shows "10/21/2030, 02:00 PM"), so these are text fields written and read as "21/10/2030 14:00".
They also read ISO 8601 ("2030-10-21T14:00"), which scripts and older pages post.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import StopValidation

#: "21/10/2030", "21.10.2030", "21-10-2030", then optionally "14:00", "14.00" or "14h00".
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[\s,T]+(\d{1,2})[:.hH](\d{2}))?$")
#: "2030-10-21", optionally "T14:00" or " 14:00" (seconds ignored).
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::\d{2})?)?$")

DATE_SHOWN = "%d/%m/%Y"
DATETIME_SHOWN = "%d/%m/%Y %H:%M"
#: The hints beside such fields.
TYPED_TIME = _l("Day/month/year and a 24-hour time, in the meeting's time zone: 21/10/2030 14:00.")
TYPED_DATE = _l("Day/month/year: 21/10/2030.")


def parse_day_first(text: str) -> tuple[date, tuple[int, int] | None] | None:
    """The date and (hour, minute) in the text, or None when it is neither day-first nor ISO."""
    text = " ".join(text.split())
    if found := _DAY_FIRST.match(text):
        day, month, year, hour, minute = found.groups()
    elif found := _ISO.match(text):
        year, month, day, hour, minute = found.groups()
    else:
        return None
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if hour is None:
        return when, None
    if int(hour) > 23 or int(minute) > 59:
        return None
    return when, (int(hour), int(minute))


class _DayFirst(StringField):
    shown: str
    message: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = {"autocomplete": "off", "spellcheck": "false", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def pre_validate(self, form: Any) -> None:
        # A text that is no date already has its message; "required" and the rest would only repeat it.
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:  # what was typed, kept as typed when it is wrong
            return str(self.raw_data[0])
        return self.data.strftime(self.shown) if self.data else ""


class DayFirstDateTimeField(_DayFirst):
    """A wall-clock date and time (no zone), typed '21/10/2030 14:00'."""

    shown = DATETIME_SHOWN
    message = _l("Write the date day first and the time on a 24-hour clock, for example 21/10/2030 14:00.")

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        parsed = parse_day_first(text)
        if parsed is None or parsed[1] is None:
            raise ValueError(str(self.message))
        day, (hour, minute) = parsed
        self.data = datetime(day.year, day.month, day.day, hour, minute)


class DayFirstDateField(_DayFirst):
    """A date typed '21/10/2030'."""

    shown = DATE_SHOWN
    message = _l("Write the date day first, for example 21/10/2030.")

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        parsed = parse_day_first(text)
        if parsed is None or parsed[1] is not None:
            raise ValueError(str(self.message))
        self.data = parsed[0]
