"""Bind Flask-Babel to the app and give templates what the switcher and <html> need."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_babel import get_locale, refresh

from eventapp.extensions import babel
from eventapp.i18n.locales import DEFAULT_LOCALE, LANGUAGES, select_locale, text_direction


def configure_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")  # eventapp/translations
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks are extracted with whitespace collapsed (babel.cfg: trimmed); render them alike.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    def choose_language_afresh() -> None:
        # Flask-Babel keeps the locale in `g`, which outlives a request when an app context was
        # already pushed (tests, CLI): every request chooses again.
        refresh()

    app.before_request_funcs.setdefault(None, []).insert(0, choose_language_afresh)

    @app.context_processor
    def language_context() -> dict[str, object]:
        locale = get_locale()
        return {
            "current_language": str(locale) if locale else DEFAULT_LOCALE,
            "text_direction": text_direction(locale),
            "languages": LANGUAGES,
            "language_return_path": _return_path(),
        }

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        # Pages differ by the browser's languages (the cookie is covered by the session's Vary).
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response


def _return_path() -> str:
    """The page to come back to after switching language (GET pages keep their query)."""
    if request.method == "GET" and request.query_string:
        return request.full_path
    return request.path
