"""Widgets shared by the forms of several blueprints."""

from __future__ import annotations

from functools import lru_cache
from itertools import accumulate
from typing import Any

from markupsafe import Markup
from wtforms.fields.choices import Choice, SelectFieldBase
from wtforms.widgets import Select, html_params

#: An option list as (value, label) pairs: the key of its rendered markup.
OptionList = tuple[tuple[str, str], ...]


@lru_cache(maxsize=64)
def unselected_options(options: OptionList) -> tuple[Markup, tuple[int, ...]]:
    """The options' markup as Select writes it, none selected, and where each option starts and ends.

    A pure function of the list: made once per list (per language for the country lists).
    """
    parts = [Select.render_option(Choice(value, label, False, {})) for value, label in options]
    return Markup("").join(parts), tuple(accumulate((len(part) for part in parts), initial=0))


class LongListSelect(Select):
    """A select for long, fixed option lists (the countries in the reader's language).

    It writes what `Select` writes: the options (of each option group) come from
    `unselected_options`, and only the selected ones are written on each render. Lists with
    per-option attributes are left to `Select`.
    """

    def __call__(self, field: SelectFieldBase, **kwargs: Any) -> Markup:
        if self.multiple:
            return super().__call__(field, **kwargs)
        groups = list(field.iter_groups()) if field.has_groups() else [(None, list(field.iter_choices()))]
        if any(choice.render_kw for _, choices in groups for choice in choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        html = Markup("<select {}>").format(html_params(name=field.name, **kwargs))
        for label, choices in groups:
            if label is not None:
                html += Markup("<optgroup {}>").format(html_params(label=label))
            html += self._options(choices)
            if label is not None:
                html += Markup("</optgroup>")
        return html + Markup("</select>")

    def _options(self, choices: list[Choice]) -> Markup:
        block, edges = unselected_options(tuple((str(c.value), str(c.label or c.value)) for c in choices))
        html, start = Markup(""), 0
        for index, choice in enumerate(choices):
            if choice.selected:
                html += block[start : edges[index]] + self.render_option(choice)
                start = edges[index + 1]
        return html + block[start:]
