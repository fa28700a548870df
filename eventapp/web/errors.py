"""Error pages."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from eventapp.extensions import db
from eventapp.models.base import N_

#: In English; pages show them in the reader's language (see _in_language).
MESSAGES = {
    400: (N_("Bad request"), N_("The request could not be understood.")),
    403: (N_("Not allowed"), N_("Your account does not have access to this page.")),
    404: (N_("Not found"), N_("There is no page at this address.")),
    405: (N_("Not allowed"), N_("This page does not accept that kind of request.")),
    422: (N_("Could not process"), N_("Something in the request was not right.")),
    429: (N_("Too many requests"), N_("Please wait a moment and try again.")),
    500: (N_("Something went wrong"), N_("The error was logged. Please try again in a moment.")),
}


def _in_language(text: str) -> str:
    # gettext("") would answer the catalogue's header.
    return gettext(text) if text else text


#: Paths whose clients read JSON: errors there (even "no such address") are JSON, never an HTML page.
API_PREFIX = "/api/"


def _json_error(code: int, title: str) -> tuple[Response, int]:
    return jsonify({"error": title}), code


def _retry_after(error: HTTPException) -> dict[str, str]:
    """A refused rate-limited request says how long to wait: at most the limit's window.

    The limiter's own headers are off (RATELIMIT_HEADERS_ENABLED): they cost a storage round trip
    on every answer, 429 or not.
    """
    if isinstance(error, RateLimitExceeded):
        return {"Retry-After": str(error.limit.limit.get_expiry())}
    return {}


def _answer_headers(error: HTTPException) -> dict[str, str]:
    """Headers an error answer owes its client: Retry-After on a 429, Allow on a 405."""
    headers = _retry_after(error)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return headers


def _what_is_limited(error: HTTPException) -> str:
    """A refused rate-limited request says which limit refused it (the limit's `error_message`)."""
    if isinstance(error, RateLimitExceeded) and isinstance(error.limit.error_message, str):
        return _in_language(error.limit.error_message)
    return ""


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return (
            render_template(
                "errors/error.html",
                code=400,
                title=gettext("Form expired"),
                message=gettext(
                    "The form was open too long or came from elsewhere. Go back, reload it and send it again."
                ),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str | Response, int, dict[str, str]]:
        code = error.code or 500
        title, message = MESSAGES.get(code, (error.name, error.description or ""))
        headers = _answer_headers(error)
        if request.path.startswith(API_PREFIX):
            return (*_json_error(code, title), headers)
        title, message = _in_language(title), _in_language(message)
        limited = _what_is_limited(error)
        if limited:
            message = f"{limited} {message}"
        return render_template("errors/error.html", code=code, title=title, message=message), code, headers

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str | Response, int]:
        db.session.rollback()
        title, message = MESSAGES[500]
        if request.path.startswith(API_PREFIX):
            return _json_error(500, title)
        title, message = _in_language(title), _in_language(message)
        return render_template("errors/error.html", code=500, title=title, message=message), 500
