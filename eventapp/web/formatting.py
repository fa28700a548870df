"""Template filters: times in the meeting's zone, date ranges, country names."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pycountry
from flask import Flask
from flask_login import current_user

from eventapp.auth import policy
from eventapp.auth.forms import LogoutForm


def in_zone(value: datetime | None, zone: str) -> datetime | None:
    return value.astimezone(ZoneInfo(zone)) if value is not None else None


def format_datetime(value: datetime | None, zone: str) -> str:
    """'6 June 2023, 09:00 EDT' in the given IANA zone."""
    local = in_zone(value, zone)
    if local is None:
        return ""
    return f"{local.day} {local:%B %Y, %H:%M} {local.tzname()}"


def format_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def format_date_range(start: date, end: date) -> str:
    """'6-9 June 2023', '30 June-2 July 2023', '30 December 2023-2 January 2024'."""
    if start == end:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B}-{end.day} {end:%B %Y}"
    return f"{format_date(start)}-{format_date(end)}"


def country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    country = pycountry.countries.get(alpha_3=iso3)
    return getattr(country, "common_name", None) or (country.name if country else iso3)


def register(app: Flask) -> None:
    app.add_template_filter(format_datetime, "datetime_in")
    app.add_template_filter(format_date, "date")
    app.add_template_filter(country_name, "country")
    app.add_template_global(format_date_range, "date_range")

    @app.context_processor
    def inject() -> dict[str, object]:
        return {"policy": policy, "logout_form": LogoutForm() if current_user.is_authenticated else None}
