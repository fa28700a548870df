"""A participant's page: what they gave, the history, staff notes and each action from it."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import AuditLog, Badge, OutboxMessage, Presence, Registration, RegistrationStatus
from tests.security.world import World
from tests.workspace.conftest import sign_in


def _page(world: World, registration_id: int, tail: str = "") -> str:
    return f"/meetings/{world.slug}/people/{registration_id}{tail}"


def _person(registration_id: int) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, registration_id)


def test_the_page_shows_what_the_person_gave_and_their_history(host: FlaskClient, world: World) -> None:
    html = host.get(_page(world, world.registrant_y)).get_data(as_text=True)
    assert "Yusuf Pending" in html
    assert "Peace Institute" in html and "Mediation work" in html
    assert 'data-status="submitted"' in html
    assert "Download the badge" not in html  # not approved: no badge yet


def test_approving_from_the_page_uses_the_review_rules_and_is_in_the_history(host: FlaskClient, world: World) -> None:
    answer = host.post(_page(world, world.registrant_y, "/status"), data={"action": "approve"})
    assert answer.status_code == 302
    assert _person(world.registrant_y).status == RegistrationStatus.APPROVED
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.registration_id == world.registrant_y)), (
        "the person was told by email"
    )
    html = host.get(_page(world, world.registrant_y)).get_data(as_text=True)
    assert "Yusuf Pending is approved." in html
    assert "Submitted → Approved" in html
    assert "host" in html  # who decided


def test_declining_needs_a_reason_shown_next_to_the_field(host: FlaskClient, world: World) -> None:
    answer = host.post(_page(world, world.registrant_y, "/status"), data={"action": "decline", "reason": ""})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'id="reason-error"' in html and "Give the reason for declining" in html
    assert _person(world.registrant_y).status == RegistrationStatus.SUBMITTED


def test_waitlisting_and_withdrawing(host: FlaskClient, world: World) -> None:
    host.post(_page(world, world.registrant_y, "/status"), data={"action": "waitlist", "reason": "Room is small"})
    person = _person(world.registrant_y)
    assert person.status == RegistrationStatus.WAITLISTED and person.waitlisted_at is not None
    host.post(_page(world, world.registrant_y, "/status"), data={"action": "withdraw", "reason": "Cannot travel"})
    assert _person(world.registrant_y).status == RegistrationStatus.WITHDRAWN
    # An approved person cannot be "waitlisted" by hand: nothing changes and the page says so.
    answer = host.post(_page(world, world.registrant_x, "/status"), data={"action": "waitlist"}, follow_redirects=True)
    assert "nothing changed" in answer.get_data(as_text=True)
    assert _person(world.registrant_x).status == RegistrationStatus.APPROVED


def test_staff_notes_are_for_staff_only(client: FlaskClient, world: World) -> None:
    sign_in(client, "host")
    note = "Needs a ground-floor room; call before arrival."
    assert client.post(_page(world, world.registrant_x, "/notes"), data={"body": note}).status_code == 302
    assert note in client.get(_page(world, world.registrant_x)).get_data(as_text=True)
    empty = client.post(_page(world, world.registrant_x, "/notes"), data={"body": "   "})
    assert empty.status_code == 422
    # The person's own page never shows it; a focal point cannot open the host's page.
    client.post("/logout")
    own = client.get(f"/r/{world.manage_token_x}").get_data(as_text=True)
    assert note not in own
    sign_in(client, "focal_point_a")
    assert client.get(_page(world, world.registrant_x)).status_code == 403
    audit = db.session.scalar(sa.select(AuditLog).where(AuditLog.action == "registration.note"))
    assert audit is not None and note not in str(audit.details) and note not in audit.reason


def test_editing_resending_and_a_new_badge(host: FlaskClient, world: World) -> None:
    form = host.get(_page(world, world.registrant_x, "/edit")).get_data(as_text=True)
    assert 'value="xenia@example.org"' in form
    answer = host.post(
        _page(world, world.registrant_x, "/edit"),
        data={"given_name": "Xenia", "family_name": "Corrected", "email": "xenia@example.org"},
    )
    assert answer.status_code == 302
    assert _person(world.registrant_x).family_name == "Corrected"
    bad = host.post(
        _page(world, world.registrant_x, "/edit"), data={"given_name": "123", "family_name": "X", "email": "x"}
    )
    assert bad.status_code == 422 and 'value="123"' in bad.get_data(as_text=True)

    sent = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))
    host.post(_page(world, world.registrant_x, "/resend-link"))
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == sent + 1

    old = db.session.scalar(sa.select(Badge).where(Badge.registration_id == world.registrant_x))
    host.post(_page(world, world.registrant_x, "/badge"))
    db.session.expire_all()
    badges = db.session.scalars(sa.select(Badge).where(Badge.registration_id == world.registrant_x)).all()
    assert len(badges) == 2
    assert db.session.get(Badge, old.id).revoked_at is not None
    assert "Badge reissued" in host.get(_page(world, world.registrant_x)).get_data(as_text=True)


def test_checking_in_and_out_by_hand(host: FlaskClient, world: World) -> None:
    def inside() -> bool:
        db.session.expire_all()
        return bool(db.session.scalar(sa.select(Presence.inside).where(Presence.registration_id == world.registrant_x)))

    host.post(_page(world, world.registrant_x, "/in"))
    assert inside()
    html = host.get(_page(world, world.registrant_x)).get_data(as_text=True)
    assert "Inside the venue" in html and "Entry scanned" in html
    host.post(_page(world, world.registrant_x, "/out"))
    assert not inside()
    # Someone not approved cannot be checked in.
    answer = host.post(_page(world, world.registrant_y, "/in"), follow_redirects=True)
    assert "Only approved participants can be checked in." in answer.get_data(as_text=True)


def test_a_person_of_another_meeting_is_not_found(host: FlaskClient, world: World) -> None:
    assert host.get(f"/meetings/{world.draft_slug}/people/{world.registrant_x}").status_code == 404
    assert host.get(_page(world, 999999)).status_code == 404
