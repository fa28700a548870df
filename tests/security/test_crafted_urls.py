"""Crafted URLs get 404 or 400, never a 500: NUL in a path or query, ids past a 32-bit INTEGER.

Every route of the app is swept, signed in as an admin so the views run as far as they can;
PostgreSQL (the CI pass) is where such values used to fail inside the database.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import AuthActions, Users, add_meeting

TOO_BIG = "2147483648"


ARGUMENT = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _integer_arguments(rule: Rule) -> set[str]:
    return {name for converter, _, name in ARGUMENT.findall(rule.rule) if converter == "int"}


def _fixed_choices(rule: Rule) -> dict[str, str]:
    """Arguments that take one of a few words (`any(...)`): the first word."""
    return {name: options.split(",")[0].strip() for kind, options, name in ARGUMENT.findall(rule.rule) if kind == "any"}


def _text_arguments(rule: Rule) -> set[str]:
    """Arguments that take free text: where a NUL can be put."""
    return set(rule.arguments) - _integer_arguments(rule) - _fixed_choices(rule).keys()


def _url(app: Flask, rule: Rule, crafted: str, slug: str) -> str:
    """The rule's URL with a crafted value in every argument of one kind, ordinary values elsewhere."""
    integers = _integer_arguments(rule)
    values: dict[str, object] = dict(_fixed_choices(rule))
    for name in rule.arguments - values.keys():
        if crafted == "int":
            values[name] = int(TOO_BIG) if name in integers else (slug if name == "slug" else "x")
        else:
            values[name] = 1 if name in integers else "\x00"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _routes(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.arguments and rule.endpoint != "static"]


@pytest.fixture
def signed_in(client: FlaskClient, users: Users, auth: AuthActions) -> FlaskClient:
    add_meeting("2030-geneva")
    auth.login(users.admin.email)
    return client


@pytest.mark.parametrize("crafted", ["int", "nul"])
def test_every_route_refuses_crafted_path_values(app: Flask, signed_in: FlaskClient, crafted: str) -> None:
    failures = []
    checked = 0
    for rule in _routes(app):
        # Only rules with an argument of the kind crafted: any other URL built here is an ordinary,
        # valid one (/accounts/1 is the admin's own account, and its POSTs would deactivate it).
        if not (_integer_arguments(rule) if crafted == "int" else _text_arguments(rule)):
            continue
        url = _url(app, rule, crafted, "2030-geneva")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            status = signed_in.open(url, method=method).status_code
            checked += 1
            # 405: the path matched a neighbour route for other methods, before any view ran.
            if status not in (404, 405):
                failures.append(f"{method} {url}: {status}")
    assert checked > 20
    assert failures == []


def test_nul_in_any_query_is_a_bad_request(app: Flask, signed_in: FlaskClient) -> None:
    answered = {}
    for url in ("/", "/meetings/2030-geneva/agenda?track=%00", "/meetings/2030-geneva/registrations?q=%00"):
        answered[url] = signed_in.get(url if "?" in url else url + "?q=%00").status_code
    for rule in app.url_map.iter_rules():
        if not rule.arguments and "GET" in rule.methods and rule.endpoint != "static":
            answered[rule.rule] = signed_in.get(rule.rule + "?q=a%00b&next=%00").status_code
    assert set(answered.values()) == {400}, answered
