"""Country names as the UN writes them, in its six languages.

countries.csv is made by `python -m eventapp.countries.refresh` from the static copy of UN OCHA's
country taxonomy in hdx-python-country 4.2.5: states (members and observers, the UNTERM list)
by their UNTERM short names ("Iran (Islamic Republic of)", "Türkiye"), other areas by their M49
names, which say whose they are ("China, Hong Kong Special Administrative Region"). Where the
source has no name in a language, the English one stands. Every page, form, badge, export and
email names a country through `country_name`.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("countries.csv")
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")


@dataclass(frozen=True)
class Country:
    code: str
    #: Listed by the UN as a state (a Member State or an observer State); otherwise an area.
    is_state: bool
    names: dict[str, str]

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]


@cache
def _countries() -> dict[str, Country]:
    with DATA_FILE.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    return {
        row["code"]: Country(row["code"], row["state"] == "Y", {lang: row[lang] for lang in LANGUAGES if row[lang]})
        for row in rows
    }


def language_of(locale: object) -> str:
    """'fr' for a Locale or 'fr_CA'; English for anything not one of the six."""
    code = getattr(locale, "language", None) or str(locale or "en")
    code = code.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else "en"


def get(code: str | None) -> Country | None:
    return _countries().get((code or "").strip().upper())


def is_known(code: str | None) -> bool:
    return get(code) is not None


def is_state(code: str | None) -> bool:
    country = get(code)
    return country is not None and country.is_state


def reader_language() -> str:
    """The language of the page being made; English outside a request."""
    from flask_babel import get_locale

    try:
        return language_of(get_locale())
    except RuntimeError:  # outside an application context
        return "en"


def country_name(code: str | None, language: str | None = None) -> str:
    """The UN's name in `language` ('fr', 'ar'...; the reader's by default); unknown codes stay as they are."""
    if not code:
        return ""
    country = get(code)
    return country.name(language_of(language or reader_language())) if country else code


def sort_key(name: str) -> str:
    # "Égypte" sorts with the E's, not after "Zambie".
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


@cache
def choices(language: str = "en") -> tuple[tuple[str, str], ...]:
    """(code, name) of every state then every other area, each part alphabetical in `language`.

    States come first so that no area reads as one of them; areas keep the M49 names that say
    whose they are.
    """
    language = language_of(language)
    listed = sorted(_countries().values(), key=lambda c: (not c.is_state, sort_key(c.name(language))))
    return tuple((c.code, c.name(language)) for c in listed)


@cache
def codes() -> frozenset[str]:
    return frozenset(_countries())
