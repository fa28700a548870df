"""SQL statements per list page stay the same at 100 and at 10,000 participants (no N+1).

Both meetings come from the seed-scale service (5 sessions and 10 members against 500 sessions
and 100 members). Each page is asked for twice in a fresh app context, as a worker would serve
it, and the second request is counted (the first warms per-process caches).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from eventapp.extensions import db
from tests.conftest import count_statements
from tests.scale.conftest import SLUG, ScaleSite

M = f"/meetings/{SLUG}"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    #: Who asks: None (anonymous), a user's email, "device" (bearer token) or "manage" (private link).
    who: str | None = None
    #: Whether the large meeting's page must be much bigger (it lists everyone or every session).
    lists_all: bool = False


PAGES = [
    Page("home", "/"),
    Page("members", "/members/"),
    Page("meeting page", M, lists_all=True),
    Page("public agenda", f"{M}/agenda", lists_all=True),
    Page("public agenda, filtered", f"{M}/agenda?type=working&type=side_event", lists_all=True),
    # The hosts' lists of people show a page of 100 at any size.
    Page("registrations", f"{M}/registrations", "host@example.org"),
    Page(
        "registrations, filtered",
        f"{M}/registrations?status=approved&category=civil_society&need=dietary&q=a",
        "host@example.org",
    ),
    Page("registrations, by member", f"{M}/registrations?member={{member}}", "host@example.org"),
    Page("review queue", f"{M}/review", "host@example.org"),
    Page("review queue, submitted", f"{M}/review?status=submitted", "host@example.org"),
    Page("invitations", f"{M}/invitations", "host@example.org"),
    Page("delegation overview", f"{M}/delegations", "host@example.org"),
    Page("catering summary", f"{M}/catering", "host@example.org", lists_all=True),
    Page("badges index", f"{M}/badges", "host@example.org"),
    Page("check-in dashboard", f"{M}/attendance", "host@example.org"),
    Page("scanner page", f"{M}/scanner", "host@example.org", lists_all=True),
    Page("communiqué list", f"{M}/attendance/communique.txt", "host@example.org"),
    Page("agenda editor", f"{M}/agenda/edit", "host@example.org", lists_all=True),
    Page("outbox", "/admin/outbox", "host@example.org"),
    Page("outbox, one meeting", f"/admin/outbox?meeting={SLUG}&page=2", "host@example.org"),
    Page("my delegation", "/my-delegation", "fp@example.org"),
    Page("scanner bundle API", f"/api/v1{M}/scanner-bundle", "device", lists_all=True),
    Page("listParticipants API", f"/api/v1{M}/participants", "device"),
    Page("listParticipants API, search", f"/api/v1{M}/participants?q=a", "device"),
    Page("listCheckins API", f"/api/v1{M}/checkins?limit=200", "device"),
    Page("getCheckinStatus API", f"/api/v1{M}/status", "device"),
    Page("personal agenda", "/r/{manage}/agenda", "manage", lists_all=True),
]

#: name -> {"small": statements, "large": statements}, printed at the end of the run.
COUNTS: dict[str, dict[str, int]] = {}


def _fetch(site: ScaleSite, page: Page) -> tuple[int, int]:
    """(statements, body length) of the page's second request."""
    client = site.client(page.who if page.who and "@" in page.who else None)
    headers = {"Authorization": f"Bearer {site.device_token}"} if page.who == "device" else {}
    path = page.path.format(member=site.member_code, manage=site.manage_token)
    for _ in range(2):
        with site.app.app_context(), count_statements() as statements:
            response = client.get(path, headers=headers)
            db.session.remove()
        assert response.status_code == 200, f"{page.name}: {path} answered {response.status_code}"
    return len(statements), len(response.data)


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_statements_do_not_grow_with_participants(page: Page, scale_site: Callable[[str], ScaleSite]) -> None:
    small, small_size = _fetch(scale_site("small"), page)
    large, large_size = _fetch(scale_site("large"), page)
    COUNTS[page.name] = {"small": small, "large": large}
    print(f"\n{page.name:<34} N=100: {small:>3}   N=10,000: {large:>3}")
    if page.lists_all:
        # The large meeting lists a hundred times the people; the page frame (menus) is the same size.
        assert large_size > 4 * small_size, f"{page.name}: the large page does not show the large meeting"
    assert large == small, f"{page.name}: {small} statements at N=100 but {large} at N=10,000"
