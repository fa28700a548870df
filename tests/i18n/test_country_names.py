"""Country names (nationality, country of work) in the page's language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale

from eventapp.web.formatting import country_name


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Spain"), ("fr", "Espagne"), ("es", "España"), ("ru", "Испания"), ("zh", "西班牙"), ("ar", "إسبانيا")],
)
def test_country_names_follow_the_language(app: Flask, locale: str, expected: str) -> None:
    with app.test_request_context(), force_locale(locale):
        assert country_name("ESP") == expected


def test_english_keeps_the_common_name_and_unknown_codes_stay(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        assert country_name("BOL") == "Bolivia"
        assert country_name("XYZ") == "XYZ"
        assert country_name(None) == ""
