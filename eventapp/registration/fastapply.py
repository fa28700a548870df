"""The application form's ordinary submission, answered in front of Flask.

Sending the public form is the busiest write of a meeting's opening weeks. Through Flask a
submission paid more for what surrounds the work (request context, hooks, Flask-Login, the ORM's
unit of work and its three round trips) than for the work itself. This WSGI layer does the same
work with less around it: it opens the session cookie and checks the CSRF token as Flask-WTF
does, validates the body with the same ApplicationForm, checks and builds the row with the same
service (`application_row`), counts the request against the same rate limit, renders the same
confirmation email, stores the registration, its audit entry and the email in one statement
(eventapp/registration/applywrite.py), and answers with the view's redirect and flash message.

It answers only when it is sure the view would answer the same: a visitor who is not signed in,
a valid CSRF token, a form that validates, no photo, a meeting open for registration, an address
not registered yet, a request within the limit, mail kept or queued. Everything else (messages
to show next to fields, a second registration, a photo, a signed-in user, any error before the
write) goes on to Flask unchanged, with the body it read put back.
tests/registration/test_fastapply.py keeps the two answers alike.
"""

from __future__ import annotations

import hmac
import io
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from flask.sessions import SessionMixin
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.routing import MapAdapter
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from eventapp.audit.services import audit_values
from eventapp.i18n.locales import COOKIE_NAME, locale_for
from eventapp.mail.services import Attachment, outbox_values, send_committed
from eventapp.models import MailStatus, Meeting, Registration
from eventapp.registration import applywrite
from eventapp.registration.applications import SUBMITTED_MESSAGE, application_row, submit_details
from eventapp.registration.errors import RegistrationError
from eventapp.registration.forms import ApplicationForm, person_data
from eventapp.registration.notifications import registrant_message
from eventapp.registration.tokens import make_manage_token
from eventapp.web import limits
from eventapp.web.frontpath import FrontLayer, install_in_front, take_body
from eventapp.web.security import HSTS, SECURITY_HEADERS

Answer = Callable[[dict[str, Any], Any], Iterable[bytes]]
APPLY_PATH = re.compile(r"^/meetings/([A-Za-z0-9._~-]+)/apply$")
ENDPOINT = "registration.apply"
#: A form without a photo is a few kilobytes; a bigger body carries a file, which Flask stores.
MAX_BODY = 64 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: Flask-Login's keys: a session holding any of them belongs to someone signed in (or just out).
LOGIN_KEYS = frozenset({"_user_id", "_id", "_fresh", "_remember", "_remember_seconds", "next"})


class ApplyFastPath(FrontLayer):
    """WSGI layer for POST /meetings/<slug>/apply; the rest goes to `inner`."""

    def __init__(self, app: Flask, inner: Any) -> None:
        super().__init__(app, inner)
        self._writer = applywrite.ApplicationWriter()
        #: Per thread: {language: ApplicationForm}, refilled for each submission.
        self._forms = threading.local()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST":
            match = APPLY_PATH.match(environ.get("PATH_INFO", ""))
            if match is not None and _is_form(environ):
                body = take_body(environ, MAX_BODY)
                if body is not None:
                    try:
                        answer = self._answer(environ, match.group(1))
                    finally:
                        environ["wsgi.input"] = io.BytesIO(body)
                    if answer is not None:
                        return answer(environ, start_response)
        return self.inner(environ, start_response)

    def _answer(self, environ: dict[str, Any], slug: str) -> Answer | None:
        app = self.app
        request: Request = app.request_class(environ)
        # The same parser as Flask's (and the same NUL replacement); a chosen photo goes to Flask.
        files = request.files
        if any(upload.filename for upload in files.values()):
            return None
        session = app.session_interface.open_session(app, request)  # type: ignore[arg-type]
        if session is None or LOGIN_KEYS & session.keys() or REMEMBER_COOKIE in request.cookies:
            return None
        if not self._csrf_valid(request, session):
            return None
        locale = locale_for(request.cookies.get(COOKIE_NAME), request.accept_languages)
        adapter = app.create_url_adapter(request)  # as url_for builds the links in a request
        if adapter is None:
            return None
        with app.app_context(), force_locale(locale):
            try:
                stored = self._store(request, adapter, slug, locale, files)
            except Exception:  # nothing was stored: Flask meets the same error and answers it its way
                return None
            if stored is None:
                return None
            token, message_status, message_id = stored
            if message_status != MailStatus.KEPT:
                send_committed([message_id])
            flash = _(SUBMITTED_MESSAGE)
        return self._redirect(request, adapter, session, token, flash)

    def _store(
        self, request: Request, adapter: MapAdapter, slug: str, locale: str, files: Any
    ) -> tuple[str, MailStatus, int] | None:
        """Check and store the application; (manage token, message status, message id), or None to hand over."""
        form = self._form(locale, _combined(request.form, files))
        if not form.validate():
            return None
        data = person_data(form)
        with self.engine().connect() as conn:
            # A meeting that changed since this worker read it: read it again, once.
            for fresh in (False, True):
                known = self._writer.meeting(conn, slug, fresh=fresh)
                if known is None:
                    return None
                try:
                    row = application_row(
                        known.meeting,
                        form.category.data or "",
                        data,
                        consent_data_processing=bool(form.consent_data_processing.data),
                        consent_participant_list=bool(form.consent_participant_list.data),
                        locale=locale,
                    )
                except RegistrationError:
                    return None
                if not self._count(request):
                    return None  # Flask counts it again and answers the 429
                confirmation = Confirmation(known.meeting, row, adapter)
                try:
                    stored = self._writer.store(conn, known, row, confirmation)
                except applywrite.AddressTaken:
                    return None  # the address is registered already: Flask says so (or takes a withdrawn one back)
                if stored is not None:
                    return confirmation.token, confirmation.status, stored[1]
        return None

    def _form(self, locale: str, formdata: Any) -> ApplicationForm:
        """The form filled with this request's data: made once per thread and language, then refilled.

        Making the form (binding its twenty fields) cost eight times what filling it does, and a
        refill sets every field afresh: its data, raw data and errors (the tests check that
        nothing of one submission reaches the next).
        """
        forms: dict[str, ApplicationForm] = self._forms.__dict__.setdefault("by_locale", {})
        form = forms.get(locale)
        if form is None:
            form = forms[locale] = ApplicationForm(formdata=formdata, meta={"csrf": False})
        else:
            form.process(formdata)
        return form

    def _count(self, request: Request) -> bool:
        """Count the request against the form's rate limit, once; False when over it."""
        if request.environ.get(limits.COUNTED):
            return True
        if not limits.count_public_form(self.app.config, ENDPOINT, request.remote_addr or "127.0.0.1"):
            return False
        request.environ[limits.COUNTED] = True
        return True

    def _csrf_valid(self, request: Request, session: SessionMixin) -> bool:
        """Flask-WTF's check of the form's token (a token sent in a header goes to Flask)."""
        config = self.app.config
        if not (config.get("WTF_CSRF_ENABLED", True) and config.get("WTF_CSRF_CHECK_DEFAULT", True)):
            return True
        name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        sent = request.form.get(name)
        if not sent or name not in session:
            return False
        secret = config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
        try:
            token = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(
                sent, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600)
            )
        except BadData:
            return False
        if not isinstance(token, str) or not hmac.compare_digest(session[name], token):
            return False
        if request.is_secure and config.get("WTF_CSRF_SSL_STRICT", True):
            return bool(request.referrer) and same_origin(request.referrer, f"https://{request.host}/")
        return True

    def _redirect(
        self, request: Request, adapter: MapAdapter, session: SessionMixin, token: str, flash: str
    ) -> Response:
        """The view's answer: the flash message in the session cookie, a redirect to the manage page."""
        response = redirect(
            adapter.build("registration.manage", {"token": token}), 302, Response=self.app.response_class
        )
        session["_flashes"] = [*session.get("_flashes", []), ("success", flash)]
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault(*HSTS)
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        self.app.session_interface.save_session(self.app, session, response)  # type: ignore[arg-type]
        return response


#: Stands for the manage link in an email rendered before the registration has its id.
LINK_MARK = "\ue000manage-link\ue000"


class Confirmation:
    """The audit entry and the confirmation email of a new application, finished once its id is known.

    The email is rendered when this is made, before the write, with a mark where the manage link
    goes; the write only signs the link and puts it in. On SQLite that keeps the rendering out
    of the time the write lock is held.
    """

    def __init__(self, meeting: Meeting, row: dict[str, Any], adapter: MapAdapter) -> None:
        self.meeting, self.adapter = meeting, adapter
        self.token = ""
        self.status = MailStatus.QUEUED
        self._registration = Registration(**applywrite.full_row(applywrite.REGISTRATIONS, row))
        self._rendered = self._message(LINK_MARK)

    def _message(self, manage_url: str) -> tuple[str, str, list[Attachment]]:
        meeting = self.meeting
        return registrant_message(
            "submitted",
            self._registration,
            meeting=meeting,
            manage_url=manage_url,
            meeting_url=self.adapter.build("meetings.show", {"slug": meeting.slug}, force_external=True),
        )

    def __call__(self, registration_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
        meeting, registration = self.meeting, self._registration
        registration.id = registration_id
        self.token = make_manage_token(registration)
        manage_url = self.adapter.build("registration.manage", {"token": self.token}, force_external=True)
        subject, body, attachments = self._rendered
        if LINK_MARK in body and LINK_MARK not in subject:
            body = body.replace(LINK_MARK, manage_url)
        else:  # a template that does something else with the link: render it again, with the link
            subject, body, attachments = self._message(manage_url)
        message = outbox_values(
            registration.email,
            subject,
            body,
            attachments=attachments,
            meeting_id=meeting.id,
            registration_id=registration_id,
        )
        self.status = message["status"]
        audit = audit_values(
            "registration.submit",
            "Registration",
            registration_id,
            meeting_id=meeting.id,
            details=submit_details(registration),
        )
        return audit, message


def _combined(form: Any, files: Any) -> Any:
    """What Flask-WTF hands the form: files and fields together when a (empty) file part came."""
    return CombinedMultiDict((files, form)) if files else form


def _is_form(environ: dict[str, Any]) -> bool:
    mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    return mimetype in FORM_TYPES


def install(app: Flask) -> None:
    install_in_front(app, ApplyFastPath)
