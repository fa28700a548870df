"""The public meeting feed answered in front of Flask: validators first, then a 304 or the cached body.

Calendar apps poll the meeting feed and nearly always hold the current version. Going through
Flask for that costs more than the answer itself: a request context, the session cookie, Flask-Login,
the rate limiter's checks, the after-request hooks. None of them apply to this public, anonymous,
read-only address, so a small WSGI layer answers it with one aggregate query (Core, a pooled
connection) and the same headers Flask would send. Everything else, and every case it is unsure
about (no feed, a feed not built yet, a database error), goes on to Flask unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

from eventapp.feeds import services
from eventapp.web.frontpath import FrontLayer, install_in_front
from eventapp.web.security import HSTS, SECURITY_HEADERS

MEETING_FEED = re.compile(r"^/meetings/([A-Za-z0-9._~-]+)/agenda\.ics$")
CONTENT_TYPE = "text/calendar; charset=utf-8"
#: Where the validator travels to the Flask view when the body still has to be built (no second query).
STATE_KEY = "eventapp.feeds.state"


def cache_key(host: str, etag: str) -> str:
    return f"{host}|{etag}"


def finish(response: Response, state: services.FeedState, *, public: bool) -> Response:
    """Validators and caching headers of every feed answer (Flask view and fast path alike)."""
    response.set_etag(state.etag)
    response.last_modified = state.last_modified
    # Calendars may keep the file but must ask again (cheaply, with the validators) before using it.
    response.headers["Cache-Control"] = ("public" if public else "private") + ", no-cache"
    return response


class FeedFastPath(FrontLayer):
    """WSGI layer for GET/HEAD /meetings/<slug>/agenda.ics; anything else goes to `inner`."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            match = MEETING_FEED.match(environ.get("PATH_INFO", ""))
            if match is not None:
                response = self._answer(environ, match.group(1))
                if response is not None:
                    return response(environ, start_response)
        return self.inner(environ, start_response)

    def _answer(self, environ: dict[str, Any], slug: str) -> Response | None:
        try:
            state = services.meeting_feed_state(slug, engine=self.engine(), config=self.app.config)
        except Exception:  # let Flask meet the same error and answer it the usual way
            return None
        if state is None:
            return None  # Flask's 404 page
        environ[STATE_KEY] = state
        if not is_resource_modified(environ, etag=state.etag, last_modified=state.last_modified):
            response = Response(status=304)
        else:
            body = services.cache.get(cache_key(get_host(environ), state.etag))
            if body is None:
                return None  # built once by the Flask view, then served from here
            response = Response(body, content_type=CONTENT_TYPE)
            response.headers["Content-Disposition"] = f'inline; filename="{slug}.ics"'
        finish(response, state, public=True)
        headers = response.headers
        for name, value in SECURITY_HEADERS:
            headers[name] = value
        if environ.get("wsgi.url_scheme") == "https":
            headers[HSTS[0]] = HSTS[1]
        return response


def install(app: Flask) -> None:
    install_in_front(app, FeedFastPath)
