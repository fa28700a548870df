"""iCalendar feeds: the meeting's public agenda, one session, and a person's own agenda."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.agenda.services import visible_session
from eventapp.auth import policy
from eventapp.bilaterals import feed as bilateral_feed
from eventapp.feeds import services
from eventapp.feeds.calendar import build_calendar
from eventapp.meetings.services import get_meeting
from eventapp.models import Bilateral, Meeting, Session
from eventapp.web import limits

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: Shared feeds are the same for every reader, so they have one language.
SHARED_FEED_LOCALE = "en"


def _session_url(meeting: Meeting) -> Callable[[Session], str]:
    base = url_for("agenda.session", slug=meeting.slug, session_id=0, _external=True).rsplit("/", 1)[0]
    return lambda s: f"{base}/{s.id}"


def _bilateral_url(meeting: Meeting) -> Callable[[Bilateral], str]:
    return lambda b: url_for("bilaterals.show", slug=meeting.slug, bilateral_id=b.id, _external=True)


def _respond(version: services.FeedVersion, build: Callable[[], bytes], filename: str, *, public: bool) -> Response:
    """The feed, or 304 when the client's If-None-Match / If-Modified-Since names this version."""
    response = Response(content_type=CONTENT_TYPE)
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    if public:
        # The same bytes for everyone: a reverse proxy or the calendar app may keep them this long
        # and spare the app the polling of every subscriber; past it they ask again with the ETag.
        response.cache_control.public = True
        response.cache_control.max_age = current_app.config["FEED_MAX_AGE"]
    else:
        # One person's feed (or a session only they may see): no shared cache may keep it, and
        # their own client asks each time (a 304 costs one query) so their changes show at once.
        response.cache_control.private = True
        response.cache_control.no_cache = True
    response.make_conditional(request)
    if response.status_code == 200:  # not 304, nor 412 for an If-Match: only now is the body built
        response.set_data(build())
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@bp.get("/meetings/<slug>/agenda.ics")
def meeting(slug: str) -> Response:
    found = services.meeting_feed(slug)
    if found is None:
        abort(404)
    m, version = found

    def build() -> bytes:
        with force_locale(SHARED_FEED_LOCALE):
            name = _("%(title)s (agenda)", title=m.title)
            sessions = services.public_feed_sessions(m.id)
            return build_calendar(m, sessions, name=name, session_url=_session_url(m), stamp=version.last_modified)

    return _respond(version, build, f"{slug}.ics", public=True)


@bp.get("/meetings/<slug>/sessions/<int:session_id>.ics")
def session(slug: str, session_id: int) -> Response:
    m = get_meeting(slug)
    if m is None or not policy.can_view_meeting(current_user, m):
        abort(404)
    s = visible_session(m, session_id, current_user)
    if s is None:
        abort(404)
    version = services.session_feed_version(m, s)

    def build() -> bytes:
        with force_locale(SHARED_FEED_LOCALE):
            return build_calendar(m, [s], name=s.title, session_url=_session_url(m), stamp=version.last_modified)

    return _respond(version, build, f"{slug}-session-{s.id}.ics", public=services.session_is_public(m, s))


@bp.get("/calendar/<token>.ics")
@limits.private_link
def personal(token: str) -> Response:
    feed = services.personal_feed(token)
    if feed is None:
        abort(404)
    registration, m = feed.registration, feed.meeting

    def build() -> bytes:
        # One person's feed: in the language they registered in.
        with force_locale(registration.locale or SHARED_FEED_LOCALE):
            name = _("%(title)s: my agenda", title=m.title)
            sessions = services.personal_feed_sessions(registration)
            # The bilaterals of the person's delegation: one more statement, only when there are some.
            bilaterals = bilateral_feed.feed_events(registration, m, _bilateral_url(m)) if feed.bilaterals else []
            return build_calendar(
                m,
                sessions,
                name=name,
                session_url=_session_url(m),
                stamp=feed.version.last_modified,
                other_events=bilaterals,
            )

    return _respond(feed.version, build, "my-agenda.ics", public=False)
