"""Public pages of the demo: the home page and the members list, against /hello."""

from __future__ import annotations

from bench.harness import Row, against_hello, database, flask, serve


def run() -> list[Row]:
    with database("sqlite") as url:
        flask("seed-demo", database_url=url)
        with serve(url, workers=2) as server:
            return [
                against_hello(server, "home page (SQLite, 2 workers)", lambda i: ("GET", "/", {}, None), requests=600),
                against_hello(
                    server, "members page (SQLite, 2 workers)", lambda i: ("GET", "/members/", {}, None), requests=600
                ),
            ]
