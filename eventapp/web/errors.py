"""Error pages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from eventapp.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is no page at this address."),
    405: ("Not allowed", "This page does not accept that kind of request."),
    422: ("Could not process", "Something in the request was not right."),
    429: ("Too many requests", "Please wait a moment and try again."),
    500: ("Something went wrong", "The error was logged. Please try again in a moment."),
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return (
            render_template(
                "errors/error.html",
                code=400,
                title="Form expired",
                message="The form was open too long or came from elsewhere. Go back, reload it and send it again.",
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, message = MESSAGES.get(code, (error.name, error.description or ""))
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        title, message = MESSAGES[500]
        return render_template("errors/error.html", code=500, title=title, message=message), 500
