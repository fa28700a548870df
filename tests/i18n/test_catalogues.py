"""Every marked string of the source tree is in each catalogue, translated (fr, es, ar complete)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from eventapp.i18n.catalogues import catalogue_path, extract_messages
from eventapp.i18n.locales import LANGUAGES
from tests.i18n.conftest import COVERAGE

COMPLETE = ("fr", "es", "ar")
PARTIAL = ("ru", "zh")


@pytest.fixture(scope="module")
def source_messages() -> dict[str, list[str]]:
    """msgid -> where it is used, extracted from the source tree now (not from messages.pot)."""
    found: dict[str, list[str]] = defaultdict(list)
    for filename, lineno, message in extract_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found[msgid].append(f"{filename}:{lineno}")
    return found


def load(locale: str) -> Catalog:
    with catalogue_path(locale).open("rb") as po:
        return read_po(po, locale=locale)


def translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(s.strip() for s in strings)


def test_the_source_has_marked_strings(source_messages: dict[str, list[str]]) -> None:
    assert "Meetings" in source_messages and "Sign in" in source_messages
    assert len(source_messages) > 10


def test_every_supported_language_has_a_catalogue() -> None:
    assert set(LANGUAGES) - {"en"} == set(COMPLETE + PARTIAL)
    for locale in COMPLETE + PARTIAL:
        assert catalogue_path(locale).is_file(), f"{locale}: run `make translations`"


@pytest.mark.parametrize("locale", COMPLETE)
def test_catalogue_translates_every_source_string(locale: str, source_messages: dict[str, list[str]]) -> None:
    catalog = load(locale)
    missing = {msgid: where for msgid, where in source_messages.items() if not translated(catalog.get(msgid))}
    listing = "\n".join(f"  {where[0]}: {msgid!r}" for msgid, where in sorted(missing.items())[:40])
    assert not missing, (
        f"{locale}: {len(missing)} of {len(source_messages)} strings are missing, empty or fuzzy "
        f"(run `make translations`, then translate):\n{listing}"
    )


@pytest.mark.parametrize("locale", PARTIAL)
def test_partial_catalogue_coverage_is_reported(locale: str, source_messages: dict[str, list[str]]) -> None:
    catalog = load(locale)
    done = sum(translated(catalog.get(msgid)) for msgid in source_messages)
    COVERAGE[locale] = (done, len(source_messages))
    assert 0 <= done <= len(source_messages)


@pytest.mark.parametrize("locale", COMPLETE + PARTIAL)
def test_translations_keep_their_placeholders(locale: str) -> None:
    """A translation that drops or renames %(name)s would fail at render time."""
    catalog = load(locale)
    problems = [
        f"{message.id!r}: {'; '.join(str(e) for e in errors)}"
        for message, errors in catalog.check()
        if errors and not message.fuzzy
    ]
    assert not problems, f"{locale}:\n" + "\n".join(problems)
