"""What no route accepts, refused before any view or query sees it.

Database ids are 32-bit integers and PostgreSQL refuses NUL in text, so an id past 2**31 - 1 or
a NUL in a path segment matches no route (404), and a NUL in the query string is a bad request
(400). Every route gets this from the URL map itself; no view needs its own check.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter, ValidationError

#: The largest value of a 32-bit INTEGER column (every id in this database).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` as a database id: 0 to 2**31 - 1 unless the rule says otherwise."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """`<slug>`, `<token>`, ...: any segment without NUL."""

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError()
        return value


class TextPathConverter(PathConverter):
    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError()
        return value


def refuse_unstorable_urls(app: Flask) -> None:
    """Bounded ids and NUL-free text in every route; call before any blueprint is registered."""
    app.url_map.converters.update(default=TextConverter, string=TextConverter, path=TextPathConverter, int=IdConverter)

    @app.before_request
    def _no_nul_in_query() -> None:
        if "\x00" in request.query_string.decode("latin-1") or any(
            "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
        ):
            abort(400)
