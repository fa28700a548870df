"""Dates and times in the reader's language, times still in the meeting's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient

from eventapp.web.formatting import format_date, format_date_range, format_datetime
from tests.conftest import add_meeting

JUNE_6 = date(2023, 6, 6)
NINE_NY = datetime(2023, 6, 6, 13, 0, tzinfo=UTC)  # 09:00 in New York


def spaced(text: str) -> str:
    """CLDR puts thin and narrow no-break spaces in some patterns; compare with plain spaces."""
    return text.replace("\u2009", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "6 June 2023"),
        ("fr", "6 juin 2023"),
        ("es", "6 de junio de 2023"),
        ("ar", "6 يونيو 2023"),
        ("ru", "6 июня 2023 г."),
        ("zh", "2023年6月6日"),
    ],
)
def test_single_dates(locale: str, expected: str) -> None:
    assert spaced(format_date(JUNE_6, locale)) == expected


@pytest.mark.parametrize(
    ("locale", "same_month", "across_months", "across_years"),
    [
        ("en", "6-9 June 2023", "30 June-2 July 2023", "30 December 2023-2 January 2024"),
        ("fr", "6–9 juin 2023", "30 juin – 2 juillet 2023", "30 décembre 2023 – 2 janvier 2024"),
        ("es", "6–9 de junio de 2023", "30 de junio – 2 de julio de 2023", None),
        ("ru", "6–9 июня 2023 г.", "30 июня – 2 июля 2023 г.", None),
        ("zh", "2023年6月6日至9日", "2023年6月30日至7月2日", "2023年12月30日至2024年1月2日"),
    ],
)
def test_date_ranges_spell_months_in_full(
    locale: str, same_month: str, across_months: str, across_years: str | None
) -> None:
    normalised = spaced(format_date_range(JUNE_6, date(2023, 6, 9), locale))
    assert normalised == same_month
    assert spaced(format_date_range(date(2023, 6, 30), date(2023, 7, 2), locale)) == across_months
    if across_years:
        got = spaced(format_date_range(date(2023, 12, 30), date(2024, 1, 2), locale))
        assert got == across_years
    assert format_date_range(JUNE_6, JUNE_6, locale) == format_date(JUNE_6, locale)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "6 June 2023, 09:00, New York time (EDT)"),
        ("fr", "6 juin 2023, 09:00, heure de New York (EDT)"),
        ("es", "6 de junio de 2023, 9:00, hora de Nueva York (EDT)"),
        ("zh", "2023年6月6日 09:00，纽约时间（EDT）"),
    ],
)
def test_times_stay_in_the_meeting_zone(app: object, locale: str, expected: str) -> None:
    assert format_datetime(NINE_NY, "America/New_York", locale) == expected
    assert format_datetime(None, "America/New_York", locale) == ""


def test_meeting_page_dates_follow_the_reader(client: FlaskClient) -> None:
    add_meeting("2030-paris", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 5), city="Paris")
    english = client.get("/meetings/2030-paris").get_data(as_text=True)
    french = client.get("/meetings/2030-paris", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    spanish = client.get("/meetings/2030-paris", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "3-5 June 2030" in english
    assert "3–5 juin 2030" in french and "June" not in french
    assert "3–5 de junio de 2030" in spanish
