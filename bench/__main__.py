"""`make bench`: serve the app as in production, drive the load scenarios with wrk, print one table.

`python -m bench door calendar` runs only those scenarios (door, registration, calendar, host);
`--duration 15 --warmup 3` (or `--short`) shortens each run; `make bench BENCH_ARGS="door --short"`
passes the same through make. Each run's wrk output and the server's logs stay in the folder
printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import clients, stack
from bench.scenarios import SCENARIOS, Outcome, Scenario, read_outcome, table

SCALE_SLUG = "scale-test"
#: The meeting feed polled: the demo's meeting with a published agenda of ordinary size. The scale
#: meeting's 500-session feed is a stress case for the feed's build, not for polling.
FEED_SLUG = "2023-washington"
HOST_EMAIL = "bench-host@example.org"
#: Personal feeds the pollers keep a validator for.
POLLED_PEOPLE = 500
SCRIPTS = Path(__file__).with_name("wrk")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help="run only these: " + ", ".join(s.key for s in SCENARIOS))
    parser.add_argument("--duration", type=int, default=40, help="measured seconds per scenario (40)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds at full load before measuring (5)")
    parser.add_argument("--short", action="store_true", help="15 s runs after a 3 s warm-up")
    args = parser.parse_args(argv)
    if args.short:
        args.duration, args.warmup = 15, 3
    unknown = [w for w in args.scenarios if not any(s.key.startswith(w) for s in SCENARIOS)]
    if unknown:
        parser.error(f"no scenario {', '.join(unknown)}; choose from {', '.join(s.key for s in SCENARIOS)}")
    return args


def prepare(database_url: str, folder: Path) -> dict[str, object]:
    """Schema, demo and scale data with the project's commands, then the tokens the scripts need."""
    say("schema and seed data (flask db upgrade, seed-demo, seed-scale) ...")
    stack.flask(database_url, "db", "upgrade")
    stack.flask(database_url, "seed-demo")
    say("  " + stack.flask(database_url, "seed-scale", "--slug", SCALE_SLUG).strip())
    password = secrets.token_urlsafe(16)
    stack.flask(database_url, "users", "create", HOST_EMAIL, "--role", "host", stdin=password + "\n")
    bearer = stack.flask(database_url, "tokens", "create", "--meeting", SCALE_SLUG, "--name", "bench door").strip()
    path = folder / "fixtures.json"
    subprocess.run(
        [sys.executable, "-m", "bench.fixtures", SCALE_SLUG, str(path), HOST_EMAIL],
        cwd=stack.ROOT,
        env=stack.app_env(database_url),
        check=True,
    )
    fixtures = json.loads(path.read_text(encoding="utf-8"))
    (folder / "badges.txt").write_text("\n".join(fixtures["badge_tokens"]) + "\n", encoding="utf-8")
    say(f"  {len(fixtures['badge_tokens']):,} badge tokens, {len(fixtures['calendar_tokens']):,} calendar links")
    return fixtures | {"bearer": bearer, "host_password": password}


def script_arguments(scenario: Scenario, base: str, fixtures: dict, folder: Path) -> list[str]:
    """What the scenario's wrk script reads, made now that the app is served."""
    rate = f"{scenario.request_rate:g}"
    if scenario.key == "door":
        return [str(folder / "badges.txt"), fixtures["bearer"], SCALE_SLUG, rate]
    if scenario.key == "registration":
        return [fixtures["apply_slug"], rate]
    if scenario.key == "calendar":
        paths = [f"/meetings/{FEED_SLUG}/agenda.ics"]
        paths += [f"/calendar/{token}.ics" for token in fixtures["calendar_tokens"][:POLLED_PEOPLE]]
        feeds = folder / "feeds.txt"
        feeds.write_text("".join(f"{p} {e}\n" for p, e in clients.feed_validators(base, paths)), encoding="utf-8")
        return [str(feeds), rate]
    cookie = clients.sign_in(base, HOST_EMAIL, fixtures["host_password"], fixtures["host_totp_secret"])
    return [SCALE_SLUG, cookie, rate]


def wrk(scenario: Scenario, base: str, seconds: int, arguments: list[str]) -> str:
    command = ["wrk", "-t1", f"-c{scenario.connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(SCRIPTS / scenario.script), base, "--", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def run_scenario(scenario: Scenario, base: str, fixtures: dict, folder: Path, args: argparse.Namespace) -> Outcome:
    """A warm-up run, then the measured run, at the scenario's rate."""
    rate = f"{scenario.request_rate:g} requests/s"
    say(f"{scenario.title}: {rate}, {args.warmup} s warm-up, {args.duration} s measured ...")
    arguments = script_arguments(scenario, base, fixtures, folder)
    wrk(scenario, base, args.warmup, arguments)
    output = wrk(scenario, base, args.duration, arguments)
    (folder / f"{scenario.key}.wrk.txt").write_text(output, encoding="utf-8")
    return read_outcome(scenario, output)


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str]) -> int:
    args = parse(argv or shlex.split(os.environ.get("BENCH_ARGS", "")))
    chosen = [s for s in SCENARIOS if not args.scenarios or any(s.key.startswith(w) for w in args.scenarios)]
    problem = stack.check_services() or (None if shutil.which("wrk") else "wrk is not installed (apt-get install wrk)")
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
    say(f"wrk's output, gunicorn's and the worker's logs: {folder}")
    return 0 if all(o.passed for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
