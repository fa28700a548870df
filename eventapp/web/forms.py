"""Form helpers shared by the blueprints, and the base class of every form of the app."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms import Field, Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from eventapp.models.base import TitledEnum
from eventapp.web.edge import MAX_ID
from eventapp.web.text import REPLACEMENT, OneLine


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


def text_rule(field: Field) -> OneLine | None:
    """The text rule of a field: text areas may span lines, other text fields are one line."""
    if isinstance(field, TextAreaField):
        return OneLine(multiline=True)
    # Nobody types a hidden field, so nobody could correct it there: the view checks its value
    # (DatabaseId, a safe redirect). A password is compared, never shown or stored as typed.
    if isinstance(field, StringField) and not isinstance(field, HiddenField | PasswordField):
        return OneLine()
    return None


class TextRules:
    """Every text field of the form keeps the rule of eventapp/web/text.py, whatever its validators."""

    def validate(self, extra_validators: dict[str, list[Any]] | None = None) -> bool:
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name, field in self._fields.items():  # type: ignore[attr-defined]
            if (rule := text_rule(field)) is not None:
                extra.setdefault(name, []).append(rule)
        return super().validate(extra)  # type: ignore[misc]


class AppForm(TextRules, FlaskForm):
    """Every form of the app derives from this one (tests/web/test_forms.py checks it).

    No browser types NUL, but anyone can post one, and PostgreSQL refuses it in text (a 500 on
    every form that stores or looks up what was typed): fields read it as U+FFFD, which the text
    rule (TextRules) then refuses next to each field people type in.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            return without_nul(super().wrap_formdata(form, formdata))


class SubForm(TextRules, Form):
    """A form repeated inside an AppForm (FormField): the same text rule, no CSRF token of its own."""


def is_database_id(value: object) -> bool:
    """True for the decimal text of an id a 32-bit INTEGER column holds (1 to 2**31 - 1)."""
    raw = value if isinstance(value, str) else ""
    return raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_ID)) and 0 < int(raw) <= MAX_ID


class DatabaseId:
    """Ids posted in a form (a hidden field, ticked boxes) are ids a column holds, as edge.py keeps for URLs.

    PostgreSQL refuses a comparison with a value past its INTEGER, so such a value is bad input
    of the form, never a query.
    """

    message = lazy_gettext("This is not a valid reference.")

    def __call__(self, form: Form, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if not all(is_database_id(value) for value in values):
            raise ValidationError(str(self.message))


def enum_choices(enum_cls: type[TitledEnum]) -> list[SelectChoice]:
    """Select options for an enum: its values, labelled with their titles in the reader's language."""
    return [SelectChoice(m.value, lazy_gettext(m.english_label)) for m in enum_cls]


def pair_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
