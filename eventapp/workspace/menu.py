"""The workspace menu of a meeting, as data: sections of entries, each naming its page and who sees it.

A workspace page shows the menu with `{% include "workspace/_menu.html" %}` (it reads `meeting`).
To add a page, add one `Entry` to the section it belongs in. An entry whose endpoint is not
registered (a feature still being built) is left out of the menu, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from eventapp.models import Meeting, Role

#: Hosts and the secretariat run meetings; every workspace page is theirs unless an entry says more.
STAFF = frozenset({Role.ADMIN, Role.HOST})
ADMIN_ONLY = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Entry:
    """One page of the workspace."""

    label: Any  # a lazy gettext string
    endpoint: str
    roles: frozenset[Role] = STAFF
    #: Other endpoints (or blueprint prefixes ending in ".") under which this entry is the current one.
    current: tuple[str, ...] = ()
    #: Fixed URL arguments besides the meeting's slug (which is passed when the route takes one).
    args: dict[str, Any] = field(default_factory=dict)
    #: Query arguments that depend on the meeting, e.g. {"meeting": "slug"} gives ?meeting=<slug>.
    meeting_query: str | None = None

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        if endpoint == self.endpoint:
            return True
        return any(endpoint == c or (c.endswith(".") and endpoint.startswith(c)) for c in self.current)


@dataclass(frozen=True)
class Section:
    """A heading of the menu; its link opens its first entry the reader may see."""

    key: str
    label: Any
    entries: tuple[Entry, ...]


SECTIONS: tuple[Section, ...] = (
    Section("overview", _l("Overview"), (Entry(_l("Overview"), "workspace.overview"),)),
    Section(
        "registrations",
        _l("Registrations"),
        (
            Entry(_l("All registrations"), "reports.registrations", current=("workspace.participant",)),
            Entry(_l("Add a person"), "workspace.add_person"),
        ),
    ),
    Section("review", _l("Review"), (Entry(_l("Review"), "registration.review"),)),
    Section(
        "delegations",
        _l("Delegations"),
        (Entry(_l("Delegations"), "reports.delegations", current=("registration.delegation",)),),
    ),
    Section(
        "badges",
        _l("Badges"),
        (
            Entry(_l("Badges"), "badges.index", current=("badges.person",)),
            Entry(_l("Nameplates and seating"), "badges.nameplates"),
        ),
    ),
    Section(
        "checkin",
        _l("Check-in"),
        (
            Entry(_l("At the desk"), "workspace.desk"),
            Entry(_l("Attendance"), "checkin.dashboard"),
            Entry(_l("Scanning devices"), "devices.index"),
        ),
    ),
    Section(
        "agenda",
        _l("Agenda"),
        (
            Entry(
                _l("Edit the agenda"),
                "agenda.editor_index",
                current=("agenda.session_new", "agenda.session_edit", "agenda.editor_grid"),
            ),
            Entry(
                _l("Speakers' lists"),
                "speakers.index",
                current=(
                    "speakers.settings",
                    "speakers.manage",
                    "speakers.console",
                    "speakers.record",
                ),
            ),
        ),
    ),
    Section(
        "bilaterals",
        _l("Bilaterals"),
        (
            Entry(_l("Bilateral meetings"), "bilaterals.grid", current=("bilaterals.show",)),
            Entry(_l("Bilateral rooms and settings"), "bilaterals.settings"),
        ),
    ),
    Section(
        "messages",
        _l("Messages"),
        (
            Entry(_l("Messages"), "messaging.index", current=("messaging.",)),
            Entry(_l("Outbox"), "mail.outbox", current=("mail.message",), meeting_query="meeting"),
        ),
    ),
    Section(
        "reports",
        _l("Reports"),
        (
            Entry(_l("Catering and accessibility"), "reports.catering"),
            Entry(_l("Visa letters"), "workspace.visa_letters"),
            Entry(_l("Exports and communiqué list"), "workspace.exports"),
        ),
    ),
    Section(
        "settings",
        _l("Settings"),
        (
            Entry(_l("The meeting"), "meetings.edit"),
            Entry(_l("Capacity"), "registration.capacity"),
            Entry(_l("Invitations"), "registration.invitations"),
            Entry(_l("Rooms"), "agenda.rooms_index", current=("agenda.room_edit",)),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: Any
    url: str
    current: bool


@dataclass(frozen=True)
class SectionLinks:
    key: str
    label: Any
    url: str
    current: bool
    entries: tuple[Link, ...]


def _url(entry: Entry, meeting: Meeting) -> str:
    args = dict(entry.args)
    rule_args: set[str] = set()
    for rule in current_app.url_map.iter_rules(entry.endpoint):
        rule_args |= set(rule.arguments)
    if "slug" in rule_args:
        args["slug"] = meeting.slug
    if entry.meeting_query:
        args[entry.meeting_query] = meeting.slug
    return url_for(entry.endpoint, **args)


def visible_sections(meeting: Meeting, user: Any, endpoint: str | None = None) -> list[SectionLinks]:
    """The menu this user sees for this meeting, marking the section and entry of `endpoint`."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    registered = current_app.view_functions
    result: list[SectionLinks] = []
    for section in SECTIONS:
        links = tuple(
            Link(entry.label, _url(entry, meeting), entry.is_current(endpoint))
            for entry in section.entries
            if role in entry.roles and entry.endpoint in registered
        )
        if links:
            result.append(
                SectionLinks(section.key, section.label, links[0].url, any(link.current for link in links), links)
            )
    return result


def menu_endpoints(roles: Iterable[Role] | None = None) -> set[str]:
    """Every endpoint the menu names (for the given roles), registered or not."""
    wanted = set(roles) if roles is not None else None
    return {
        entry.endpoint for section in SECTIONS for entry in section.entries if wanted is None or entry.roles & wanted
    }


def workspace_sections(meeting: Meeting) -> list[SectionLinks]:
    """The signed-in reader's menu for this meeting, used by `{% include "workspace/_menu.html" %}`."""
    from flask_login import current_user

    return visible_sections(meeting, current_user, request.endpoint)


def register(app: Any) -> None:
    """Make `workspace_sections(meeting)` available in every template."""
    app.jinja_env.globals["workspace_sections"] = workspace_sections
