"""Times as hosts read them: day first, a 24-hour clock, and the zone named in words.

Every page that shows a time of a meeting writes it with these helpers, in the page's language:
"6 June 2023, 09:00, New York time (EDT)". The IANA name ("America/New_York") never stands
alone; it is kept only as a machine value (select values, <time> attributes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import format_skeleton, get_datetime_format, get_timezone_location
from flask import Flask
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from eventapp.web.formatting import _locale, format_date

#: Names of Coordinated Universal Time itself, which has no city.
UNIVERSAL = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"})


def _instant(zone: ZoneInfo, at: datetime | date | None) -> datetime:
    """The moment whose abbreviation names the zone: `at` itself, noon of a day, or now."""
    if isinstance(at, datetime):
        return at.astimezone(zone) if at.tzinfo else at.replace(tzinfo=zone)
    if isinstance(at, date):
        return datetime.combine(at, time(12), tzinfo=zone)
    return datetime.now(UTC).astimezone(zone)


def utc_offset(moment: datetime) -> str:
    """'UTC+3', 'UTC−4', 'UTC+5:30', 'UTC' (with a true minus sign, as CLDR writes it)."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_abbreviation(moment: datetime) -> str:
    """The zone's own abbreviation at that moment (EDT, CEST), or its offset where it has none ('+03')."""
    name = moment.tzname() or ""
    return name if name.isalpha() else utc_offset(moment)


@lru_cache(maxsize=4096)
def zone_city(zone: str, language: str) -> str:
    """The zone's city in the language (CLDR's exemplar city): 'New York', 'Nueva York', '纽约'."""
    city = get_timezone_location(ZoneInfo(zone), locale=Locale.parse(language), return_city=True)
    # Zones CLDR does not name come back as their IANA path ("Argentina/Buenos Aires"): keep the city.
    return city.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(zone: str, at: datetime | date | None = None, locale: Locale | str | None = None) -> str:
    """'New York time (EDT)', 'heure de New York (EDT)'; the abbreviation is the one in force `at`."""
    loc = _locale(locale)
    tz = ZoneInfo(zone)
    if zone in UNIVERSAL:
        return _in(loc, lambda: _("Coordinated Universal Time (UTC)"))
    abbreviation = zone_abbreviation(_instant(tz, at))
    city = zone_city(zone, str(loc))
    return _in(loc, lambda: _("%(city)s time (%(abbreviation)s)", city=city, abbreviation=abbreviation))


def zone_name(zone: str, locale: Locale | str | None = None) -> str:
    """'New York time': the zone without an abbreviation, for lists of zones (one per place, all year)."""
    loc = _locale(locale)
    if zone in UNIVERSAL:
        return _in(loc, lambda: _("Coordinated Universal Time"))
    city = zone_city(zone, str(loc))
    return _in(loc, lambda: _("%(city)s time", city=city))


def _in(loc: Locale, message):  # type: ignore[no-untyped-def]
    """A message in `loc` when it differs from the page's language (tests and e-mails ask for one)."""
    current = get_locale()
    if current is not None and str(current) == str(loc):
        return message()
    with force_locale(str(loc)):
        return message()


def format_clock(value: datetime | None, zone: str, locale: Locale | str | None = None) -> str:
    """'09:00', '21:05': the 24-hour clock in the zone, with the language's own separators."""
    if value is None:
        return ""
    return format_skeleton("Hm", value.astimezone(ZoneInfo(zone)), locale=_locale(locale))


def format_moment(
    value: datetime | None, zone: str, locale: Locale | str | None = None, *, with_zone: bool = True
) -> str:
    """'6 June 2023, 09:00, New York time (EDT)' (French: '6 juin 2023, 09:00, heure de New York (EDT)')."""
    if value is None:
        return ""
    loc = _locale(locale)
    local = value.astimezone(ZoneInfo(zone))
    pattern = str(get_datetime_format("medium", locale=loc))
    text = pattern.replace("{1}", format_date(local.date(), loc)).replace("{0}", format_clock(local, zone, loc))
    if not with_zone:
        return text
    label = zone_label(zone, local, loc)
    return _in(loc, lambda: _("%(datetime)s, %(zone)s", datetime=text, zone=label))


def format_local(value: datetime | None, zone: str, locale: Locale | str | None = None) -> str:
    """A wall-clock time typed in the zone (no tzinfo), written like `format_moment`."""
    if value is None:
        return ""
    return format_moment(value.replace(tzinfo=ZoneInfo(zone)), zone, locale)


@lru_cache(maxsize=8)
def _zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = sorted(available_timezones() - {"localtime", "Factory"})
    return tuple((name, f"{zone_name(name, language)} · {name}") for name in names)


def zone_choices(locale: Locale | str | None = None) -> list[tuple[str, str]]:
    """Every IANA zone as (name, 'New York time · America/New_York'), in the page's language."""
    return list(_zone_choices(str(_locale(locale))))


def register(app: Flask) -> None:
    app.add_template_filter(format_moment, "moment")
    app.add_template_filter(format_clock, "clock")
    app.add_template_global(zone_label, "zone_label")
