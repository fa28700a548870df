"""Every route, every method, every role: who gets in, who is sent to sign in, who gets 403 or 404.

RULES below is the authorisation table. A route without an entry fails the test, so a new page
cannot ship without someone deciding who may open it. Each case is sent with valid input (CSRF
is off in the test app): an allowed POST must change the database, a refused request must change
nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import PASSWORD
from tests.security.matrix import (
    ADMIN,
    DEVICE,
    FOCAL_POINT_A,
    FORBIDDEN,
    HIDDEN,
    HOST,
    INVITATION_LINK,
    MANAGE_LINK,
    OK,
    ROLES,
    SCANNER,
    Rule,
    WriteWatch,
    api,
    cases,
    outcome,
    public,
    restore,
    rule,
    send,
    shown_to,
    sign_in_everyone,
    signed_in,
    snapshot,
)
from tests.security.rules_accounts import RULES as ACCOUNTS_RULES
from tests.security.rules_names import RULES as NAMES_RULES
from tests.security.rules_speakers import RULES as SPEAKERS_RULES
from tests.security.world import World, build_world, remove_files

STAFF = signed_in(HOST, ADMIN)
ON_SITE = signed_in(SCANNER, HOST, ADMIN)
SECRETARIAT = signed_in(ADMIN)
SCANNING = api(SCANNER, HOST, ADMIN, DEVICE)
#: Another meeting's API: the device token is bound to its own meeting (403).
OTHER_MEETING = {**api(SCANNER, HOST, ADMIN), DEVICE: FORBIDDEN}
HOLDER = shown_to(MANAGE_LINK)
DRAFT = shown_to(HOST, ADMIN)
#: Member A's delegation: its focal point, whoever opened its invitation link, hosts, the secretariat.
DELEGATION_A = {**signed_in(FOCAL_POINT_A, HOST, ADMIN), INVITATION_LINK: OK}
#: Member B's delegation: the focal point of A is refused.
DELEGATION_B = signed_in(HOST, ADMIN)
#: A bilateral of B and D: hosts see it; A's focal point is told there is none.
BILATERAL_HIDDEN = {**signed_in(HOST, ADMIN), FOCAL_POINT_A: HIDDEN}
#: Member B's person through member A's delegation: not found for everyone who may open A.
CROSSED = {**DELEGATION_A, FOCAL_POINT_A: HIDDEN, INVITATION_LINK: HIDDEN, HOST: HIDDEN, ADMIN: HIDDEN}


def _meeting_form(w: World, **extra: str) -> dict[str, str]:
    data = {
        "kind": "capital_level",
        "title": "Meeting in Oslo",
        "slug": "2032-oslo",
        "city": "Oslo",
        "timezone": "Europe/Oslo",
        "starts_on": "2032-06-01",
        "ends_on": "2032-06-02",
        "status": "draft",
        "delegation_quota": "4",
        "anonymise_after_days": "90",
    }
    data.update(extra)
    return data


def _session_form(w: World, title: str = "Side event") -> dict[str, str]:
    return {
        "title": title,
        "type": "side_event",
        "starts_local": w.local(0, 16),
        "ends_local": w.local(0, 17),
        "access": "open",
        "status": "confirmed",
        "is_published": "y",
    }


def _person_form(email: str, family: str = "Edited") -> dict[str, str]:
    return {"given_name": "Maria", "family_name": family, "email": email}


def _application(w: World) -> dict[str, str]:
    return {
        "category": "civil_society",
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": "amina@example.org",
        "organisation": "Femmes pour la paix",
        "country": "SEN",
        "motivation": "Mediation in the Sahel.",
        "consent_data_processing": "y",
    }


def _scan(w: World) -> dict[str, str]:
    return {"token": w.badge_token_x, "checkpoint": "entrance", "direction": "in", "nonce": "matrix-nonce"}


def _draft(w: World) -> str:
    return w.draft_slug


def _b(w: World) -> int:
    return w.delegation_b


def _bilateral_request(w: World) -> dict[str, str]:
    return {"counterpart_id": str(w.delegation_d), "duration_minutes": "30", "time_1": w.local(1, 15)}


def _bilateral_answer(w: World) -> dict[str, str]:
    """Valid for each answer: accept (the second time), propose (another), decline."""
    return {"accept-proposal_id": str(w.bilateral_proposal), "propose-time_1": w.local(1, 17), "decline-message": ""}


RULES: dict[str, list[Rule]] = {
    # Site-wide.
    "web.healthz": [rule(public())],
    "web.favicon": [rule(public())],
    "static": [rule(public())],
    "i18n.choose": [rule(public(), form=lambda w: {"lang": "fr", "next": "/"}, changes=False)],
    "auth.login": [rule(public(), form=lambda w: {"email": "scanner@example.org", "password": PASSWORD})],
    "auth.logout": [rule(signed_in(FOCAL_POINT_A, SCANNER, HOST, ADMIN), changes=False)],
    # Members and meetings.
    "members.index": [rule(public())],
    "members.new": [rule(SECRETARIAT, form=lambda w: {"kind": "state", "name": "Norway", "iso3": "NOR"})],
    "members.edit": [rule(SECRETARIAT, form=lambda w: {"kind": "state", "name": "Romania (ed.)", "iso3": "ROU"})],
    "meetings.home": [rule(public())],
    "meetings.show": [rule(public()), rule(DRAFT, "draft", slug=_draft)],
    "meetings.new": [rule(STAFF, form=_meeting_form)],
    "meetings.edit": [rule(STAFF, form=lambda w: _meeting_form(w, slug=w.slug, status="published"))],
    # Public registration and the registrant's private link.
    "registration.apply": [
        rule(public(), form=_application),
        # A draft meeting is not there for the public; hosts see it, with registration closed.
        rule({**shown_to(), HOST: FORBIDDEN, ADMIN: FORBIDDEN}, "draft", slug=_draft, form=_application),
    ],
    "registration.resend_link": [rule(public(), form=lambda w: {"email": "xenia@example.org"})],
    "registration.manage": [rule(HOLDER, token="manage")],
    "registration.edit_own": [
        rule(HOLDER, token="manage", form=lambda w: {"given_name": "Xenia", "family_name": "Edited"})
    ],
    "registration.withdraw_own": [rule(HOLDER, token="manage", form=lambda w: {"reason": "Cannot travel"})],
    "registration.confirmation": [rule(HOLDER, token="manage")],
    "registration.meeting_calendar": [rule(HOLDER, token="manage")],
    "reports.registrant_visa_letter": [rule(HOLDER, token="manage")],
    "badges.own_badge": [rule(HOLDER, token="manage")],
    "agenda.personal": [rule(HOLDER, token="manage")],
    "agenda.personal_change": [
        rule(HOLDER, token="manage", action=lambda w: "pick", form=lambda w: {"session_id": str(w.session_open)}),
        rule(HOLDER, token="manage", action=lambda w: "drop", form=lambda w: {"session_id": str(w.session_picked)}),
    ],
    "agenda.personal_rotate": [rule(HOLDER, token="manage")],
    "feeds.personal": [rule(HOLDER, token="calendar")],
    # Focal points and their member's delegation.
    "registration.invitation": [rule(shown_to(INVITATION_LINK), token="invitation")],
    "registration.my_delegations": [rule(signed_in(FOCAL_POINT_A))],
    "registration.delegation": [rule(DELEGATION_A, "A"), rule(DELEGATION_B, "B", delegation_id=_b)],
    "registration.add_person": [
        rule(DELEGATION_A, "A", form=lambda w: _person_form("new-a@example.org")),
        rule(DELEGATION_B, "B", delegation_id=_b, form=lambda w: _person_form("new-b@example.org")),
    ],
    "registration.edit_person": [
        rule(
            DELEGATION_A,
            "A",
            registration_id=lambda w: w.delegate_a,
            form=lambda w: _person_form("popescu@example.org"),
        ),
        rule(
            DELEGATION_B,
            "B",
            delegation_id=_b,
            registration_id=lambda w: w.delegate_b,
            form=lambda w: _person_form("ndiaye@example.org"),
        ),
        rule(
            CROSSED,
            "A's delegation, B's person",
            registration_id=lambda w: w.delegate_b,
            form=lambda w: _person_form("ndiaye@example.org"),
        ),
    ],
    "registration.make_head": [
        rule(DELEGATION_A, "A", registration_id=lambda w: w.delegate_a),
        rule(DELEGATION_B, "B", delegation_id=_b, registration_id=lambda w: w.delegate_b),
        rule(CROSSED, "A's delegation, B's person", registration_id=lambda w: w.delegate_b),
    ],
    "registration.remove_person": [
        rule(DELEGATION_A, "A", registration_id=lambda w: w.delegate_a),
        rule(DELEGATION_B, "B", delegation_id=_b, registration_id=lambda w: w.delegate_b),
        rule(CROSSED, "A's delegation, B's person", registration_id=lambda w: w.delegate_b),
    ],
    # Hosts: invitations, review, capacity.
    "registration.invitations": [rule(STAFF)],
    "registration.invite_all": [rule(STAFF)],
    "registration.reinvite_member": [rule(STAFF)],
    "registration.revoke_member": [rule(STAFF)],
    "registration.delegation_quota": [rule(STAFF, form=lambda w: {"quota": "6"})],
    "registration.review": [rule(STAFF, form=lambda w: {"selected": str(w.registrant_y), "action": "approve"})],
    "registration.capacity": [rule(STAFF, form=lambda w: {"capacity": "150"})],
    "registration.photo": [rule(STAFF)],
    # Agenda: public pages, closed sessions, feeds, the editor.
    "agenda.index": [rule(public()), rule(DRAFT, "draft", slug=_draft)],
    "agenda.pdf": [rule(public()), rule(DRAFT, "draft", slug=_draft)],
    "agenda.session": [
        rule(public(), "open"),
        rule(shown_to(FOCAL_POINT_A, HOST, ADMIN), "delegations only", session_id=lambda w: w.session_delegations),
        rule(shown_to(HOST, ADMIN), "by invitation", session_id=lambda w: w.session_invitation),
    ],
    "feeds.meeting": [rule(public()), rule(shown_to(), "draft", slug=_draft)],
    "feeds.session": [
        rule(public(), "open"),
        rule(shown_to(FOCAL_POINT_A, HOST, ADMIN), "delegations only", session_id=lambda w: w.session_delegations),
        rule(shown_to(HOST, ADMIN), "by invitation", session_id=lambda w: w.session_invitation),
    ],
    "agenda.editor_index": [rule(STAFF)],
    "agenda.editor_grid": [rule(STAFF)],
    "agenda.publish": [rule(STAFF, form=lambda w: {"published": "0"})],
    "agenda.session_new": [rule(STAFF, form=_session_form)],
    "agenda.session_edit": [rule(STAFF, form=lambda w: _session_form(w, "Opening plenary (ed.)"))],
    "agenda.session_invitees": [
        rule(STAFF, session_id=lambda w: w.session_invitation, form=lambda w: {"invitees": str(w.registrant_x)})
    ],
    "agenda.session_reschedule": [
        rule(
            STAFF,
            form=lambda w: {
                f"s{w.session_open}-starts_local": w.local(1, 9),
                f"s{w.session_open}-ends_local": w.local(1, 10),
            },
        )
    ],
    "agenda.session_status": [
        rule(STAFF, action=lambda w: "cancel"),
        rule(STAFF, "a cancelled session", action=lambda w: "restore", session_id=lambda w: w.session_cancelled),
    ],
    "agenda.session_delete": [rule(STAFF)],
    "agenda.rooms_index": [rule(STAFF, form=lambda w: {"name": "Room 3"})],
    "agenda.room_edit": [rule(STAFF, form=lambda w: {"name": "Main hall", "capacity": "100"})],
    "agenda.room_delete": [rule(STAFF, room_id=lambda w: w.spare_room)],
    # Badges, on-site pages, outbox and reports.
    "badges.index": [rule(STAFF)],
    "badges.create_batch": [rule(STAFF, form=lambda w: {"layout": "a6", "category": ""})],
    "badges.download_batch": [rule(STAFF)],
    "badges.one_badge": [rule(STAFF)],
    "badges.reissue": [rule(STAFF)],
    "checkin.choose": [rule(ON_SITE)],
    "checkin.scanner": [rule(ON_SITE)],
    "checkin.photo": [rule(ON_SITE)],
    "checkin.dashboard": [rule(STAFF)],
    "checkin.communique_text": [rule(STAFF)],
    "mail.outbox": [rule(STAFF)],
    "mail.message": [rule(STAFF)],
    "mail.attachment": [rule(STAFF)],
    "reports.registrations": [rule(STAFF)],
    "reports.export": [rule(STAFF)],
    "reports.delegations": [rule(STAFF)],
    "reports.catering": [rule(STAFF)],
    "reports.host_visa_letter": [rule(STAFF)],
    # The meeting's workspace: its pages, a person's page and its actions, the desk.
    "workspace.overview": [rule(STAFF)],
    "workspace.visa_letters": [rule(STAFF)],
    "workspace.exports": [rule(STAFF)],
    "workspace.participant": [rule(STAFF)],
    "workspace.participant_status": [
        rule(STAFF, registration_id=lambda w: w.registrant_y, form=lambda w: {"action": "approve"})
    ],
    "workspace.participant_edit": [rule(STAFF, form=lambda w: _person_form("xenia@example.org"))],
    "workspace.participant_note": [rule(STAFF, form=lambda w: {"body": "Arrives late on day one."})],
    "workspace.participant_resend": [rule(STAFF)],
    "workspace.participant_badge": [rule(STAFF)],
    "workspace.participant_move": [rule(STAFF)],
    "workspace.add_person": [
        rule(
            STAFF,
            form=lambda w: {
                "category": "secretariat",
                "given_name": "Walk",
                "family_name": "In",
                "email": "walk-in@example.org",
                "organisation": "Host ministry",
                "locale": "en",
                "approve": "y",
                "consent_data_processing": "y",
            },
        )
    ],
    "workspace.desk": [rule(STAFF)],
    # Messages to participants and their templates.
    "messaging.index": [rule(STAFF)],
    "messaging.compose": [
        rule(
            STAFF,
            form=lambda w: {
                "statuses": ["approved"],
                "default_locale": "en",
                "subject_en": "Doors open",
                "body_en": "At 8.",
                "action": "save_template",
                "template_name": "Doors at eight",
            },
        )
    ],
    "messaging.show": [rule(STAFF, sent_id=lambda w: w.group_message)],
    "messaging.templates": [rule(STAFF)],
    "messaging.delete_template": [rule(STAFF, template_id=lambda w: w.message_template)],
    "workspace.attendance_export": [rule(STAFF)],
    # Bilaterals: the two delegations' focal points and the hosts; anyone else is told there is none.
    "bilaterals.index": [
        rule(signed_in(FOCAL_POINT_A, HOST, ADMIN), "A"),
        rule(signed_in(HOST, ADMIN), "B", delegation_id=_b),
    ],
    "bilaterals.new": [
        rule(signed_in(FOCAL_POINT_A), "A", form=_bilateral_request),
        rule(signed_in(), "B", delegation_id=_b, form=_bilateral_request),
    ],
    "bilaterals.show": [
        rule(signed_in(FOCAL_POINT_A, HOST, ADMIN), "A's", bilateral_id=lambda w: w.bilateral_answer),
        rule(BILATERAL_HIDDEN, "B and D's", bilateral_id=lambda w: w.bilateral_hidden),
    ],
    "bilaterals.respond": [
        rule(signed_in(FOCAL_POINT_A), "awaiting A", bilateral_id=lambda w: w.bilateral_answer, form=_bilateral_answer),
        rule(
            {**signed_in(), FOCAL_POINT_A: HIDDEN},
            "B and D's",
            bilateral_id=lambda w: w.bilateral_hidden,
            form=_bilateral_answer,
        ),
    ],
    "bilaterals.cancel": [
        rule(signed_in(FOCAL_POINT_A, HOST, ADMIN), "agreed", bilateral_id=lambda w: w.bilateral_agreed),
        rule(BILATERAL_HIDDEN, "B and D's", bilateral_id=lambda w: w.bilateral_hidden),
    ],
    "bilaterals.book": [
        rule(
            signed_in(FOCAL_POINT_A, HOST, ADMIN),
            "agreed",
            bilateral_id=lambda w: w.bilateral_agreed,
            form=lambda w: {"room-room_id": str(w.bilateral_room)},
        ),
        rule(
            BILATERAL_HIDDEN,
            "B and D's",
            bilateral_id=lambda w: w.bilateral_hidden,
            form=lambda w: {"room-room_id": str(w.bilateral_room)},
        ),
    ],
    "bilaterals.move": [
        rule(
            STAFF,
            bilateral_id=lambda w: w.bilateral_agreed,
            form=lambda w: {"move-starts_local": w.local(1, 17), "move-duration_minutes": "30", "move-room_id": ""},
        )
    ],
    "bilaterals.grid": [rule(STAFF)],
    "bilaterals.settings": [rule(STAFF, form=lambda w: {"room_ids": str(w.bilateral_room)})],
    # The check-in API.
    "api.openapi": [rule(public())],
    "api.scan_badge": [rule(SCANNING, json=_scan), rule(OTHER_MEETING, "another meeting", slug=_draft, json=_scan)],
    "api.list_participants": [rule(SCANNING), rule(OTHER_MEETING, "another meeting", slug=_draft)],
    "api.get_badge_pdf": [
        rule(SCANNING),
        rule({**OTHER_MEETING, SCANNER: HIDDEN, HOST: HIDDEN, ADMIN: HIDDEN}, "another meeting", slug=_draft),
    ],
    "api.get_scanner_bundle": [rule(SCANNING), rule(OTHER_MEETING, "another meeting", slug=_draft)],
    "api.get_checkin_status": [rule(SCANNING), rule(OTHER_MEETING, "another meeting", slug=_draft)],
    "api.list_checkins": [rule(SCANNING), rule(OTHER_MEETING, "another meeting", slug=_draft)],
}

RULES.update(ACCOUNTS_RULES)
RULES.update(SPEAKERS_RULES)
RULES.update(NAMES_RULES)


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


@pytest.fixture
def world(app: Flask) -> Iterator[World]:
    yield build_world()
    remove_files()


def test_every_route_has_an_authorisation_rule(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(RULES))
    assert not missing, "\n".join(f"route {e} has no authorisation rule" for e in missing)
    assert not sorted(set(RULES) - endpoints), "rules for routes that no longer exist"


def test_every_role_on_every_route(app: Flask, world: World) -> None:
    credentials = sign_in_everyone(app, world)
    baseline = snapshot()
    failures: list[str] = []
    checked = 0
    with WriteWatch() as writes:
        for case in cases(app, RULES):
            for role in ROLES:
                expected = case.rule.access[role]
                writes.seen = False
                response = send(app, case, world, role, credentials[role])
                got = outcome(response)
                checked += 1
                # Only a request that wrote something can have changed the data: compare every row then.
                changed = writes.seen and snapshot() != baseline
                where = f"{case.describe()} as {role}"
                if got != expected:
                    failures.append(f"{where}: expected {expected}, got {got} ({response.status_code})")
                elif expected != OK and changed:
                    failures.append(f"{where}: refused ({got}) but the database changed")
                elif expected == OK and case.method == "POST" and case.rule.changes and not changed:
                    failures.append(f"{where}: allowed but changed nothing (is the test's input valid?)")
                if changed:  # the next case starts from the same world
                    restore(baseline)
    print(f"authorisation matrix: {checked} requests ({len(RULES)} endpoints x {len(ROLES)} roles)")
    assert not failures, f"{len(failures)} of {checked} cells wrong:\n" + "\n".join(failures)
