"""Browser-test helpers: Debian's Chromium driven by Playwright (the `live_server` fixture is in conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import services_required

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_browser() -> None:
    """Skip (or fail under REQUIRE_SERVICES) when Playwright or Debian's Chromium is missing."""
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "playwright is not installed (pip install -r requirements-dev.txt)"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (apt install chromium)"
    if reason:
        if services_required():
            pytest.fail(reason)
        pytest.skip(reason)
