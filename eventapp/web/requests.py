"""The request class: Flask's, with form values that every database can store."""

from __future__ import annotations

import flask

#: What HTML parsers put in place of NUL; unlike deleting it, the change stays visible to the sender.
REPLACEMENT = "\ufffd"


class Request(flask.Request):
    """Form fields arrive with NUL turned into U+FFFD.

    No browser types NUL, but anyone can post one, and PostgreSQL refuses it in text (a 500 on
    every form that stores or looks up what was typed). Every form reads `request.form`, so one
    place covers them all; JSON bodies are checked by the API itself.
    """

    def _load_form_data(self) -> None:
        already = "form" in self.__dict__
        super()._load_form_data()
        form = self.__dict__.get("form")
        if already or form is None or not any("\x00" in value for _, value in form.items(multi=True)):
            return
        self.__dict__["form"] = self.parameter_storage_class(
            [(key, value.replace("\x00", REPLACEMENT)) for key, value in form.items(multi=True)]
        )
