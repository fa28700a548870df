"""The review queue opens on the applications waiting, says when each person applied, links to their page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import RegistrationStatus
from tests.agenda.builders import add_registration
from tests.conftest import AuthActions, Users, add_meeting


def _queue() -> tuple[str, dict[str, int]]:
    meeting = add_meeting(
        "2030-new-york", timezone="America/New_York", starts_on=date(2030, 6, 3), ends_on=date(2030, 6, 4)
    )
    people = {}
    for email, status, applied in (
        ("waiting@example.org", RegistrationStatus.SUBMITTED, datetime(2030, 3, 1, 14, 5, tzinfo=UTC)),
        ("late@example.org", RegistrationStatus.SUBMITTED, datetime(2030, 5, 2, 1, 30, tzinfo=UTC)),
        ("done@example.org", RegistrationStatus.APPROVED, datetime(2030, 2, 1, 9, 0, tzinfo=UTC)),
    ):
        r = add_registration(meeting, email, status=status)
        r.created_at = applied
        people[email] = r.id
    db.session.commit()
    return f"/meetings/{meeting.slug}/review", people


def _rows(html: str) -> list[str]:
    return re.findall(r'name="selected" value="(\d+)"', html)


def test_queue_opens_on_submitted_and_all_stays_all_across_pages(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    url, people = _queue()
    auth.login(users.host.email)
    html = client.get(url).get_data(as_text=True)
    assert _rows(html) == [str(people["waiting@example.org"]), str(people["late@example.org"])]
    assert re.search(r'<option value="submitted" selected>', html)
    everyone = client.get(f"{url}?status=").get_data(as_text=True)
    assert len(_rows(everyone)) == 3


def test_each_row_says_when_the_person_applied_in_the_meeting_zone(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    url, _people = _queue()
    auth.login(users.host.email)
    html = client.get(url).get_data(as_text=True)
    assert '<th scope="col">Applied</th>' in html
    assert "Times are in New York time (EDT)." in html
    assert ">1 March 2030, 09:05</time>" in html  # 14:05 UTC, before the clocks change (EST)
    assert ">1 May 2030, 21:30</time>" in html  # the evening before in New York
    french = client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">1 mars 2030, 09:05</time>" in french


def test_names_link_to_the_persons_page(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    url, people = _queue()
    auth.login(users.host.email)
    html = client.get(url).get_data(as_text=True)
    rid = people["waiting@example.org"]
    slug = url.split("/")[2]
    link = re.search(rf'<a href="/meetings/{slug}/people/{rid}"[^>]*id="name-{rid}">([^<]+)</a>', html)
    assert link is not None and "Waiting Tester" in link.group(1)
    # The tick box is named by the same name, for screen readers and for tests alike.
    assert re.search(rf'id="sel-{rid}"\s+aria-labelledby="name-{rid}"', html)


def test_queue_renders_without_the_persons_page(
    app: Flask, client: FlaskClient, auth: AuthActions, users: Users, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, people = _queue()
    monkeypatch.delitem(app.view_functions, "workspace.participant", raising=False)
    auth.login(users.host.email)
    html = client.get(url).get_data(as_text=True)
    rid = people["waiting@example.org"]
    assert f'<label for="sel-{rid}">' in html and "/people/" not in html


def test_an_empty_queue_says_nobody_is_waiting(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = add_meeting("2030-empty")
    auth.login(users.host.email)
    html = client.get(f"/meetings/{meeting.slug}/review").get_data(as_text=True)
    assert "No application is waiting for a decision." in html
