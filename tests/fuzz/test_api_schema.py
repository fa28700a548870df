"""Schemathesis over every operation of /api/v1/openapi.json, in process, with and without a device token.

Four runs per operation: the meeting's device making valid calls aimed at the seeded meeting (its
slug, real participant ids, badge tokens and checkpoints, so answers come from real rows); the
same device sending wild input (negative cases, any slug, values that broke layers below the
schema); a device of another meeting; and no token at all.
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
RUNS = ["device on the meeting", "device, wild input", "other meeting's device", "no token"]
#: Examples per operation and run: most where calls reach the data; callers refused at the door
#: need fewer. A badge PDF takes about half a second to draw, so that operation gets fewer.
EXAMPLES = {"device on the meeting": 80, "device, wild input": 100, "other meeting's device": 30, "no token": 30}
PDF_EXAMPLES = {"device on the meeting": 20, "device, wild input": 40, "other meeting's device": 10, "no token": 10}
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


def _cases(operation: Any, world: FuzzWorld, run: str) -> st.SearchStrategy[Any]:
    real = {"slug": world.meeting.slug}
    if "{id}" in operation.path:
        real["id"] = world.registration_ids[0]
    if run == "device on the meeting":
        return operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real)
    return st.one_of(
        [operation.as_strategy(mode, path_parameters=slug) for mode in GenerationMode for slug in (real, None)]
    )


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


def _add_nasty_value(case: Any, data: st.DataObject, *, in_path: bool) -> None:
    """In one case out of three, put one value from NASTY in the body, the query or (if asked) the path."""
    places = []
    if isinstance(case.body, dict):
        places += [("body", key) for key in [*case.body, "scanned_at"]]
    places += [("query", key) for key in (case.query or {})]
    if in_path:
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
    """Swap generated values for real ones, so scans reach badges and the PDF reaches participants."""
    if isinstance(case.body, dict):
        case.body["token"] = data.draw(st.sampled_from(world.badge_tokens))
        case.body["checkpoint"] = data.draw(st.sampled_from(world.checkpoints))
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = data.draw(st.sampled_from(world.registration_ids))


@pytest.mark.parametrize("run_name", RUNS)
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_operation_conforms_to_its_schema(api_schema, world: FuzzWorld, operation_id: str, run_name: str) -> None:
    operation = api_schema.find_operation_by_id(operation_id)
    bearer = {"other meeting's device": world.other_bearer, "no token": None}.get(run_name, world.bearer)
    examples = (PDF_EXAMPLES if operation_id == "getBadgePdf" else EXAMPLES)[run_name]
    aimed = run_name == "device on the meeting"
    cases = _cases(operation, world, run_name)
    statuses: Counter[int] = Counter()

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
        if aimed:
            _aim_at_real_data(case, world, data)
        # On the meeting, a hostile value meets an otherwise valid call: it reaches the services.
        _add_nasty_value(case, data, in_path=not aimed)
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        RUN[(operation_id, run_name)] += 1
        statuses[case.call_and_validate(headers=headers, checks=CHECKS).status_code] += 1

    run()
    count = RUN[(operation_id, run_name)]
    print(f"\n{operation_id}, {run_name}: {count} examples, statuses {sorted(statuses.items())}")
    assert count >= examples
    if aimed:  # the aimed run did reach the data (the rest: hostile values, or people with no badge)
        assert statuses[200] >= examples // 4, statuses
