"""Names and titles typed in several of the six languages: each reader gets theirs, else the original."""

from __future__ import annotations

from collections.abc import Mapping

from eventapp.countries import LANGUAGES, language_of, reader_language


def translated(original: str, translations: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in `language` (the reader's by default) when someone wrote it, else the original."""
    wanted = language_of(language) if language else reader_language()
    return (translations or {}).get(wanted) or original


def clean_translations(values: Mapping[str, str | None]) -> dict[str, str]:
    """The translations to store: one line each, spaces tidied, empty ones left out."""
    return {lang: " ".join((values.get(lang) or "").split()) for lang in LANGUAGES if (values.get(lang) or "").strip()}


def list_entry(name: str) -> str:
    """A member's name at the head of a list entry: 'the African Union' reads 'African Union'.

    The communiqués write "the" inside sentences; a list does not start an entry with it.
    """
    return name[4:] if name.startswith("the ") and len(name) > 4 else name


def add_translation_fields(form_cls: type, name: str, *, multiline: bool = False, max_length: int = 200) -> None:
    """Give a form one optional field per language for `name`: `<name>_fr`, `<name>_ar`..."""
    from wtforms import StringField, TextAreaField
    from wtforms.validators import Length, Optional

    from eventapp.i18n.locales import LANGUAGES as NAMES

    kind = TextAreaField if multiline else StringField
    for code in LANGUAGES:
        # Typed in that language: the browser spells, writes and shows it as such.
        typed = {"lang": code, "dir": "rtl" if code == "ar" else "ltr"}
        field = kind(NAMES[code], validators=[Optional(), Length(max=max_length)], render_kw=typed)
        setattr(form_cls, f"{name}_{code}", field)


def translations_from_form(form: object, name: str, *, multiline: bool = False) -> dict[str, str]:
    """The translations of `name` typed in the form, as they are stored."""
    values = {code: getattr(form, f"{name}_{code}").data or "" for code in LANGUAGES}
    if multiline:
        return {code: value.strip() for code, value in values.items() if value.strip()}
    return clean_translations(values)


def fill_translation_fields(form: object, name: str, translations: Mapping[str, str] | None) -> None:
    for code in LANGUAGES:
        getattr(form, f"{name}_{code}").data = (translations or {}).get(code, "")


def member_name(member: object, language: str | None = None) -> str:
    """A member's name for the reader: as typed in their language, else the UN's name of a State
    in that language (not in English: there the communiqués' wording stands), else as typed."""
    from eventapp.countries import country_name

    wanted = language_of(language) if language else reader_language()
    typed = (getattr(member, "name_translations", None) or {}).get(wanted)
    if typed:
        return typed
    iso3 = getattr(member, "iso3", None)
    if iso3 and wanted != "en":
        return country_name(iso3, wanted)
    return getattr(member, "name", "")
