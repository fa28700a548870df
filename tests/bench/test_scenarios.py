"""How bench/ reads Locust's CSV statistics and judges a scenario against its target."""

from __future__ import annotations

import pytest

from bench.scenarios import SCENARIOS, read_outcome, table

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def stats(tmp_path, *rows: str):
    path = tmp_path / "run_stats.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def row(name: str, count: int, failures: int, rate: float, p50: str, p95: str, p99: str) -> str:
    kind = "" if name == "Aggregated" else "POST"
    return f"{kind},{name},{count},{failures},{p50},1,1,1,1,{rate},0,{p50},1,1,1,1,{p95},1,{p99},1,1,1"


def scenario(key: str):
    return next(s for s in SCENARIOS if s.key == key)


def test_door_rush_at_rate_and_fast_passes(tmp_path):
    outcome = read_outcome(scenario("door"), stats(tmp_path, row("Aggregated", 9000, 0, 199.5, "8", "20", "41")))
    assert (outcome.rate, outcome.p50, outcome.tail, outcome.errors) == (199.5, 8, 41, 0)
    assert outcome.passed


@pytest.mark.parametrize(
    ("rate", "failures", "p99", "why"),
    [(150.0, 0, "41", "rate short"), (200.0, 1, "41", "an error"), (200.0, 0, "60", "p99 over 50 ms")],
)
def test_door_rush_fails(tmp_path, rate, failures, p99, why):
    outcome = read_outcome(scenario("door"), stats(tmp_path, row("Aggregated", 9000, failures, rate, "8", "20", p99)))
    assert not outcome.passed, why


def test_registration_is_judged_on_its_posts_and_counts_every_error(tmp_path):
    path = stats(
        tmp_path,
        row("apply: open form", 2700, 2, 60.0, "30", "90", "900"),
        row("apply: send", 2700, 0, 60.0, "40", "120", "250"),
        row("Aggregated", 5400, 2, 120.0, "35", "110", "800"),
    )
    outcome = read_outcome(scenario("registration"), path)
    assert (outcome.rate, outcome.tail, outcome.errors) == (60.0, 250, 2)
    assert not outcome.passed


def test_host_pages_are_judged_on_p95_and_the_table_says_so(tmp_path):
    outcome = read_outcome(scenario("host"), stats(tmp_path, row("Aggregated", 450, 0, 10.0, "120", "280", "900")))
    assert outcome.tail == 280 and outcome.passed
    printed = table([outcome])
    assert "280 (p95)" in printed and printed.splitlines()[-1].endswith("pass")


def test_a_run_without_requests_fails(tmp_path):
    path = stats(tmp_path, row("Aggregated", 0, 0, 0.0, "N/A", "N/A", "N/A"))
    outcome = read_outcome(scenario("calendar"), path)
    assert outcome.tail is None and not outcome.passed
    assert table([outcome]).splitlines()[-1].endswith("FAIL")
