"""Country names (nationality, country of work, members) are the UN's, in the page's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask_babel import force_locale

from eventapp import countries
from eventapp.models.base import utcnow
from eventapp.web.formatting import country_name

UN_NAMES = {
    "en": {
        "IRN": "Iran (Islamic Republic of)",
        "VNM": "Viet Nam",
        "KOR": "Republic of Korea",
        "TUR": "Türkiye",
        "NLD": "Netherlands (Kingdom of the)",
        "BOL": "Bolivia (Plurinational State of)",
        "GBR": "United Kingdom of Great Britain and Northern Ireland",
        "ESP": "Spain",
    },
    "fr": {
        "IRN": "Iran (République islamique d')",
        "KOR": "République de Corée",
        "NLD": "Pays-Bas (Royaume des)",
        "ESP": "Espagne",
        "TUR": "Türkiye",
    },
    "es": {"IRN": "Irán (República Islámica del)", "KOR": "República de Corea", "ESP": "España", "VNM": "Viet Nam"},
    "ar": {"KOR": "جمهورية كوريا", "ESP": "إسبانيا", "RUS": "الاتحاد الروسي", "VNM": "فييت نام"},
    "ru": {
        "KOR": "Республика Корея",
        "ESP": "Испания",
        "NLD": "Нидерланды (Королевство)",
        "IRN": "Иран (Исламская Республика)",
    },
    "zh": {"KOR": "大韩民国", "ESP": "西班牙", "NLD": "荷兰王国", "IRN": "伊朗伊斯兰共和国"},
}


@pytest.mark.parametrize("locale", sorted(UN_NAMES))
def test_country_names_are_the_uns_in_each_language(app: Flask, locale: str) -> None:
    with app.test_request_context(), force_locale(locale):
        for code, expected in UN_NAMES[locale].items():
            assert country_name(code) == expected


def test_areas_are_named_as_parts_of_whom_they_belong_to_and_never_as_states(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        assert country_name("TWN") == "Taiwan (Province of China)"
        assert country_name("HKG") == "China, Hong Kong Special Administrative Region"
    with app.test_request_context(), force_locale("fr"):
        assert country_name("HKG") == "Chine, région administrative spéciale de Hong Kong"
        # The source has no French name for it: the English one stands, never ISO's "Taïwan".
        assert country_name("TWN") == "Taiwan (Province of China)"
    assert not countries.is_state("TWN") and not countries.is_state("HKG") and not countries.is_state("PRI")
    assert countries.is_state("PSE") and countries.is_state("VAT")  # observer States
    states = {code for code, _ in countries.choices("en") if countries.is_state(code)}
    # The 193 Member States, the two observer States, and the Cook Islands and Niue (UNTERM lists them).
    assert len(states) == 197 and {"COK", "NIU"} <= states
    listed = [code for code, _ in countries.choices("en")]
    assert listed.index("ZWE") < listed.index("TWN")  # every state before any other area


def test_unknown_codes_stay_and_an_explicit_language_wins(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        assert country_name("XYZ") == "XYZ"
        assert country_name(None) == ""
        assert country_name("ESP", "zh") == "西班牙"
    assert countries.country_name("DEU", "es") == "Alemania"  # outside a request too


def test_the_form_lists_states_and_other_areas_in_two_groups(app: Flask) -> None:
    from tests.conftest import add_meeting

    add_meeting("2030-geneva", registration_opens_at=utcnow() - timedelta(days=1))
    page = app.test_client().get("/meetings/2030-geneva/apply").get_data(as_text=True)
    states = page.index('<optgroup label="States">')
    areas = page.index('<optgroup label="Other territories and areas">')
    assert states < page.index("Netherlands (Kingdom of the)") < areas
    assert areas < page.index("China, Hong Kong Special Administrative Region")
    assert ">Taiwan (Province of China)<" in page[areas:]
