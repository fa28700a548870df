"""The four load scenarios, at ten times the real load, and how a Locust run is judged against them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

#: A run that falls short of this share of its target rate fails: Locust's users wait for each
#: answer, so a server that cannot keep up shows a lower rate rather than a higher latency.
RATE_TOLERANCE = 0.95


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    user_class: str
    #: Target rate of the counted requests, per second.
    rate: float
    #: Locust users sharing the rate. Each may take users/rate seconds per task before falling
    #: behind: a few times the latency target, so a server that meets it keeps the rate, while one
    #: that cannot keep up queues no more than this many requests.
    users: int
    percentile: int
    limit_ms: float
    #: The request name whose rate and latency are judged; None: all requests of the run.
    counted: str | None = None

    @property
    def target(self) -> str:
        what = f"{self.counted} " if self.counted else ""
        return f"{self.rate:g}/s, {what}p{self.percentile} <= {self.limit_ms:g} ms, 0 errors"


SCENARIOS = (
    Scenario("door", "door rush: badge scans", "DoorRush", rate=200, users=40, percentile=99, limit_ms=50),
    Scenario(
        "registration",
        "registration opens: applications",
        "Applicant",
        rate=60,
        users=60,
        percentile=99,
        limit_ms=300,
        counted="apply: send",
    ),
    Scenario(
        "calendar", "calendar polling: .ics feeds", "CalendarPoller", rate=300, users=60, percentile=99, limit_ms=50
    ),
    Scenario("host", "host list pages, 10,000 people", "Host", rate=10, users=12, percentile=95, limit_ms=300),
)


@dataclass
class Outcome:
    scenario: Scenario
    rate: float
    p50: float | None
    tail: float | None
    errors: int
    requests: int
    #: Share of one core Locust used, and whether it warned that it passed 90%.
    locust_cpu: float = 0.0
    locust_cpu_warning: bool = False

    @property
    def passed(self) -> bool:
        s = self.scenario
        return (
            self.requests > 0
            and self.errors == 0
            and self.rate >= s.rate * RATE_TOLERANCE
            and self.tail is not None
            and self.tail <= s.limit_ms
        )


def _ms(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:  # "N/A": no request of that name
        return None


def read_outcome(scenario: Scenario, stats_csv: Path) -> Outcome:
    """Judge one run from Locust's `<prefix>_stats.csv`."""
    with stats_csv.open(newline="", encoding="utf-8") as stream:
        rows = {row["Name"]: row for row in csv.DictReader(stream)}
    total = rows.get("Aggregated")
    if total is None:
        raise ValueError(f"{stats_csv} has no Aggregated row")
    counted = rows.get(scenario.counted or "Aggregated")
    if counted is None:
        return Outcome(scenario, 0.0, None, None, int(total["Failure Count"]), 0)
    return Outcome(
        scenario,
        rate=float(counted["Requests/s"]),
        p50=_ms(counted["50%"]),
        tail=_ms(counted[f"{scenario.percentile}%"]),
        errors=int(total["Failure Count"]),
        requests=int(counted["Request Count"]),
    )


def table(outcomes: list[Outcome]) -> str:
    """One line per scenario: rate reached, p50, the judged percentile, errors, target, verdict."""
    header = ("scenario", "rate", "p50 ms", "p99/p95 ms", "errors", "locust cpu", "target", "verdict")
    lines = [header]
    for o in outcomes:
        tail = "-" if o.tail is None else f"{o.tail:g} (p{o.scenario.percentile})"
        lines.append(
            (
                o.scenario.title,
                f"{o.rate:.1f}/s",
                "-" if o.p50 is None else f"{o.p50:g}",
                tail,
                str(o.errors),
                f"{o.locust_cpu:.0%}{'!' if o.locust_cpu_warning else ''}",
                o.scenario.target,
                "pass" if o.passed else "FAIL",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    text.insert(1, "-" * len(text[0]))
    return "\n".join(text)
