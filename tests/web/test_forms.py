"""Every form of the app reads text without NUL (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

from flask import Flask
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import StringField

from eventapp.web.forms import REPLACEMENT, AppForm, without_nul


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_form_of_the_app_derives_from_the_app_form(app: Flask) -> None:
    ours = {form for form in _all_subclasses(FlaskForm) if form.__module__.startswith("eventapp.")}
    assert len(ours) > 10  # the blueprints are imported: their forms are all here
    assert {form.__qualname__ for form in ours if not issubclass(form, AppForm)} == set()


def test_nul_reaches_a_field_as_the_replacement_character(app: Flask) -> None:
    class NameForm(AppForm):
        name = StringField()

    with app.test_request_context(method="POST", data={"name": "A\x00B"}):
        form = NameForm(meta={"csrf": False})
        assert form.name.data == f"A{REPLACEMENT}B"


def test_files_and_repeated_fields_pass_through() -> None:
    upload = FileStorage(filename="me.png")
    data = MultiDict([("a", "x\x00"), ("a", "y"), ("photo", upload)])
    cleaned = without_nul(data)
    assert cleaned.getlist("a") == [f"x{REPLACEMENT}", "y"] and cleaned["photo"] is upload
    clean = MultiDict([("a", "x")])
    assert without_nul(clean) is clean
