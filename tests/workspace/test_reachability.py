"""Every page a role may open is reached by clicking from the home page.

For each role the test signs in and follows links (and GET forms) from "/" only, never typing an
address. The pages a role may open come from the app's routes and the authorisation table of
tests/security (the same world of data); a page no menu or page links to fails the test, which
lists what was not reached. Downloads (PDF, CSV, XLSX, calendars, text) count as reached when a
page links to them; they are not fetched.
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from eventapp.workspace.menu import menu_endpoints
from tests.conftest import PASSWORD
from tests.security.matrix import ACCOUNTS, ADMIN, ANONYMOUS, FOCAL_POINT_A, HOST, OK, SCANNER
from tests.security.test_authorisation_matrix import RULES
from tests.security.world import EMAILS, World

#: Routes nobody reaches by clicking, and why.
NOT_CLICKED = {
    "static": "style sheets, scripts and fonts",
    "web.healthz": "for the load balancer",
    "web.favicon": "asked for by the browser",
    "checkin.photo": "fetched by the scanner's script",
    "api.openapi": "the API's document, for programmers",
    "speakers.live_state": "read every second by the chair's console and the room display",
    "devices.scanner": "opened on a phone from its device link (a QR code shown once to the host)",
}
#: Blueprints nobody clicks through: the JSON API is called by the scanner's script and by devices.
NOT_CLICKED_BLUEPRINTS = ("api.",)
#: Routes counted as reached when linked, never fetched (they change the language or are files).
FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".ics", ".txt", ".json")
NOT_FETCHED = {"i18n.choose"}
#: A list reached through its filters (the outbox of one meeting, of another...) shows different links.
OPENINGS_PER_PATH = 4
ROLES = (ANONYMOUS, FOCAL_POINT_A, SCANNER, HOST, ADMIN)


class _Links(HTMLParser):
    """The addresses a reader can follow: links, GET forms and images (a photo is opened by clicking it)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.found.append(a["href"] or "")
        elif tag == "form" and (a.get("method") or "get").lower() == "get":
            self.found.append(a.get("action") or "")
        elif tag == "img" and a.get("src"):
            self.found.append(a["src"] or "")


def _endpoint(app: Flask, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except RequestRedirect as redirect:
        return _endpoint(app, urlsplit(redirect.new_url).path)
    except HTTPException:
        return None
    return str(endpoint)


def crawl(app: Flask, client: FlaskClient) -> set[str]:
    """Endpoints reached from "/" by following links; a path opens with a few different queries at most."""
    reached: set[str] = set()
    seen: set[str] = set()
    opened: Counter[str] = Counter()
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or opened[path] >= OPENINGS_PER_PATH:
            continue
        seen.add(url)
        opened[path] += 1
        endpoint = _endpoint(app, path)
        if endpoint is None:
            continue
        reached.add(endpoint)
        if endpoint in NOT_FETCHED or endpoint in NOT_CLICKED or path.endswith(FILE_SUFFIXES):
            continue
        response = client.get(url, follow_redirects=True)
        landed = _endpoint(app, response.request.path)
        if landed:
            reached.add(landed)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(response.get_data(as_text=True))
        for link in parser.found:
            target = urlsplit(urljoin(response.request.url, link))
            if target.netloc in ("", "localhost") and target.scheme in ("", "http", "https"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return reached


def may_open(app: Flask, role: str) -> dict[str, str]:
    """GET pages the authorisation table lets this role open, with their rule, for this world."""
    pages = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint in NOT_CLICKED:
            continue
        if rule.endpoint.startswith(NOT_CLICKED_BLUEPRINTS) or "token" in rule.arguments:
            continue  # private links (manage, invitation, calendar, new password) arrive by email
        if role != ANONYMOUS and rule.endpoint == "auth.login":
            continue  # signed in already
        if any(r.access.get(role) == OK and r.token is None for r in RULES.get(rule.endpoint, [])):
            pages[rule.endpoint] = rule.rule
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_is_reached_by_clicking(
    app: Flask, client: FlaskClient, world: World, role: str
) -> None:
    if role in ACCOUNTS:
        answer = client.post("/login", data={"email": EMAILS[ACCOUNTS[role]], "password": PASSWORD})
        assert answer.status_code == 302
    reached = crawl(app, client)
    wanted = may_open(app, role)
    missing = {endpoint: rule for endpoint, rule in wanted.items() if endpoint not in reached}
    unruled = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set()) and rule.endpoint not in RULES
    )
    not_built = sorted(e for e in menu_endpoints() if e not in app.view_functions)
    report = [f"{role}: reached {len(reached & set(wanted))} of {len(wanted)} pages it may open."]
    report += [f"  NOT REACHED by clicking: {e} (GET {rule})" for e, rule in sorted(missing.items())]
    if unruled:
        report.append(f"  not checked (no rule in the authorisation table yet): {', '.join(unruled)}")
    if not_built:
        report.append(f"  menu entries whose page does not exist yet (left out): {', '.join(not_built)}")
    print("\n".join(report))
    assert not missing, "\n".join(report)
