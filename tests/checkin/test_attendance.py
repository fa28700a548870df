from __future__ import annotations

import uuid

from eventapp.checkin.attendance import communique_list
from eventapp.checkin.services import scan
from eventapp.extensions import db
from eventapp.models import Direction, MemberKind, RegistrationCategory
from tests.checkin.builders import add_registration, badge_for
from tests.conftest import add_meeting, add_member


def admit(meeting, registration, direction=Direction.IN):
    return scan(
        meeting, token=badge_for(registration), checkpoint="entrance", direction=direction, nonce=uuid.uuid4().hex
    )


def test_communique_list_wording_and_order(app):
    meeting = add_meeting()
    ecowas = add_member(
        "ECOWAS", "the Economic Community of West African States (ECOWAS)", MemberKind.REGIONAL_ORGANISATION
    )
    au = add_member("AU", "the African Union", MemberKind.REGIONAL_ORGANISATION)
    civ = add_member("CIV", "Côte d'Ivoire")
    civ.sort_name = "Cote d'Ivoire"
    drc = add_member("COD", "the Democratic Republic of the Congo")
    drc.sort_name = "Democratic Republic of the Congo"
    arm = add_member("ARM", "Armenia")
    absent = add_member("CAN", "Canada")
    db.session.commit()
    for member in (ecowas, drc, au, civ, arm):
        admit(meeting, add_registration(meeting, "A", member.code, member=member))
    add_registration(meeting, "B", "Absent", member=absent)  # registered, never scanned
    admit(meeting, add_registration(meeting, "C", "Society", category=RegistrationCategory.CIVIL_SOCIETY))
    assert communique_list(meeting) == (
        "Armenia, Côte d'Ivoire, the Democratic Republic of the Congo, "
        "the African Union, the Economic Community of West African States (ECOWAS)"
    )


def test_dashboard_and_plain_text(client, auth, users):
    meeting = add_meeting()
    rou = add_member("ROM", "Romania")
    person = add_registration(meeting, "Ana", "Pop", member=rou)
    admit(meeting, person)
    auth.login("host@example.org")
    page = client.get(f"/meetings/{meeting.slug}/attendance")
    assert page.status_code == 200
    assert "Romania" in page.text and "Member delegation" in page.text
    assert "<script>" not in page.text  # no inline script
    assert client.get(f"/meetings/{meeting.slug}/attendance/communique.txt").text == "Romania\n"
    auth.logout()
    auth.login("scanner@example.org")
    assert client.get(f"/meetings/{meeting.slug}/attendance").status_code == 403


def test_exit_then_status_counts_drop(client, auth, users):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    token = badge_for(person)
    scan(meeting, token=token, checkpoint="entrance", direction=Direction.IN, nonce="a")
    auth.login("scanner@example.org")
    status = client.get(f"/api/v1/meetings/{meeting.slug}/status").json
    assert status["inside"][0]["count"] == 1
    scan(meeting, token=token, checkpoint="entrance", direction=Direction.OUT, nonce="b")
    status = client.get(f"/api/v1/meetings/{meeting.slug}/status").json
    assert status["inside"][0]["count"] == 0
    assert status["scans"] == 2
