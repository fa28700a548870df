"""How bench/ reads a wrk script's summary and judges a scenario against its target."""

from __future__ import annotations

import json

import pytest

from bench.scenarios import SCENARIOS, read_outcome, table


def summary(counted: int, seconds: float = 40.0, failures: int = 0, p50=8.0, p95=20.0, p99=41.0, **extra) -> str:
    run = {
        "requests": extra.pop("requests", counted),
        "counted": counted,
        "seconds": seconds,
        "connect_errors": 0,
        "read_errors": 0,
        "write_errors": 0,
        "timeouts": 0,
        "failures": failures,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "max": 90.0,
        "failure_samples": extra.pop("samples", []),
        **extra,
    }
    return "Running 40s test @ http://127.0.0.1:8000\n" + json.dumps(run) + "\n"


def scenario(key: str):
    return next(s for s in SCENARIOS if s.key == key)


def test_door_rush_at_rate_and_fast_passes():
    outcome = read_outcome(scenario("door"), summary(7980))
    assert (outcome.rate, outcome.p50, outcome.tail, outcome.errors) == (199.5, 8.0, 41.0, 0)
    assert outcome.passed


@pytest.mark.parametrize(
    ("counted", "failures", "p99", "why"),
    [(6000, 0, 41.0, "rate short"), (8000, 1, 41.0, "a wrong answer"), (8000, 0, 60.0, "p99 over 50 ms")],
)
def test_door_rush_fails(counted, failures, p99, why):
    outcome = read_outcome(scenario("door"), summary(counted, failures=failures, p99=p99))
    assert not outcome.passed, why


def test_wrk_socket_errors_count_as_errors():
    output = summary(8000).replace('"timeouts": 0', '"timeouts": 3')
    outcome = read_outcome(scenario("door"), output)
    assert outcome.errors == 3 and not outcome.passed


def test_registration_is_judged_on_applications_stored():
    # 2,400 applications in 40 s from 4,800 requests (each opened a form first).
    outcome = read_outcome(scenario("registration"), summary(2400, requests=4800, p99=250.0))
    assert outcome.rate == 60.0 and outcome.passed
    assert scenario("registration").request_rate == 120


def test_calendar_needs_about_half_its_polls_answered_304():
    fine = read_outcome(scenario("calendar"), summary(12000, not_modified=6100))
    assert fine.passed
    stale = read_outcome(scenario("calendar"), summary(12000, not_modified=300))
    assert not stale.passed and "304" in stale.problems[0]


def test_host_pages_are_judged_on_p95_and_the_table_says_so():
    outcome = read_outcome(scenario("host"), summary(400, p95=280.0, p99=900.0))
    assert outcome.tail == 280.0 and outcome.passed
    printed = table([outcome])
    assert "280.0 (p95)" in printed and printed.splitlines()[2].endswith("pass")


def test_a_run_without_a_summary_fails_and_says_why():
    outcome = read_outcome(scenario("calendar"), "PANIC: unprotected error in call to Lua API")
    assert outcome.tail is None and not outcome.passed
    printed = table([outcome])
    assert printed.splitlines()[2].endswith("FAIL") and "PANIC" in printed


def test_failure_samples_are_shown():
    outcome = read_outcome(scenario("door"), summary(8000, failures=2, samples=["500 Something went wrong"]))
    assert "500 Something went wrong" in table([outcome])
