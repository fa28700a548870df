"""The workspace menu: data, roles, the current page, and entries of pages not built yet."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from eventapp.models import Role
from eventapp.workspace import menu
from tests.security.world import World
from tests.workspace.conftest import sign_in


class _User:
    is_authenticated = True

    def __init__(self, role: Role) -> None:
        self.role = role


def test_an_entry_whose_page_does_not_exist_yet_is_left_out(app: Flask, world: World, monkeypatch) -> None:
    from eventapp.extensions import db
    from eventapp.models import Meeting

    meeting = db.session.get(Meeting, world.meeting_id)
    extra = menu.Section("later", "Later", (menu.Entry("Not built", "nowhere.index"),))
    monkeypatch.setattr(menu, "SECTIONS", (*menu.SECTIONS, extra))
    with app.test_request_context():
        sections = menu.visible_sections(meeting, _User(Role.HOST), "reports.catering")
    keys = [s.key for s in sections]
    assert "later" not in keys
    assert keys[:3] == ["overview", "registrations", "review"]
    reports = next(s for s in sections if s.key == "reports")
    assert reports.current
    assert [link.current for link in reports.entries][0] is True
    assert not any(s.current for s in sections if s.key != "reports")


def test_focal_points_and_scanning_staff_see_no_workspace_menu(app: Flask, world: World) -> None:
    from eventapp.extensions import db
    from eventapp.models import Meeting

    meeting = db.session.get(Meeting, world.meeting_id)
    with app.test_request_context():
        assert menu.visible_sections(meeting, _User(Role.FOCAL_POINT)) == []
        assert menu.visible_sections(meeting, _User(Role.SCANNER)) == []  # the Scanner link is in the top bar
        admin = menu.visible_sections(meeting, _User(Role.ADMIN))
    assert [s.key for s in admin][-1] == "settings"


def test_every_existing_host_page_shows_the_same_menu(client: FlaskClient, world: World) -> None:
    sign_in(client, "host")
    s = world.slug
    pages = [
        f"/meetings/{s}/manage",
        f"/meetings/{s}/registrations",
        f"/meetings/{s}/review",
        f"/meetings/{s}/delegations",
        f"/delegations/{world.delegation_a}",
        f"/meetings/{s}/badges",
        f"/meetings/{s}/attendance",
        f"/meetings/{s}/desk",
        f"/meetings/{s}/agenda/edit",
        f"/meetings/{s}/catering",
        f"/meetings/{s}/visa-letters",
        f"/meetings/{s}/exports",
        f"/meetings/{s}/edit",
        f"/meetings/{s}/capacity",
        f"/meetings/{s}/invitations",
        f"/meetings/{s}/agenda/rooms",
        f"/admin/outbox?meeting={s}",
        f"/meetings/{s}/people/{world.registrant_x}",
    ]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert 'aria-label="Meeting workspace"' in html, url
        for label in ("Overview", "Registrations", "Review", "Delegations", "Badges", "Check-in", "Agenda"):
            assert f">{label}</a>" in html, (url, label)
        assert html.count('class="current"') == 1, url  # exactly one section marked as the current one
