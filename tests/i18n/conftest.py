"""Catalogue coverage for the languages that are not required complete, shown after the run."""

from __future__ import annotations

import pytest

#: locale -> (translated, total), filled by test_catalogues.
COVERAGE: dict[str, tuple[int, int]] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COVERAGE:
        return
    terminalreporter.section("catalogue coverage")
    for locale, (done, total) in sorted(COVERAGE.items()):
        share = 100 * done / total if total else 100.0
        terminalreporter.write_line(f"{locale}: {done}/{total} messages translated ({share:.0f}%)")
