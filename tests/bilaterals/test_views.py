"""The bilateral pages as focal points and hosts use them, and who is kept out."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from eventapp.bilaterals import booking
from eventapp.extensions import db
from eventapp.models import Bilateral, BilateralStatus
from tests.bilaterals.builders import agreed, ask, scene
from tests.conftest import AuthActions, count_statements

NEW_REQUEST = {
    "counterpart_id": "",
    "subject": "Women mediators in the Sahel",
    "duration_minutes": "45",
    "time_1": "2030-06-03T10:00",
    "time_2": "2030-06-03T15:00",
    "time_3": "",
    "message": "Our minister would welcome a meeting.",
}


def test_a_focal_point_asks_from_the_delegation_page_and_bad_times_are_sent_back(
    client: FlaskClient, auth: AuthActions
) -> None:
    s = scene()
    auth.login(s.fp_romania.email)
    page = client.get(f"/delegations/{s.romania.id}").get_data(as_text=True)
    assert f'href="/delegations/{s.romania.id}/bilaterals"' in page
    listing = client.get(f"/delegations/{s.romania.id}/bilaterals").get_data(as_text=True)
    assert f'href="/delegations/{s.romania.id}/bilaterals/new"' in listing

    form = client.get(f"/delegations/{s.romania.id}/bilaterals/new").get_data(as_text=True)
    assert ">Senegal</option>" in form and ">Chile</option>" in form and ">Romania</option>" not in form
    bad = dict(NEW_REQUEST, counterpart_id=str(s.senegal.id), time_2="2030-06-07T15:00")
    answer = client.post(f"/delegations/{s.romania.id}/bilaterals/new", data=bad)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="time_2-error"' in text and "within the meeting&#39;s days" in text
    assert 'value="Women mediators in the Sahel"' in text and 'value="2030-06-07T15:00"' in text
    assert db.session.scalar(select(Bilateral.id)) is None

    good = dict(NEW_REQUEST, counterpart_id=str(s.senegal.id))
    answer = client.post(f"/delegations/{s.romania.id}/bilaterals/new", data=good)
    assert answer.status_code == 302
    listing = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "With Senegal" in listing and "Answer awaited from Senegal" in listing


def test_the_other_focal_point_accepts_and_a_third_delegation_sees_nothing(
    client: FlaskClient, auth: AuthActions
) -> None:
    s = scene()
    b = ask(s, ["2030-06-03T10:00", "2030-06-03T15:00"])
    url = f"/meetings/{s.meeting.slug}/bilaterals/{b.id}"

    auth.login(s.fp_chile.email)
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/accept", data={"accept-proposal_id": str(b.proposals[1].id)}).status_code == 404
    auth.logout()

    auth.login(s.fp_senegal.email)
    panel = client.get(f"/delegations/{s.senegal.id}").get_data(as_text=True)
    assert "1 request awaits your answer." in panel
    page = client.get(url).get_data(as_text=True)
    assert "Accept this time" in page and "Propose these times" in page and "Decline the bilateral" in page
    missing = client.post(f"{url}/accept", data={"accept-message": "Which one?"})
    assert missing.status_code == 422 and "Choose one of the times." in missing.get_data(as_text=True)
    second = b.current_proposals[1].id
    answer = client.post(f"{url}/accept", data={"accept-proposal_id": str(second), "accept-message": "Agreed."})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Bilateral, b.id).status == BilateralStatus.CONFIRMED
    page = client.get(url).get_data(as_text=True)
    assert "3 June 2030, 15:00" in page and "Agreed." in page
    assert "Book this room" not in page  # the hosts book this meeting's rooms
    assert client.post(f"{url}/room", data={"room-room_id": str(s.room_a.id)}).status_code == 403


def test_delegations_book_their_room_when_the_hosts_allow_it(client: FlaskClient, auth: AuthActions) -> None:
    s = scene(delegations_book_rooms=True)
    b = agreed(s, "2030-06-03T10:00")
    auth.login(s.fp_romania.email)
    url = f"/meetings/{s.meeting.slug}/bilaterals/{b.id}"
    assert "Book this room" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/room", data={"room-room_id": str(s.room_b.id)}).status_code == 302
    assert client.post(f"{url}/move", data={"move-starts_local": "2030-06-04T10:00"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Bilateral, b.id).room_id == s.room_b.id


def test_the_host_grid_shows_rooms_by_time_and_books_without_a_query_per_bilateral(
    client: FlaskClient, auth: AuthActions
) -> None:
    s = scene()
    first = agreed(s, "2030-06-03T10:00")
    booking.book_room(first, s.room_a.id, actor=s.host)
    waiting = agreed(s, "2030-06-03T10:00", by=s.chile, to=s.kenya)
    auth.login(s.host.email)
    grid_url = f"/meetings/{s.meeting.slug}/bilaterals"
    page = client.get(grid_url).get_data(as_text=True)
    assert "Romania and Senegal" in page and "Agreed, waiting for a room" in page and "Chile and Kenya" in page
    assert 'rowspan="1"' in page  # a 30-minute bilateral fills one half hour

    url = f"/meetings/{s.meeting.slug}/bilaterals/{waiting.id}"
    clash = client.post(f"{url}/room", data={"room-room_id": str(s.room_a.id)})
    assert clash.status_code == 422 and "already booked at that time for Romania and Senegal" in clash.get_data(
        as_text=True
    )
    assert client.post(f"{url}/room", data={"room-room_id": str(s.room_b.id)}).status_code == 302
    moved = client.post(
        f"{url}/move",
        data={"move-starts_local": "2030-06-04T11:00", "move-duration_minutes": "60", "move-room_id": str(s.room_a.id)},
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Bilateral, waiting.id).sequence == 2

    def statements() -> int:
        db.session.expire_all()
        with count_statements() as seen:
            assert client.get(grid_url).status_code == 200
        return len(seen)

    few = statements()
    for start in ("2030-06-04T14:00", "2030-06-04T15:00", "2030-06-04T16:00"):
        booking.book_room(agreed(s, start), s.room_b.id, actor=s.host)
    assert statements() == few


def test_the_host_grid_reads_the_meetings_bilaterals_once(client: FlaskClient, auth: AuthActions) -> None:
    s = scene()
    booking.book_room(agreed(s, "2030-06-03T10:00"), s.room_a.id, actor=s.host)
    auth.login(s.host.email)
    db.session.expire_all()
    with count_statements() as seen:
        page = client.get(f"/meetings/{s.meeting.slug}/bilaterals").get_data(as_text=True)
    assert "Romania and Senegal" in page
    from_bilaterals = [q for q in seen if q.lstrip().upper().startswith("SELECT") and "FROM bilaterals " in q]
    assert len(from_bilaterals) == 1, from_bilaterals
