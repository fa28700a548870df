"""iCalendar feeds: the meeting's public agenda, one session, and a person's own agenda."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.http import is_resource_modified

from eventapp.agenda.services import visible_session
from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.feeds import fastpath, services
from eventapp.feeds.calendar import build_calendar
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, RegistrationStatus, Session, SessionAccess
from eventapp.registration.tokens import load_calendar_token
from eventapp.web import limits

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = fastpath.CONTENT_TYPE
#: Shared feeds are cached by version and answered to everyone alike, so they have one language.
SHARED_FEED_LOCALE = "en"


def _session_url(meeting: Meeting) -> Callable[[Session], str]:
    base = url_for("agenda.session", slug=meeting.slug, session_id=0, _external=True).rsplit("/", 1)[0]
    return lambda s: f"{base}/{s.id}"


# The meeting feed's 304s and cached bodies are answered in front of Flask (see fastpath.py).
bp.record_once(lambda setup: fastpath.install(setup.app))


def _respond(state: services.FeedState, build: Callable[[], bytes], filename: str, *, public: bool) -> Response:
    """304 when the client holds this version; otherwise the feed, from the cache when it was built before."""
    if not is_resource_modified(request.environ, etag=state.etag, last_modified=state.last_modified):
        response = Response(status=304)
    else:
        key = fastpath.cache_key(request.host, state.etag)
        body = services.cache.get(key) if public else None
        if body is None:
            body = build()
            if public:
                services.cache.put(key, body)
        response = Response(body, content_type=CONTENT_TYPE)
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return fastpath.finish(response, state, public=public)


@bp.get("/meetings/<slug>/agenda.ics")
def meeting(slug: str) -> Response:
    # The fast path already ran the validator query when it hands the request on.
    state = request.environ.get(fastpath.STATE_KEY) or services.meeting_feed_state(slug)
    if state is None:
        abort(404)

    def build() -> bytes:
        m = db.session.get(Meeting, state.meeting_id) or abort(404)
        with force_locale(SHARED_FEED_LOCALE):
            name = _("%(title)s (agenda)", title=m.title)
            return build_calendar(m, services.public_feed_sessions(m), name=name, session_url=_session_url(m))

    return _respond(state, build, f"{slug}.ics", public=True)


@bp.get("/meetings/<slug>/sessions/<int:session_id>.ics")
def session(slug: str, session_id: int) -> Response:
    m = get_meeting(slug)
    if m is None or not policy.can_view_meeting(current_user, m):
        abort(404)
    s = visible_session(m, session_id, current_user)
    if s is None:
        abort(404)
    public = s.access == SessionAccess.OPEN
    state = services.session_feed_state(m, s)

    def build() -> bytes:
        with force_locale(SHARED_FEED_LOCALE):
            return build_calendar(m, [s], name=s.title, session_url=_session_url(m))

    return _respond(
        state,
        build,
        f"{slug}-session-{s.id}.ics",
        public=public,
    )


@bp.get("/calendar/<token>.ics")
@limits.private_link
def personal(token: str) -> Response:
    registration = load_calendar_token(token)
    if registration is None or registration.status in (RegistrationStatus.DECLINED, RegistrationStatus.WITHDRAWN):
        abort(404)
    m = registration.meeting
    if not m.agenda_published:
        abort(404)
    state = services.personal_feed_state(registration, m)

    def build() -> bytes:
        # One person's feed: in the language they registered in.
        with force_locale(registration.locale or SHARED_FEED_LOCALE):
            name = _("%(title)s: my agenda", title=m.title)
            sessions = services.personal_feed_sessions(registration)
            return build_calendar(m, sessions, name=name, session_url=_session_url(m))

    return _respond(
        state,
        build,
        "my-agenda.ics",
        public=False,
    )
