"""Translated strings for the page scripts, passed in a data-i18n attribute (the CSP allows no inline script)."""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale
from flask_babel import get_locale

#: What a script puts in place of the count in a plural template.
COUNT = "{n}"


def plural_templates(translate: Callable[[int], str]) -> dict[str, str]:
    """One template per CLDR plural category of the current language ('one', 'few', 'other'...).

    `translate(n)` calls ngettext with n and `count=COUNT`; the script picks the template with
    Intl.PluralRules and puts the count in.
    """
    locale = get_locale() or Locale.parse("en")
    templates: dict[str, str] = {}
    for sample in range(0, 200):
        category = locale.plural_form(sample)
        if category not in templates:
            templates[category] = translate(sample)
    return templates
