"""Machinery of the authorisation matrix: roles, outcome classes, rules and one request per cell.

The table itself is in test_authorisation_matrix.py.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule as UrlRule
from werkzeug.routing.converters import AnyConverter
from werkzeug.test import TestResponse

from eventapp.extensions import db
from eventapp.models import Base
from tests.conftest import PASSWORD
from tests.security.world import DEVICE_TOKEN, EMAILS, INVITATION_A, World

# Outcome classes.
OK = "allowed"  # 2xx, or a redirect that stays on the site and is not the sign-in page
LOGIN = "302 to sign-in"
FORBIDDEN = "403"
HIDDEN = "404"
NO_CREDENTIALS = "401"

ANONYMOUS = "anonymous"
MANAGE_LINK = "manage-link holder"  # holds registrant X's manage link (and calendar address)
INVITATION_LINK = "invitation-link holder"  # opened member A's invitation link, not signed in
FOCAL_POINT_A = "focal point of A"
SCANNER = "scanner"
HOST = "host"
ADMIN = "admin"
DEVICE = "device token"  # a scanning device of the meeting: Authorization: Bearer, no cookie
ROLES = (ANONYMOUS, MANAGE_LINK, INVITATION_LINK, FOCAL_POINT_A, SCANNER, HOST, ADMIN, DEVICE)
ACCOUNTS = {FOCAL_POINT_A: "focal_point_a", SCANNER: "scanner", HOST: "host", ADMIN: "admin"}

Spec = dict[str, str]
Params = Callable[[World], object]


def public() -> Spec:
    return dict.fromkeys(ROLES, OK)


def signed_in(*allowed: str) -> Spec:
    """Pages behind an account: sign in first, then 403 for the wrong role."""
    return {role: OK if role in allowed else (FORBIDDEN if role in ACCOUNTS else LOGIN) for role in ROLES}


def shown_to(*allowed: str) -> Spec:
    """Things that are not there for whoever may not see them."""
    return {role: OK if role in allowed else HIDDEN for role in ROLES}


def api(*allowed: str) -> Spec:
    """The JSON API: 401 without credentials, 403 for an account without the scanner role."""
    spec = {role: NO_CREDENTIALS for role in ROLES}
    spec.update({role: FORBIDDEN for role in ACCOUNTS})
    spec.update(dict.fromkeys(allowed, OK))
    return spec


@dataclass(frozen=True)
class Rule:
    """What each role gets from one endpoint, for one choice of URL parameters."""

    access: Spec
    label: str = ""
    #: URL parameters that differ from the defaults (see `default_params`).
    params: dict[str, Params] = field(default_factory=dict)
    #: Which private token the URL carries: "manage", "calendar" or "invitation".
    token: str | None = None
    form: Callable[[World], dict[str, Any]] | None = None
    json: Callable[[World], dict[str, Any]] | None = None
    #: An allowed POST changes the database (so a refused one that changes nothing was refused).
    changes: bool = True


def rule(
    access: Spec,
    label: str = "",
    *,
    token: str | None = None,
    form: Any = None,
    json: Any = None,
    changes: bool = True,
    **params: Params,
) -> Rule:
    return Rule(access, label, params, token, form, json, changes)


def default_params(world: World, role: str, token_kind: str | None) -> dict[str, object]:
    return {
        "slug": world.slug,
        "session_id": world.session_open,
        "room_id": world.room,
        "registration_id": world.registrant_x,
        "delegation_id": world.delegation_a,
        "batch_id": world.batch,
        "message_id": world.message,
        "index": 0,
        "code": world.member_a_code,
        "filename": "css/app.css",
        "token": token_for(world, role, token_kind),
    }


def token_for(world: World, role: str, kind: str | None) -> str:
    """The holder's own token; X's manage link where another kind is wanted; a forgery otherwise."""
    if role == MANAGE_LINK:
        return world.calendar_token_x if kind == "calendar" else world.manage_token_x
    if role == INVITATION_LINK and kind == "invitation":
        return INVITATION_A
    if kind == "calendar":
        return world.forged_calendar_token
    if kind == "invitation":
        return "not-an-invitation-token"
    return world.forged_manage_token


@dataclass
class Case:
    endpoint: str
    method: str
    url_rule: UrlRule
    rule: Rule
    values: dict[str, str]  # values chosen for any() converters

    def describe(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.values.items())
        label = " ".join(x for x in (self.rule.label, extra) if x)
        return f"{self.method} {self.endpoint}" + (f" [{label}]" if label else "")


def cases(app: Flask, rules: dict[str, list[Rule]]) -> Iterator[Case]:
    """Every method of every route, once per rule and per value of its any() converters."""
    for url_rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        methods = sorted((url_rule.methods or set()) - {"HEAD", "OPTIONS"})
        for method, entry in itertools.product(methods, rules.get(url_rule.endpoint, [])):
            choices = {
                name: sorted(converter.items)  # type: ignore[attr-defined]
                for name, converter in url_rule._converters.items()
                if isinstance(converter, AnyConverter) and name not in entry.params
            }
            for combo in itertools.product(*choices.values()):
                yield Case(url_rule.endpoint, method, url_rule, entry, dict(zip(choices, combo, strict=True)))


def build_url(case: Case, world: World, role: str) -> str:
    values = default_params(world, role, case.rule.token)
    values.update({name: make(world) for name, make in case.rule.params.items()})
    values.update(case.values)
    wanted = {name: values[name] for name in case.url_rule.arguments}
    _, path = case.url_rule.build(wanted, append_unknown=False)  # type: ignore[misc]
    return path


def outcome(response: TestResponse) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return OK
    if code in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers.get("Location", ""))
        if target.netloc not in ("", "localhost"):
            return f"redirect off the site to {target.netloc}"
        return LOGIN if target.path == "/login" else OK
    return {401: NO_CREDENTIALS, 403: FORBIDDEN, 404: HIDDEN}.get(code, f"HTTP {code}")


Rows = list[list[tuple[Any, ...]]]
WRITES = ("INSERT", "UPDATE", "DELETE")


def snapshot() -> Rows:
    """Every row of every table, in key order."""
    db.session.expire_all()
    rows = []
    for table in Base.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows.append([tuple(r) for r in db.session.execute(query)])
    db.session.rollback()
    return rows


def restore(rows: Rows) -> None:
    """Put the database back to a snapshot, ids included, so URLs and cookies stay valid."""
    from tests.conftest import _empty_all_tables

    db.session.remove()
    _empty_all_tables()
    with db.engine.begin() as conn:
        for table, table_rows in zip(Base.metadata.sorted_tables, rows, strict=True):
            if table_rows:
                conn.execute(table.insert(), [dict(zip(table.columns.keys(), r, strict=True)) for r in table_rows])
        if conn.dialect.name == "postgresql":  # explicit ids do not move the sequences
            for table in Base.metadata.sorted_tables:
                if "id" in table.columns and table.columns["id"].autoincrement in (True, "auto"):
                    top = conn.scalar(sa.select(sa.func.max(table.columns["id"])))
                    sequence = sa.func.pg_get_serial_sequence(f'"{table.name}"', "id")
                    conn.execute(sa.select(sa.func.setval(sequence, top or 1, top is not None)))


class WriteWatch:
    """Whether any INSERT, UPDATE or DELETE reached the database since the last `reset`."""

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(WRITES) or " RETURNING " in statement.upper():
            self.seen = True

    def __enter__(self) -> WriteWatch:
        sa.event.listen(db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self)


CSRF_ATTRIBUTE = re.compile(r'data-csrf="([^"]+)"')


@dataclass
class Credentials:
    cookie: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def sign_in_everyone(app: Flask, world: World) -> dict[str, Credentials]:
    """Each role's cookie (and API headers), taken once; every request then uses a fresh client."""
    found: dict[str, Credentials] = {role: Credentials() for role in ROLES}
    found[DEVICE].headers["Authorization"] = f"Bearer {DEVICE_TOKEN}"
    for role, account in ACCOUNTS.items():
        client = app.test_client()
        with app.app_context():
            answer = client.post("/login", data={"email": EMAILS[account], "password": PASSWORD})
        assert answer.status_code == 302, f"{role} could not sign in"
        with app.app_context():
            page = client.get(f"/meetings/{world.slug}/scanner")
        if page.status_code == 200:  # the scanner page hands out the token its API calls send
            token = CSRF_ATTRIBUTE.search(page.get_data(as_text=True))
            found[role].headers["X-CSRFToken"] = token.group(1) if token else ""
        found[role].cookie = _session_cookie(client)
    holder = app.test_client()
    with app.app_context():
        assert holder.get(f"/invitation/{INVITATION_A}").status_code == 302
    found[INVITATION_LINK].cookie = _session_cookie(holder)
    return found


def _session_cookie(client: FlaskClient) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def send(app: Flask, case: Case, world: World, role: str, credentials: Credentials) -> TestResponse:
    client = app.test_client()
    if credentials.cookie:
        client.set_cookie("session", credentials.cookie)
    url = build_url(case, world, role)
    options: dict[str, Any] = {"method": case.method, "headers": credentials.headers}
    if case.rule.json is not None:
        options["json"] = case.rule.json(world)
    elif case.method != "GET":
        options["data"] = case.rule.form(world) if case.rule.form else {}
    # A fresh app context per request, as in production: otherwise `g` (and Flask-Login's cached
    # user in it) and the database session would carry over from the previous request.
    with app.app_context():
        return client.open(url, **options)
