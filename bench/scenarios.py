"""The four load scenarios, at ten times the real load, and how a wrk run is judged against them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

#: A run that falls short of this share of its target rate fails: a server that cannot keep up
#: shows a lower rate, since wrk never opens more than the scenario's connections.
RATE_TOLERANCE = 0.95
#: The calendar scenario sends If-None-Match on half its polls; a share of 304s outside these
#: bounds means validators changed under the pollers.
NOT_MODIFIED_SHARE = (0.4, 0.6)


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    #: The wrk script in bench/wrk/.
    script: str
    #: Target rate of the judged answers (`counted`), per second.
    rate: float
    percentile: int
    limit_ms: float
    #: Requests sent per judged answer (registration opens the form, then sends it).
    requests_per_answer: int = 1
    #: Connections wrk may hold open at once: a few times rate x latency target.
    connections: int = 40
    counted: str = "requests"

    @property
    def request_rate(self) -> float:
        return self.rate * self.requests_per_answer

    @property
    def target(self) -> str:
        return f"{self.rate:g} {self.counted}/s, p{self.percentile} <= {self.limit_ms:g} ms, 0 errors"


SCENARIOS = (
    Scenario("door", "door rush: badge scans", "door.lua", rate=200, percentile=99, limit_ms=50, counted="scans"),
    Scenario(
        "registration",
        "registration opens: applications",
        "registration.lua",
        rate=60,
        percentile=99,
        limit_ms=300,
        requests_per_answer=2,
        connections=60,
        counted="applications",
    ),
    Scenario(
        "calendar",
        "calendar polling: .ics feeds",
        "calendar.lua",
        rate=300,
        percentile=99,
        limit_ms=50,
        counted="polls",
    ),
    Scenario(
        "host", "host list pages, 10,000 people", "host.lua", rate=10, percentile=95, limit_ms=300, connections=12
    ),
)


@dataclass
class Outcome:
    scenario: Scenario
    #: Judged answers per second.
    rate: float
    p50: float | None
    #: The judged percentile (p99, or p95 for the host pages) over every request of the run.
    tail: float | None
    errors: int
    requests: int
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        s = self.scenario
        return (
            self.requests > 0
            and self.errors == 0
            and not self.problems
            and self.rate >= s.rate * RATE_TOLERANCE
            and self.tail is not None
            and self.tail <= s.limit_ms
        )


def read_outcome(scenario: Scenario, output: str) -> Outcome:
    """Judge one run from the JSON line the wrk script prints last."""
    lines = [line for line in output.splitlines() if line.startswith("{")]
    if not lines:
        return Outcome(scenario, 0.0, None, None, 0, 0, [f"wrk printed no summary: {output[-300:]!r}"])
    run = json.loads(lines[-1])
    wrk_errors = run["connect_errors"] + run["read_errors"] + run["write_errors"] + run["timeouts"]
    problems = [f"first failures: {'; '.join(run['failure_samples'])}"] if run["failure_samples"] else []
    if "not_modified" in run and run["counted"]:
        share = run["not_modified"] / run["counted"]
        low, high = NOT_MODIFIED_SHARE
        if not low <= share <= high:
            problems.append(f"{share:.0%} of polls answered 304, expected about half")
    measured = run["requests"] > 0
    return Outcome(
        scenario,
        rate=run["counted"] / run["seconds"] if run["seconds"] else 0.0,
        p50=run["p50"] if measured else None,
        tail=run[f"p{scenario.percentile}"] if measured else None,
        errors=run["failures"] + wrk_errors,
        requests=run["requests"],
        problems=problems,
    )


def table(outcomes: list[Outcome]) -> str:
    """One line per scenario: rate reached, p50, the judged percentile, errors, target, verdict."""
    header = ("scenario", "rate", "p50 ms", "p99/p95 ms", "errors", "target", "verdict")
    lines = [header]
    for o in outcomes:
        tail = "-" if o.tail is None else f"{o.tail:.1f} (p{o.scenario.percentile})"
        lines.append(
            (
                o.scenario.title,
                f"{o.rate:.1f} {o.scenario.counted}/s",
                "-" if o.p50 is None else f"{o.p50:.1f}",
                tail,
                str(o.errors),
                o.scenario.target,
                "pass" if o.passed else "FAIL",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    text.insert(1, "-" * len(text[0]))
    for o in outcomes:
        text.extend(f"{o.scenario.key}: {problem}" for problem in o.problems)
    return "\n".join(text)
