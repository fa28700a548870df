"""One Chromium per test module (each journey opens its own context); uploads in a temporary folder.

Module scope, not session: a live sync Playwright would break other modules that start their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_browser
from tests.e2e.harness import require_axe


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    require_axe()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}
