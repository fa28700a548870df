"""Template filters: times in the meeting's zone and dates in the reader's language, country names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import match_skeleton
from babel.lists import format_list
from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from eventapp import countries
from eventapp.auth import policy
from eventapp.auth.forms import LogoutForm
from eventapp.i18n.translated import list_entry, member_name, translated

#: English dates are written day first, as the UN writes them ("6 June 2023").
ENGLISH_DATE = "d MMMM y"


def _locale(locale: Locale | str | None) -> Locale:
    if locale is None:
        locale = get_locale() or "en"
    return locale if isinstance(locale, Locale) else Locale.parse(locale)


def in_zone(value: datetime | None, zone: str) -> datetime | None:
    return value.astimezone(ZoneInfo(zone)) if value is not None else None


def format_datetime(value: datetime | None, zone: str, locale: Locale | str | None = None) -> str:
    """'6 June 2023, 09:00, New York time (EDT)': eventapp.web.datetimes writes every time of a meeting."""
    from eventapp.web.datetimes import format_moment  # it builds on format_date below

    return format_moment(value, zone, locale)


def format_date(value: date | None, locale: Locale | str | None = None) -> str:
    """'6 June 2023', '6 juin 2023', '6 de junio de 2023', '2023年6月6日'."""
    if not value:
        return ""
    loc = _locale(locale)
    return babel_date(value, ENGLISH_DATE if loc.language == "en" else "long", locale=loc)


def format_date_range(start: date, end: date, locale: Locale | str | None = None) -> str:
    """'6-9 June 2023', '30 June-2 July 2023'; other languages by their own interval patterns."""
    loc = _locale(locale)
    if start == end:
        return format_date(start, loc)
    if loc.language != "en":
        return _interval(start, end, loc)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{format_date(end, loc)}"
    if start.year == end.year:
        return f"{babel_date(start, 'd MMMM', locale=loc)}-{format_date(end, loc)}"
    return f"{format_date(start, loc)}-{format_date(end, loc)}"


_SHORT_MONTH = re.compile(r"(?<![ML])([ML])\1\1(?![ML])")


def _interval(start: date, end: date, loc: Locale) -> str:
    """CLDR's interval pattern for day-month-year, with months spelt in full as in single dates."""
    skeleton = match_skeleton("yMMMMd", loc.interval_formats)
    by_field = loc.interval_formats[skeleton] if skeleton else {}
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    patterns = by_field.get(field) if by_field else None
    if not patterns:
        return f"{format_date(start, loc)} – {format_date(end, loc)}"
    return "".join(babel_date(day, _full_months(p), locale=loc) for p, day in zip(patterns, (start, end), strict=True))


def _full_months(pattern: str) -> str:
    """'d MMM y' -> 'd MMMM y', leaving quoted literals alone."""
    pieces = pattern.split("'")
    pieces[::2] = [_SHORT_MONTH.sub(r"\1\1\1\1", piece) for piece in pieces[::2]]
    return "'".join(pieces)


def list_and(items: Iterable[object], locale: Locale | str | None = None) -> str:
    """'Romania and United States', 'Roumanie et États-Unis'."""
    return format_list([str(item) for item in items], locale=_locale(locale))


def country_name(iso3: str | None, locale: Locale | str | None = None) -> str:
    """The UN's name of the country or area in the reader's language (eventapp/countries)."""
    if not iso3:
        return ""
    return countries.country_name(iso3, countries.language_of(_locale(locale)))


def register(app: Flask) -> None:
    app.add_template_filter(format_datetime, "datetime_in")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(country_name, "country")
    app.add_template_filter(translated, "translated")
    app.add_template_filter(list_entry, "list_entry")
    app.add_template_filter(member_name, "member_name")
    app.add_template_filter(list_and, "list_and")
    app.add_template_global(format_date_range, "date_range")

    @app.context_processor
    def inject() -> dict[str, object]:
        return {"policy": policy, "logout_form": LogoutForm() if current_user.is_authenticated else None}
