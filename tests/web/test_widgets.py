"""LongListSelect writes the markup WTForms' Select writes, with the option list made once per list."""

from __future__ import annotations

import pytest
from flask import Flask
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import Select

from eventapp.registration.forms import CountryField
from eventapp.web.forms import AppForm
from eventapp.web.widgets import LongListSelect, unselected_options

ATTRIBUTES = {"aria-describedby": "country-hint", "aria-invalid": "true", "class": "wide"}


class CountryForm(AppForm):
    country = CountryField("Country")
    required_country = CountryField("Country", validators=[DataRequired()])


def both(app: Flask, language: str, chosen: str = "", **attributes: str) -> tuple[str, str]:
    """The country select as LongListSelect and as Select write it, in `language`."""
    with app.app_context(), app.test_request_context(headers={"Accept-Language": language}):
        form = CountryForm(meta={"csrf": False}, data={"country": chosen, "required_country": chosen})
        field = form.required_country if attributes else form.country
        return str(LongListSelect()(field, **attributes)), str(Select()(field, **attributes))


@pytest.mark.parametrize("language", ["en", "fr", "ar", "zh"])
@pytest.mark.parametrize("chosen", ["", "FRA", "CIV"])
def test_the_markup_is_the_one_select_writes(app: Flask, language: str, chosen: str) -> None:
    ours, theirs = both(app, language, chosen)
    assert ours == theirs
    assert ours.count("<option") > 200
    assert ours.count(" selected") == 1 and f'<option selected value="{chosen}">' in ours
    ours, theirs = both(app, language, chosen, **ATTRIBUTES)
    assert ours == theirs and " required>" in ours and 'aria-invalid="true"' in ours


def test_each_language_has_its_own_list_and_a_choice_does_not_stay_selected(app: Flask) -> None:
    unselected_options.cache_clear()
    french, _ = both(app, "fr", "DEU")
    assert '<option selected value="DEU">Allemagne</option>' in french
    again, _ = both(app, "fr")
    assert '<option value="DEU">Allemagne</option>' in again and '<option selected value="">' in again
    english, _ = both(app, "en")
    assert '<option value="DEU">Germany</option>' in english
    # One list per language and option group (the empty choice, states, other areas), made once:
    # the second French page reused the first one's.
    assert unselected_options.cache_info().currsize == 6


def test_labels_and_values_are_escaped_as_select_escapes_them(app: Flask) -> None:
    class Odd(AppForm):
        pick = SelectField(choices=[SelectChoice("a&b", 'Tom & "Jerry" <x>'), SelectChoice("<v>", "")])

    with app.test_request_context():
        for chosen in ("a&b", "<v>", ""):
            form = Odd(meta={"csrf": False}, data={"pick": chosen})
            assert str(LongListSelect()(form.pick)) == str(Select()(form.pick))


def test_groups_are_written_as_select_writes_them_and_option_attributes_left_to_it(app: Flask) -> None:
    class Marked(AppForm):
        grouped = SelectField(
            choices=[
                SelectChoice("FRA", "France", optgroup="Europe"),
                SelectChoice("SEN", "Senegal", optgroup="Africa"),
            ]
        )
        marked = SelectField(choices=[SelectChoice("a", "A", render_kw={"disabled": True}), SelectChoice("b", "B")])

    with app.test_request_context():
        form = Marked(meta={"csrf": False}, data={"grouped": "SEN", "marked": "b"})
        grouped = str(LongListSelect()(form.grouped))
        assert grouped == str(Select()(form.grouped)) and "<optgroup" in grouped
        marked = str(LongListSelect()(form.marked))
        assert marked == str(Select()(form.marked)) and "disabled" in marked
