"""Schemathesis over every operation of /api/v1/openapi.json, in process, with and without a device token.

Each operation gets positive and negative cases, half of them aimed at the seeded meeting (its
slug, a real participant id, real badge tokens and checkpoints) so the answers come from real rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eventapp.extensions import db
from tests.conftest import _empty_all_tables, make_app
from tests.fuzz.seed import FuzzWorld, seed_world

OPERATIONS = ["scanBadge", "listParticipants", "getBadgePdf", "getScannerBundle", "getCheckinStatus", "listCheckins"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
CALLERS = ["device", "other-meeting-device", "anonymous"]
#: Examples per operation and caller: most for the device of the meeting, whose calls reach the
#: data; callers refused at the door need fewer. A PDF is slow to draw, so that operation gets fewer.
EXAMPLES = {"device": 120, "other-meeting-device": 40, "anonymous": 40}
PDF_EXAMPLES = {"device": 30, "other-meeting-device": 20, "anonymous": 20}
#: Examples actually run, per (operation, caller), so the figures reported are counted, not assumed.
RUN: Counter[tuple[str, str]] = Counter()


@pytest.fixture(scope="module")
def seeded(_schema: str) -> Iterator[tuple[Any, FuzzWorld]]:
    """One app and one seeded meeting for the whole module: scans pile up across tests, as in life."""
    application = make_app(_schema)
    with application.app_context():
        world = seed_world()
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application), world
        db.session.remove()
        _empty_all_tables()
        db.session.remove()


@pytest.fixture
def api_schema(seeded: tuple[Any, FuzzWorld]) -> Any:
    return seeded[0]


@pytest.fixture
def world(seeded: tuple[Any, FuzzWorld]) -> FuzzWorld:
    return seeded[1]


def test_every_documented_operation_is_fuzzed(api_schema) -> None:
    documented = {api_schema.get_operation_id(result.ok()) for result in api_schema.get_all_operations()}
    assert documented == set(OPERATIONS)


def _cases(operation: Any, world: FuzzWorld) -> st.SearchStrategy[Any]:
    real = {"slug": world.meeting.slug}
    if "{id}" in operation.path:
        real["id"] = world.registration_ids[0]
    strategies = []
    for mode in GenerationMode:
        strategies.append(operation.as_strategy(mode))
        strategies.append(operation.as_strategy(mode, path_parameters=real))
    return st.one_of(strategies)


#: Values that broke or could break a layer under the schema: NUL (PostgreSQL refuses it), lone
#: surrogates (no UTF-8 form), digits int() refuses, ids past 32 and 64 bits, dates past year 1 or 9999.
NASTY = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "²",
    "session-²",
    "session-٣",
    "session-2147483648",
    "session-99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "-1",
    "0",
    "",
    " ",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "%_\\",
    "\u202e\r\n",
    "x" * 5000,
]
#: Path and query values: the client must be able to put them in a URL (no lone surrogates).
NASTY_IN_URL = [v for v in NASTY if v and "\ud800" not in v and "\udfff" not in v]


def _add_nasty_value(case: Any, data: st.DataObject) -> None:
    """Now and then put one value from NASTY in the body, the query or the path."""
    places = []
    if isinstance(case.body, dict):
        places += [("body", key) for key in [*case.body, "scanned_at"]]
    places += [("query", key) for key in (case.query or {})]
    places += [("path", key) for key in (case.path_parameters or {})]
    if not places or data.draw(st.integers(0, 2)) != 0:
        return
    where, key = data.draw(st.sampled_from(places))
    if where == "body":
        case.body[key] = data.draw(st.sampled_from(NASTY))
    elif where == "query":
        case.query[key] = data.draw(st.sampled_from(NASTY_IN_URL))
    else:
        case.path_parameters[key] = data.draw(st.sampled_from(NASTY_IN_URL))


def _aim_at_real_data(case: Any, world: FuzzWorld, data: st.DataObject) -> None:
    """Sometimes swap generated values for real ones, so scans reach badges and participants."""
    if isinstance(case.body, dict) and data.draw(st.booleans()):
        case.body["token"] = data.draw(st.sampled_from(world.badge_tokens))
        case.body["checkpoint"] = data.draw(st.sampled_from(world.checkpoints))
    if "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
        case.path_parameters["id"] = data.draw(st.sampled_from(world.registration_ids))


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_conforms_to_its_schema(api_schema, world: FuzzWorld, operation_id: str, caller: str) -> None:
    operation = api_schema.find_operation_by_id(operation_id)
    bearer = {"device": world.bearer, "other-meeting-device": world.other_bearer}.get(caller)
    examples = (PDF_EXAMPLES if operation_id == "getBadgePdf" else EXAMPLES)[caller]
    cases = _cases(operation, world)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(cases)
        _aim_at_real_data(case, world, data)
        _add_nasty_value(case, data)
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        RUN[(operation_id, caller)] += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
    assert RUN[(operation_id, caller)] >= examples
