"""Form helpers shared by the blueprints."""

from __future__ import annotations

from flask_babel import lazy_gettext
from wtforms.fields.choices import SelectChoice

from eventapp.models.base import TitledEnum


def enum_choices(enum_cls: type[TitledEnum]) -> list[SelectChoice]:
    """Select options for an enum: its values, labelled with their titles in the reader's language."""
    return [SelectChoice(m.value, lazy_gettext(m.english_label)) for m in enum_cls]


def pair_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
