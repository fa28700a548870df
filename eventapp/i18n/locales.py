"""Supported interface languages and how a request picks one."""

from __future__ import annotations

from babel import Locale
from flask import has_request_context, request
from werkzeug.datastructures import LanguageAccept

DEFAULT_LOCALE = "en"

#: Code -> the language's name in that language (the switcher shows these).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "ru": "Русский",
    "zh": "中文",
}

#: The cookie that keeps an explicit choice made with the switcher.
COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def select_locale() -> str:
    """The language of this request (see `locale_for`); English outside a request."""
    if not has_request_context():
        return DEFAULT_LOCALE
    return locale_for(request.cookies.get(COOKIE_NAME), request.accept_languages)


def locale_for(chosen: str | None, accepted: LanguageAccept) -> str:
    """The switcher's choice (cookie), else the browser's preference, else English."""
    if is_supported(chosen):
        return chosen  # type: ignore[return-value]
    return accepted.best_match(list(LANGUAGES), default=DEFAULT_LOCALE)


def text_direction(locale: Locale | str | None) -> str:
    """'rtl' for right-to-left scripts (Arabic), else 'ltr'."""
    if locale is None:
        return "ltr"
    parsed = locale if isinstance(locale, Locale) else Locale.parse(locale)
    return "rtl" if parsed.character_order == "right-to-left" else "ltr"
