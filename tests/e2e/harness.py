"""What every journey does on every page: a full-page screenshot and an axe-core check.

Screenshots go to test-artifacts/e2e/<journey>/NN-<page>.png (git-ignored). axe-core comes from
npm (`make vendor` copies it to static/vendor/axe.min.js) and is added to each page as a script
from the app's own origin, so the Content-Security-Policy (no inline script) stays on while checked.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import PASSWORD, services_required

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = ROOT / "static" / "vendor" / "axe.min.js"
#: Impacts that fail a journey; "moderate" and "minor" ones are printed but let it pass.
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


def require_axe() -> None:
    """Skip (or fail under REQUIRE_SERVICES) when `make vendor` has not copied axe-core."""
    if not AXE.exists():
        reason = f"{AXE.relative_to(ROOT)} is missing: run `make vendor` (needs npm)"
        if services_required():
            pytest.fail(reason)
        pytest.skip(reason)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class Journey:
    """One person's way through the app in one browser context."""

    name: str
    page: Page
    folder: Path
    step: int = 0
    shots: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def look(self, label: str) -> Path:
        """Screenshot the page as it is now and check it with axe-core."""
        self.page.wait_for_load_state("load")
        self.step += 1
        shot = self.folder / f"{self.step:02d}-{slug(label)}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        self.shots.append(shot)
        self.check_accessibility(label)
        return shot

    def check_accessibility(self, label: str) -> None:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            # Loaded from the app's own static/vendor/ ('self' in the CSP): the browser caches it
            # and its compiled code, much faster than evaluating the source on every page.
            self.page.add_script_tag(url="/static/vendor/axe.min.js")
        violations: list[dict[str, Any]] = self.page.evaluate(RUN_AXE)
        for v in violations:
            line = f"[{v['impact']}] {v['id']} on {label} ({self.page.url}): {v['help']}; targets: {v['targets']}"
            (self.problems if v["impact"] in BLOCKING else self.notes).append(line)

    def assert_clean(self) -> None:
        assert not self.errors, "JavaScript or CSP errors:\n" + "\n".join(self.errors)
        assert not self.problems, "axe-core found serious or critical violations:\n" + "\n".join(self.problems)


def _watch(page: Page, journey: Journey) -> None:
    page.on("pageerror", lambda exc: journey.errors.append(f"{page.url}: {exc}"))

    def console(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            journey.errors.append(f"{page.url}: {message.text}")

    page.on("console", console)


@contextmanager
def journey(browser: Browser, name: str, **context_options: Any) -> Iterator[tuple[Journey, BrowserContext]]:
    """A fresh browser context for one journey; on a clean exit, fails on errors or axe violations."""
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context_options.setdefault("locale", "en-GB")  # English pages, whatever the machine's language
    context = browser.new_context(accept_downloads=True, **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    trip = Journey(name, page, folder)
    _watch(page, trip)
    try:
        yield trip, context
        for note in trip.notes:
            print("axe (not blocking):", note)
        trip.assert_clean()
    finally:
        context.close()


def sign_in(trip: Journey, base: str, email: str, label: str = "sign-in") -> None:
    """Sign in through the login form, by its labels."""
    page = trip.page
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    trip.look(label)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def sign_out(trip: Journey) -> None:
    trip.page.get_by_role("button", name="Sign out").click()
    trip.page.wait_for_load_state("load")
