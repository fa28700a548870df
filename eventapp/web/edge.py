"""What no route accepts, refused before any view or query sees it.

Database ids are 32-bit integers and PostgreSQL refuses NUL in text, so an id past 2**31 - 1 or
a NUL in a path segment matches no route (404), and a NUL in the query string is a bad request
(400). A body larger than the route accepts is refused with 413 before it is read: every route
takes MAX_CONTENT_LENGTH, a view marked `accepts_upload` takes MAX_UPLOAD_BYTES.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter, ValidationError

View = TypeVar("View", bound=Callable[..., Any])

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


def accepts_upload(view: View) -> View:
    """Mark a view whose form carries a file (a photo): its body may reach MAX_UPLOAD_BYTES."""
    view.accepts_upload = True  # type: ignore[attr-defined]
    return view


def _body_limit() -> int | None:
    view = current_app.view_functions.get(request.endpoint or "")
    setting = "MAX_UPLOAD_BYTES" if getattr(view, "accepts_upload", False) else "MAX_CONTENT_LENGTH"
    return current_app.config.get(setting)


def refuse_unstorable_urls(app: Flask) -> None:
    """Bounded ids, NUL-free text and bounded bodies in every route; call before blueprints are registered."""
    app.url_map.converters.update(default=TextConverter, string=TextConverter, path=TextPathConverter, int=IdConverter)

    @app.before_request
    def _no_oversize_body() -> None:
        limit = _body_limit()
        request.max_content_length = limit  # also bounds a chunked body as it is read
        if limit is not None and (request.content_length or 0) > limit:
            abort(413)

    @app.before_request
    def _no_nul_in_query() -> None:
        if "\x00" in request.query_string.decode("latin-1") or any(
            "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
        ):
            abort(400)
