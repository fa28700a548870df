"""Asking, answering, booking and moving bilaterals through the services."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import refresh
from sqlalchemy import func, select

from eventapp.bilaterals import access, booking, services
from eventapp.bilaterals.errors import BilateralError
from eventapp.extensions import db
from eventapp.models import (
    AuditLog,
    Bilateral,
    BilateralSide,
    BilateralStatus,
    OutboxMessage,
    Session,
    SessionStatus,
)
from tests.agenda.builders import add_session, at
from tests.bilaterals.builders import add_delegate, agreed, ask, local, scene


def _mail_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == address).order_by(OutboxMessage.id)))


def test_a_request_answered_with_the_second_time_is_agreed_and_both_sides_are_emailed(app: Flask) -> None:
    s = scene()
    b = ask(s, ["2030-06-03T10:00", "2030-06-03T15:00", "2030-06-04T09:30"])
    assert b.status == BilateralStatus.REQUESTED and b.awaiting == BilateralSide.COUNTERPART
    [request] = _mail_to(s.fp_senegal.email)
    assert "Romania asks for a bilateral meeting" in request.subject
    assert "3 June 2030, 15:00" in request.body_text

    second = b.current_proposals[1]
    services.accept_proposal(b, second.id, side=BilateralSide.COUNTERPART, actor=s.fp_senegal, message="Gladly.")
    db.session.expire_all()
    b = db.session.get(Bilateral, b.id)
    assert b.status == BilateralStatus.CONFIRMED
    assert b.starts_at == at(s.meeting, "2030-06-03 15:00") and b.ends_at == at(s.meeting, "2030-06-03 15:30")
    assert b.sequence == 0 and b.room_id is None
    [accepted] = _mail_to(s.fp_romania.email)
    assert "Bilateral with Senegal agreed" in accepted.subject and "Gladly." in accepted.body_text
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "Bilateral")).all()
    assert actions == ["bilateral.request", "bilateral.accept"]


def test_other_times_go_back_and_forth_until_one_side_accepts(app: Flask) -> None:
    s = scene()
    b = ask(s, ["2030-06-03T10:00"])
    with pytest.raises(BilateralError, match="not answered"):
        services.decline(b, side=BilateralSide.REQUESTER, actor=s.fp_romania)
    services.propose_times(
        b, [local("2030-06-04T11:00"), None, None], side=BilateralSide.COUNTERPART, actor=s.fp_senegal, message="Day 2?"
    )
    assert b.awaiting == BilateralSide.REQUESTER
    assert [p.starts_at for p in b.current_proposals] == [at(s.meeting, "2030-06-04 11:00")]
    with pytest.raises(BilateralError, match="proposed times"):
        services.accept_proposal(b, b.proposals[0].id, side=BilateralSide.REQUESTER, actor=s.fp_romania)
    services.accept_proposal(b, b.current_proposals[0].id, side=BilateralSide.REQUESTER, actor=s.fp_romania)
    assert b.status == BilateralStatus.CONFIRMED and b.starts_at == at(s.meeting, "2030-06-04 11:00")
    assert "Senegal proposes other times" in _mail_to(s.fp_romania.email)[0].subject


@pytest.mark.parametrize(
    ("times", "field", "message"),
    [
        (["2030-06-05T10:00"], "time_1", "within the meeting's days"),
        (["2030-06-03T10:00", "2030-06-03T10:00"], "time_2", "already proposed"),
        ([], "time_1", "at least one time"),
        (["2030-06-04T23:45"], "time_1", "within the meeting's days"),  # ends the next day
    ],
)
def test_proposed_times_are_checked_next_to_their_field(app: Flask, times: list[str], field: str, message: str) -> None:
    s = scene()
    with pytest.raises(BilateralError, match=message) as caught:
        ask(s, times)
    assert caught.value.field == field
    assert db.session.scalar(select(func.count(Bilateral.id))) == 0


def test_one_pending_request_per_pair_of_delegations(app: Flask) -> None:
    s = scene()
    ask(s, ["2030-06-03T10:00"])
    with pytest.raises(BilateralError, match="already awaiting an answer") as caught:
        ask(s, ["2030-06-03T11:00"], by=s.senegal, to=s.romania)
    assert caught.value.field == "counterpart_id"


def test_a_delegation_is_never_in_two_bilaterals_at_once(app: Flask) -> None:
    s = scene()
    with_chile = ask(s, ["2030-06-03T10:00"], by=s.chile, to=s.senegal, minutes=60)
    services.accept_proposal(with_chile, with_chile.proposals[0].id, side=BilateralSide.COUNTERPART, actor=s.fp_senegal)
    b = ask(s, ["2030-06-03T10:30"])
    with pytest.raises(BilateralError, match="Senegal already meets Chile") as caught:
        services.accept_proposal(b, b.proposals[0].id, side=BilateralSide.COUNTERPART, actor=s.fp_senegal)
    assert caught.value.field == "proposal_id"
    db.session.expire_all()
    assert db.session.get(Bilateral, b.id).status == BilateralStatus.REQUESTED


def test_a_room_is_never_booked_twice_nor_over_a_session_nor_outside_the_bilateral_rooms(app: Flask) -> None:
    s = scene()
    first = agreed(s, "2030-06-03T10:00")
    assert booking.book_room(first, s.room_a.id, actor=s.host)["room_id"] == [None, s.room_a.id]
    assert first.sequence == 1
    second = agreed(s, "2030-06-03T10:15", by=s.chile, to=s.kenya)
    with pytest.raises(BilateralError, match="Bilateral room A is already booked at that time for Romania and Senegal"):
        booking.book_room(second, s.room_a.id, actor=s.host)
    add_session(s.meeting, "Regional consultation", "2030-06-03 10:00", "2030-06-03 11:00", room_id=s.room_b.id)
    with pytest.raises(BilateralError, match="in use at that time for “Regional consultation”"):
        booking.book_room(second, s.room_b.id, actor=s.host)
    with pytest.raises(BilateralError, match="bilateral rooms") as caught:
        booking.book_room(second, s.plenary_hall.id, actor=s.host)
    assert caught.value.field == "room_id"
    db.session.expire_all()
    assert db.session.get(Bilateral, second.id).room_id is None
    # A cancelled session frees the room.
    db.session.execute(Session.__table__.update().values(status=SessionStatus.CANCELLED.value))
    db.session.commit()
    booking.book_room(second, s.room_b.id, actor=s.host)
    [mail] = [m for m in _mail_to(s.fp_kenya.email) if "Room booked" in m.subject]
    assert "Bilateral room B, floor 2" in mail.body_text


def test_moving_raises_the_sequence_and_cancelling_keeps_the_time(app: Flask) -> None:
    s = scene()
    b = agreed(s, "2030-06-03T10:00")
    booking.book_room(b, s.room_a.id, actor=s.host)
    changed = booking.move(b, local("2030-06-04T14:00"), s.room_b.id, actor=s.host)
    assert b.sequence == 2 and set(changed) >= {"starts_at", "ends_at", "room_id", "sequence"}
    assert booking.move(b, local("2030-06-04T14:00"), s.room_b.id, actor=s.host) == {}
    assert b.sequence == 2
    services.cancel(b, actor=s.fp_romania, side=BilateralSide.REQUESTER, message="Minister recalled.")
    assert b.status == BilateralStatus.CANCELLED and b.sequence == 3
    assert b.starts_at == at(s.meeting, "2030-06-04 14:00")
    assert any("cancelled" in m.subject for m in _mail_to(s.fp_senegal.email))
    with pytest.raises(BilateralError, match="Only an agreed bilateral"):
        booking.move(b, local("2030-06-04T15:00"), None, actor=s.host)


def test_warnings_name_a_plenary_at_the_same_time(app: Flask) -> None:
    s = scene()
    b = agreed(s, "2030-06-03T09:30")
    add_session(s.meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00")
    assert booking.warnings(s.meeting, [b]) == {b.id: ["At the same time as the plenary “Opening plenary”."]}


def test_emails_are_written_in_each_focal_points_language(app: Flask) -> None:
    s = scene()
    add_delegate(s.senegal, s.fp_senegal.email, "Awa", "Ndiaye", locale="fr")
    b = ask(s, ["2030-06-03T10:00"])
    [to_senegal] = _mail_to(s.fp_senegal.email)
    assert to_senegal.subject == f"Romania demande une réunion bilatérale : {s.meeting.title}"
    assert "3 juin 2030, 10:00" in to_senegal.body_text
    services.accept_proposal(b, b.proposals[0].id, side=BilateralSide.COUNTERPART, actor=s.fp_senegal)
    [to_romania] = _mail_to(s.fp_romania.email)
    assert "agreed" in to_romania.subject  # Romania's focal point has no other language on record
    # Senegal's focal point used the app in Spanish since: that language is theirs from now on.
    with app.test_request_context(headers={"Cookie": "lang=es"}):
        refresh()  # the interface language is read once per context: read it for this request
        services.cancel(b, actor=s.fp_senegal, side=BilateralSide.COUNTERPART)
    assert _mail_to(s.fp_romania.email)[-1].subject.startswith("Bilateral with Senegal cancelled")
    ask(s, ["2030-06-04T10:00"])
    assert _mail_to(s.fp_senegal.email)[-1].subject.startswith("Romania pide una reunión bilateral")


def test_before_an_agreement_the_requester_withdraws_and_the_delegation_asked_declines(app: Flask) -> None:
    s = scene()
    first = ask(s, ["2030-06-03T10:00"])
    services.cancel(first, actor=s.fp_romania, side=BilateralSide.REQUESTER)
    assert first.status == BilateralStatus.CANCELLED and first.sequence == 0
    assert "withdrew its request" in _mail_to(s.fp_senegal.email)[-1].subject
    second = ask(s, ["2030-06-03T10:00"])
    services.propose_times(second, [local("2030-06-03T11:00")], side=BilateralSide.COUNTERPART, actor=s.fp_senegal)
    services.cancel(second, actor=s.fp_senegal, side=BilateralSide.COUNTERPART, message="Schedule full.")
    assert second.status == BilateralStatus.DECLINED
    assert "declined" in _mail_to(s.fp_romania.email)[-1].subject
    with pytest.raises(BilateralError, match="already closed"):
        services.cancel(second, actor=s.host, side=None)


@pytest.mark.parametrize("delegations_book_rooms", [False, True])
def test_who_books_a_room_hosts_always_the_two_delegations_when_allowed(
    app: Flask, delegations_book_rooms: bool
) -> None:
    s = scene(delegations_book_rooms=delegations_book_rooms)
    b = agreed(s, "2030-06-03T10:00")
    assert access.can_book_room(s.host, b)
    assert access.can_book_room(s.fp_romania, b) is delegations_book_rooms
    assert access.can_book_room(s.fp_senegal, b) is delegations_book_rooms
    assert not access.can_book_room(s.fp_chile, b)  # not a party to this bilateral
