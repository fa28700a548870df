"""Rendering a template with one language's catalogue bound for the whole render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.support import NullTranslations
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def bound_gettext() -> dict[str, Callable[..., str]]:
    """`gettext` and `ngettext` for a template's context, reading the current language's catalogue once.

    Flask-Babel's own callables look the catalogue up again for every `{% trans %}` block, which
    was half of a confirmation email's rendering. These behave as Jinja's "newstyle" ones: the
    text is a format string, marked safe where the template autoescapes.
    """
    translations: NullTranslations = get_translations()
    # A catalogue's text is ours, as trusted as the template; the variables are still escaped by `%`.

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        text = translations.ugettext(string)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables  # noqa: S704

    return {"gettext": gettext, "ngettext": ngettext}
