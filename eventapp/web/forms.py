"""Form helpers shared by the blueprints, and the base class of every form of the app."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms.fields.choices import SelectChoice

from eventapp.models.base import TitledEnum

#: What HTML parsers put in place of NUL; unlike deleting it, the change stays visible to the sender.
REPLACEMENT = "\ufffd"


def without_nul(formdata: Any) -> Any:
    """The same form data with NUL turned into U+FFFD in every text value (files pass untouched)."""
    if not isinstance(formdata, MultiDict):
        return formdata
    pairs = list(formdata.items(multi=True))
    if not any(isinstance(value, str) and "\x00" in value for _, value in pairs):
        return formdata
    return ImmutableMultiDict(
        [(key, value.replace("\x00", REPLACEMENT) if isinstance(value, str) else value) for key, value in pairs]
    )


class AppForm(FlaskForm):
    """Every form of the app derives from this one (tests/web/test_forms.py checks it).

    No browser types NUL, but anyone can post one, and PostgreSQL refuses it in text (a 500 on
    every form that stores or looks up what was typed): fields read it as U+FFFD.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            return without_nul(super().wrap_formdata(form, formdata))


def enum_choices(enum_cls: type[TitledEnum]) -> list[SelectChoice]:
    """Select options for an enum: its values, labelled with their titles in the reader's language."""
    return [SelectChoice(m.value, lazy_gettext(m.english_label)) for m in enum_cls]


def pair_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
