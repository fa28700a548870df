"""List pages of the seed-scale meeting (10,000 participants, 500 sessions), against /hello.

Anonymous pages and the device API only (no sign-in needed): the public agenda with 500
sessions, the members list, the scanner bundle (roster of every approved person) and a
participant search. On PostgreSQL when it is there (as deployed), else SQLite. Few requests
per row: these pages take a second or more each, the figures are for spotting regressions.
"""

from __future__ import annotations

from bench.harness import Row, against_hello, database, flask, pg_available, serve

SLUG = "scale-test"


def run() -> list[Row]:
    kind = "postgresql" if pg_available() else "sqlite"
    label = "PostgreSQL" if kind == "postgresql" else "SQLite"
    with database(kind) as url:
        print("  " + flask("seed-scale", "--slug", SLUG, database_url=url).strip(), flush=True)
        bearer = flask("tokens", "create", "--meeting", SLUG, "--name", "bench", database_url=url).strip()
        api = {"Authorization": f"Bearer {bearer}"}
        pages = [
            ("agenda, 500 sessions", f"/meetings/{SLUG}/agenda", {}, 40),
            ("members, 100", "/members/", {}, 200),
            ("scanner bundle, 8.6k people", f"/api/v1/meetings/{SLUG}/scanner-bundle", api, 16),
            ("participant search", f"/api/v1/meetings/{SLUG}/participants?q=an", api, 100),
        ]
        rows = []
        with serve(url, workers=2, extra_env={"RATELIMIT_API": "1000000 per minute"}) as server:
            for name, path, headers, requests in pages:
                rows.append(
                    against_hello(
                        server,
                        f"scale {name} ({label})",
                        lambda i, path=path, headers=headers: ("GET", path, headers, None),
                        requests=requests,
                        concurrency=4,
                        warmup=2,
                        rounds=1,
                    )
                )
        return rows
