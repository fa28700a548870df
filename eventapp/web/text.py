"""What typed text may hold: one rule, kept by every form of the app and by the person service.

A one-line field (a name, an organisation, a title) holds no line break, tab, control character
(Unicode Cc) or format character (Cf: bidi overrides and isolates, BOM, zero-width space...):
they hide text, reorder it or break the headers and lines it is copied into. Zero-width joiners
and non-joiners stay when they sit inside a word, where Indic and Arabic-script names need them.
A longer text (a text area) may also hold line breaks and tabs. U+FFFD is refused in both: it is
what a NUL (eventapp/web/forms.py) or an undecodable byte was read as, so what was meant is lost.
"""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from wtforms import Field, Form
from wtforms.validators import ValidationError

#: What HTML parsers put in place of NUL, and decoders in place of bytes that are not UTF-8.
REPLACEMENT = "\ufffd"
#: Characters that end a line (those of str.splitlines), and the tab: refused in one-line text.
LINE_BREAKS = frozenset("\n\r\t\v\f\x1c\x1d\x1e\x85\u2028\u2029")
#: What a text area sends for its line breaks, and a tab pasted with the text.
MULTILINE_KEEPS = frozenset("\n\r\t")
#: Zero-width non-joiner and joiner: kept between two letters or marks (क्‍ष, می‌خواهم).
JOINERS = frozenset("\u200c\u200d")
#: Control, format and surrogate code points: never stored.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def _letter_or_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _inside_word(value: str, index: int) -> bool:
    return 0 < index < len(value) - 1 and _letter_or_mark(value[index - 1]) and _letter_or_mark(value[index + 1])


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` cannot be stored, in the reader's language; None when it can."""
    for index, char in enumerate(value):
        if multiline and char in MULTILINE_KEEPS:
            continue
        if char in LINE_BREAKS:
            return _("Write this on one line, without line breaks or tabs.")
        if char in JOINERS and _inside_word(value, index):
            continue
        if char == REPLACEMENT or unicodedata.category(char) in REFUSED_CATEGORIES:
            return _("Remove the invisible character %(code)s from this text.", code=f"U+{ord(char):04X}")
    return None


def has_letter(value: str) -> bool:
    """True when `value` holds a letter of some script (Unicode category L*)."""
    return any(unicodedata.category(char)[0] == "L" for char in value)


class OneLine:
    """The text rule for a field: one line, or several when `multiline`; AppForm applies it."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and (problem := text_problem(field.data, multiline=self.multiline)):
            raise ValidationError(problem)


class HasLetter:
    """A name holds at least one letter: punctuation, digits or invisible characters alone are no name."""

    def __call__(self, form: Form, field: Field) -> None:
        # An invisible character is reported by OneLine, which names it; one message is enough.
        value = field.data if isinstance(field.data, str) else ""
        if value.strip() and not has_letter(value) and text_problem(value) is None:
            raise ValidationError(_("A name needs at least one letter."))
