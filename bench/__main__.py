"""`make bench`: serve the app as in production, run the load scenarios with Locust, print one table.

`python -m bench door calendar` runs only those scenarios (door, registration, calendar, host);
`--duration 15 --warmup 3` (or `--short`) shortens each run; `make bench BENCH_ARGS="door --short"`
passes the same through make. Locust's CSV statistics and logs, and the server's, stay in the
folder printed at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import stack
from bench.scenarios import SCENARIOS, Outcome, Scenario, read_outcome, table

SCALE_SLUG = "scale-test"
#: The meeting feed polled: the demo's meeting with a published agenda of ordinary size. The scale
#: meeting's 500-session feed is a stress case for the feed's build, not for polling.
FEED_SLUG = "2023-washington"
HOST_EMAIL = "bench-host@example.org"
#: Seconds Locust takes to start all of a scenario's users.
SPAWN_SECONDS = 2


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help="run only these: " + ", ".join(s.key for s in SCENARIOS))
    parser.add_argument("--duration", type=float, default=40, help="measured seconds per scenario (40)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds at full load before measuring (5)")
    parser.add_argument("--short", action="store_true", help="15 s runs after a 3 s warm-up")
    args = parser.parse_args(argv)
    if args.short:
        args.duration, args.warmup = 15, 3
    unknown = [w for w in args.scenarios if not any(s.key.startswith(w) for s in SCENARIOS)]
    if unknown:
        parser.error(f"no scenario {', '.join(unknown)}; choose from {', '.join(s.key for s in SCENARIOS)}")
    return args


def prepare(database_url: str, folder: Path) -> Path:
    """Schema, demo and scale data with the project's commands, then the tokens Locust needs."""
    say("schema and seed data (flask db upgrade, seed-demo, seed-scale) ...")
    stack.flask(database_url, "db", "upgrade")
    stack.flask(database_url, "seed-demo")
    say("  " + stack.flask(database_url, "seed-scale", "--slug", SCALE_SLUG).strip())
    password = secrets.token_urlsafe(16)
    stack.flask(database_url, "users", "create", HOST_EMAIL, "--role", "host", stdin=password + "\n")
    bearer = stack.flask(database_url, "tokens", "create", "--meeting", SCALE_SLUG, "--name", "bench door").strip()
    path = folder / "fixtures.json"
    subprocess.run(
        [sys.executable, "-m", "bench.fixtures", SCALE_SLUG, str(path)],
        cwd=stack.ROOT,
        env=stack.app_env(database_url),
        check=True,
    )
    fixtures = json.loads(path.read_text(encoding="utf-8"))
    fixtures |= {
        "scale_slug": SCALE_SLUG,
        "feed_slug": FEED_SLUG,
        "bearer": bearer,
        "host_email": HOST_EMAIL,
        "host_password": password,
    }
    path.write_text(json.dumps(fixtures), encoding="utf-8")
    say(f"  {len(fixtures['badge_tokens']):,} badge tokens, {len(fixtures['calendar_tokens']):,} calendar links")
    return path


def run_scenario(scenario: Scenario, base: str, fixtures: Path, folder: Path, args: argparse.Namespace) -> Outcome:
    """One Locust process, headless, at the scenario's rate; judged from its CSV statistics."""
    prefix = folder / scenario.key
    seconds = math.ceil(SPAWN_SECONDS + args.warmup + args.duration)
    say(f"{scenario.title}: {scenario.users} users at {scenario.rate:g}/s for {seconds} s ...")
    command = [
        str(stack.BIN / "locust"),
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--host",
        base,
        "--users",
        str(scenario.users),
        "--spawn-rate",
        str(scenario.users / SPAWN_SECONDS),
        "--run-time",
        f"{seconds}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        scenario.user_class,
    ]
    env = {
        **os.environ,
        "BENCH_FIXTURES": str(fixtures),
        "BENCH_USER_RATE": str(scenario.rate / scenario.users),
        "BENCH_WARMUP": str(args.warmup),
    }
    log = prefix.with_suffix(".log")
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    with log.open("w") as output:
        # Locust exits 1 when a request failed; the CSV says which.
        subprocess.run(command, cwd=stack.ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, check=False)
    after, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic() - started
    outcome = read_outcome(scenario, Path(f"{prefix}_stats.csv"))
    outcome.locust_cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / wall
    outcome.locust_cpu_warning = "CPU usage above" in log.read_text(encoding="utf-8", errors="replace")
    return outcome


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str]) -> int:
    args = parse(argv or shlex.split(os.environ.get("BENCH_ARGS", "")))
    chosen = [s for s in SCENARIOS if not args.scenarios or any(s.key.startswith(w) for w in args.scenarios)]
    problem = stack.check_services()
    if problem:
        print(f"make bench: {problem}", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="eventapp-bench-"))
    with stack.database() as url, stack.redis_database():
        fixtures = prepare(url, folder)
        say(f"gunicorn -w {stack.WORKERS} and the jobs worker on PostgreSQL and Redis ...")
        with stack.serve(url, folder) as base:
            outcomes = [run_scenario(s, base, fixtures, folder, args) for s in chosen]
    say("")
    say(table(outcomes))
    if any(o.locust_cpu_warning for o in outcomes):
        say("! Locust warned that its own CPU use passed 90%: its latencies may include its own delays.")
    say(f"Locust's CSV statistics and logs, gunicorn's and the worker's logs: {folder}")
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
