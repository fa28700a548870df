"""The desk on the day and the Overview's figures, which move as people arrive and are decided on."""

from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import Delegation
from tests.conftest import count_statements
from tests.security.world import World


def _figure(html: str, name: str) -> int:
    found = re.search(rf'data-figure="{name}">(\d+)<', html)
    assert found, name
    return int(found.group(1))


def _cell(html: str, key: str) -> int:
    found = re.search(rf'data-count="{key}">(\d+)<', html)
    assert found, key
    return int(found.group(1))


def test_the_overview_counts_and_what_needs_doing(host: FlaskClient, world: World) -> None:
    html = host.get(f"/meetings/{world.slug}/manage").get_data(as_text=True)
    # World: delegates Ana and Awa approved (member delegation), X approved and Y submitted (civil society).
    assert _cell(html, "civil_society-approved") == 1
    assert _cell(html, "civil_society-submitted") == 1
    assert _cell(html, "delegate-approved") == 2
    assert _cell(html, "all-approved") == 3
    invited = db.session.scalars(sa.select(Delegation).where(Delegation.meeting_id == world.meeting_id)).all()
    unused = [d for d in invited if d.invited_at and not d.invitation_revoked_at and not d.invitation_used_at]
    assert _figure(html, "delegations") == 2  # delegations A and B have someone registered
    assert f"delegations registered of {len([d for d in invited if d.invited_at])} invited" in html
    assert _figure(html, "badges") == 1  # X's badge
    assert _figure(html, "inside") == 0
    assert "1 application waiting for a decision" in html
    assert f'href="/meetings/{world.slug}/review?status=submitted"' in html
    assert f"{len(unused)} member invitations not used yet" in html and len(unused) >= 2
    assert "1 visa letter requested" in html


def test_the_desk_finds_people_and_checks_them_in_and_the_overview_follows(host: FlaskClient, world: World) -> None:
    desk = f"/meetings/{world.slug}/desk"
    everyone = host.get(desk).get_data(as_text=True)
    assert "Ana Popescu" in everyone and "Xenia Applicant" in everyone
    assert "Yusuf" not in everyone  # not approved: not expected at the door
    by_member = host.get(desk, query_string={"q": "senegal"}).get_data(as_text=True)
    assert "Awa Ndiaye" in by_member and "Ana Popescu" not in by_member
    by_organisation = host.get(desk, query_string={"q": "mediators"}).get_data(as_text=True)
    assert "Xenia Applicant" in by_organisation and "Awa Ndiaye" not in by_organisation

    back = f"{desk}?q=xenia&show=all"
    answer = host.post(f"/meetings/{world.slug}/people/{world.registrant_x}/in", data={"next": back})
    assert answer.status_code == 302 and answer.headers["Location"] == back
    inside = host.get(desk, query_string={"show": "inside"}).get_data(as_text=True)
    assert "Xenia Applicant" in inside and "Ana Popescu" not in inside
    waiting = host.get(desk, query_string={"show": "not_arrived"}).get_data(as_text=True)
    assert "Xenia Applicant" not in waiting and "Ana Popescu" in waiting
    assert _figure(host.get(f"/meetings/{world.slug}/manage").get_data(as_text=True), "inside") == 1

    # Checked out, Xenia is no longer inside but has arrived.
    host.post(f"/meetings/{world.slug}/people/{world.registrant_x}/out", data={"next": desk})
    html = host.get(desk).get_data(as_text=True)
    assert _figure(html, "inside") == 0 and _figure(html, "not-arrived") == 2
    # `next` leading off the site is ignored.
    off = host.post(f"/meetings/{world.slug}/people/{world.registrant_x}/in", data={"next": "//evil.example/"})
    assert off.headers["Location"] == f"/meetings/{world.slug}/people/{world.registrant_x}"


def test_someone_withdrawn_while_inside_leaves_the_desk_and_the_overview_alike(host: FlaskClient, world: World) -> None:
    host.post(f"/meetings/{world.slug}/people/{world.registrant_x}/in")
    host.post(
        f"/meetings/{world.slug}/people/{world.registrant_x}/status", data={"action": "withdraw", "reason": "Ill"}
    )
    desk = host.get(f"/meetings/{world.slug}/desk").get_data(as_text=True)
    overview = host.get(f"/meetings/{world.slug}/manage").get_data(as_text=True)
    assert _figure(desk, "inside") == _figure(overview, "inside") == 0


def test_the_attendance_export(host: FlaskClient, world: World) -> None:
    host.post(f"/meetings/{world.slug}/people/{world.registrant_x}/in")
    answer = host.get(f"/meetings/{world.slug}/desk/attendance.csv")
    assert answer.headers["Content-Disposition"] == f'attachment; filename="attendance-{world.slug}.csv"'
    rows = list(csv.DictReader(io.StringIO(answer.get_data().decode("utf-8-sig"))))
    by_name = {r["Family name"]: r for r in rows}
    assert set(by_name) == {"Popescu", "Ndiaye", "Applicant"}
    assert by_name["Applicant"]["Inside now"] == "yes" and by_name["Applicant"]["First entry (UTC)"]
    assert by_name["Popescu"]["Inside now"] == "" and by_name["Popescu"]["Member"] == "Romania"


def test_the_desk_reads_a_fixed_number_of_statements(host: FlaskClient, world: World) -> None:
    host.get(f"/meetings/{world.slug}/desk")  # warm-up: the session's user and the meeting
    with count_statements() as few:
        host.get(f"/meetings/{world.slug}/desk")
    for i in range(20):
        host.post(
            f"/meetings/{world.slug}/people/new",
            data={
                "category": "media",
                "locale": "en",
                "approve": "y",
                "given_name": f"Reporter{i}",
                "family_name": "Press",
                "email": f"press{i}@example.org",
                "organisation": "Daily",
                "consent_data_processing": "y",
            },
        )
    host.get(f"/meetings/{world.slug}/desk")  # the same warm-up after the writes
    with count_statements() as many:
        assert "Reporter19" in host.get(f"/meetings/{world.slug}/desk").get_data(as_text=True)
    assert len(many) == len(few), "\n".join(many)


def test_the_desk_lists_names_in_alphabetical_order_accents_included(host: FlaskClient, world: World) -> None:
    for i, family in enumerate(("Fall", "Émond", "Ebert")):
        host.post(
            f"/meetings/{world.slug}/people/new",
            data={
                "category": "media",
                "locale": "en",
                "approve": "y",
                "given_name": "Chris",
                "family_name": family,
                "email": f"chris{i}@example.org",
                "organisation": "Weekly Courier",
                "consent_data_processing": "y",
            },
        )
    html = host.get(f"/meetings/{world.slug}/desk", query_string={"q": "weekly courier"}).get_data(as_text=True)
    assert re.findall(r"Chris (\w+)</a>", html) == ["Ebert", "Émond", "Fall"]
