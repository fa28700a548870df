"""`make bench`: run every bench/bench_*.py and print one table of ratios against /hello.

Each module has `run() -> list[Row]`. `python -m bench feeds` runs only the modules whose name
contains "feeds".
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from bench.harness import Row, print_table


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    rows: list[Row] = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        name = path.stem
        if wanted and not any(w in name for w in wanted):
            continue
        print(f"running {name} ...", flush=True)
        module = importlib.import_module(f"bench.{name}")
        rows.extend(module.run())
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
