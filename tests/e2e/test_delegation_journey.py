"""Journey (a): a host issues invitations; the focal point opens the link, registers four, edits one."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Registration, RegistrationStatus
from tests.conftest import Users
from tests.e2e.harness import journey, sign_in, sign_out
from tests.registration.conftest import open_meeting

DELEGATION = [
    # honorific, given, family, position, email
    ("H.E.", "Ioana", "Ștefănescu", "State Secretary", "ioana@mae.ro"),
    ("Ms", "Elena", "Dumitrescu", "WPS focal point", "elena@mae.ro"),
    ("Mr", "Mihai", "Ionescu", "Adviser", "mihai@mae.ro"),
    ("Dr", "Ana-Maria", "Vasilescu", "Gender adviser", "ana-maria@mae.ro"),
]


def test_focal_point_registers_a_delegation_of_four_and_edits_one(browser, live_server, users: Users) -> None:
    meeting = open_meeting(title="Capital-Level Meeting, Bucharest 2030", city="Bucharest", timezone="Europe/Bucharest")

    with journey(browser, "delegation") as (trip, _context):
        page = trip.page
        sign_in(trip, live_server, users.host.email, "host-sign-in")
        page.goto(f"{live_server}/meetings/{meeting.slug}/invitations")
        trip.look("host-invitations")
        page.get_by_role("button", name="Invite every member not invited yet").click()
        link = page.get_by_role("row", name=re.compile("Romania")).locator("code").inner_text()
        trip.look("invitation-links-shown-once")
        sign_out(trip)

        # The focal point follows the link from the email: no account, no sign-in.
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Delegation of Romania")
        expect(page.locator(".quota")).to_contain_text("0 of 4 places used, 4 left")
        trip.look("delegation-empty")

        for index, (honorific, given, family, position, email) in enumerate(DELEGATION):
            page.get_by_role("link", name="Add a person").click()
            page.get_by_label("Honorific").fill(honorific)
            page.get_by_label("Given name(s)").fill(given)
            page.get_by_label("Family name(s)").fill(family)
            page.get_by_label("Position or title").fill(position)
            page.get_by_label("Ministry or organisation").fill("Ministry of Foreign Affairs")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Nationality").select_option("ROU")
            if index == 0:
                page.get_by_label("Head of delegation").check()
                trip.look("add-head-of-delegation")
            page.get_by_role("button", name="Save").click()
            expect(page.locator(".flash-success")).to_contain_text(f"{given} {family} was added")
            expect(page.locator(".quota")).to_contain_text(f"{index + 1} of 4 places used, {3 - index} left")
        trip.look("delegation-full")
        expect(page.get_by_text("All places are used.")).to_be_visible()
        expect(page.get_by_role("link", name="Add a person")).to_have_count(0)
        head_row = page.get_by_role("row", name=re.compile("Ioana Ștefănescu"))
        expect(head_row).to_contain_text("Head of delegation")

        page.get_by_role("link", name="Edit Mihai Ionescu").click()
        expect(page.get_by_label("Position or title")).to_have_value("Adviser")
        trip.look("edit-person")
        page.get_by_label("Position or title").fill("Deputy Director, Human Rights")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".flash-success")).to_contain_text("The details were saved.")
        expect(page.get_by_role("row", name=re.compile("Mihai Ionescu"))).to_contain_text(
            "Deputy Director, Human Rights"
        )
        expect(page.locator(".quota")).to_contain_text("4 of 4 places used, 0 left")
        trip.look("delegation-after-edit")

    db.session.expire_all()
    people = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [(p.given_name, p.family_name) for p in people] == [(g, f) for _, g, f, _, _ in DELEGATION]
    assert {p.status for p in people} == {RegistrationStatus.APPROVED}
    assert people[2].position == "Deputy Director, Human Rights"
    assert people[0].delegation.head_registration_id == people[0].id
