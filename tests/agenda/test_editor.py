from __future__ import annotations

from datetime import UTC, date, datetime

from flask.testing import FlaskClient
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.models import AuditLog, Meeting, Room, Session, SessionStatus
from tests.agenda.builders import add_registration, add_room, add_session
from tests.conftest import AuthActions, Users, add_meeting


def _meeting() -> Meeting:
    return add_meeting(
        "2030-new-york",
        timezone="America/New_York",
        starts_on=date(2030, 11, 1),
        ends_on=date(2030, 11, 5),
        venue="UN Headquarters",
    )


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Opening plenary",
        "type": "plenary",
        "description": "",
        "starts_local": "2030-11-04T09:00",
        "ends_local": "2030-11-04T10:30",
        "room_id": "",
        "capacity": "",
        "access": "open",
        "status": "confirmed",
        "track": "Localisation",
        "is_published": "y",
    }
    data.update(overrides)
    return data


def _sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(Session)) or 0


def test_only_hosts_and_the_secretariat_edit_the_agenda(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    _meeting()
    url = "/meetings/2030-new-york/agenda/edit"
    assert client.get(url).status_code == 302  # to the sign-in page
    auth.login("fp@example.org")
    assert client.get(url).status_code == 403
    assert client.post("/meetings/2030-new-york/agenda/sessions/new", data=_form()).status_code == 403
    assert _sessions() == 0
    auth.logout()
    auth.login("admin@example.org")
    assert client.get(url).status_code == 200


def test_host_adds_a_session_in_the_meeting_zone_with_speakers(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    room = add_room(meeting, "Trusteeship Council")
    speaker = add_registration(meeting, "amina@example.org")
    auth.login("host@example.org")
    data = _form(room_id=str(room.id))
    data |= {
        "speakers-0-registration_id": str(speaker.id),
        "speakers-0-role": "speaker",
        "speakers-1-name": "Maria Lopez",
        "speakers-1-affiliation": "UN Women",
        "speakers-1-role": "moderator",
    }
    response = client.post("/meetings/2030-new-york/agenda/sessions/new", data=data)
    assert response.status_code == 302
    s = db.session.scalars(select(Session)).one()
    # 09:00 in New York on 4 November 2030 (standard time, UTC-5)
    assert s.starts_at == datetime(2030, 11, 4, 14, 0, tzinfo=UTC)
    assert s.room_id == room.id and s.track == "Localisation" and s.sequence == 0
    assert [(p.display_name, p.role.value) for p in s.speakers] == [
        ("Amina Tester", "speaker"),
        ("Maria Lopez", "moderator"),
    ]
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "session.create")).one()
    assert entry.actor_id == users.host.id and entry.meeting_id == meeting.id

    # the form shows the stored time back in the meeting's zone
    page = client.get(f"/meetings/2030-new-york/agenda/sessions/{s.id}/edit").get_data(as_text=True)
    assert 'value="04/11/2030 09:00"' in page  # day first, on a 24-hour clock


def test_end_before_start_is_refused_next_to_the_field_and_nothing_is_stored(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    _meeting()
    auth.login("host@example.org")
    response = client.post(
        "/meetings/2030-new-york/agenda/sessions/new",
        data=_form(title="Kept title", starts_local="2030-11-04T11:00", ends_local="2030-11-04T10:00"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="ends_local-error"' in page and "must end after it starts" in page
    assert 'value="Kept title"' in page
    assert _sessions() == 0


def test_unknown_room_is_refused_next_to_the_room_field(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    other = add_meeting("2031-bucharest")
    foreign = add_room(other, "Elsewhere")
    add_room(meeting, "Hall A")
    auth.login("host@example.org")
    for bad in (str(foreign.id), "99999"):
        response = client.post("/meetings/2030-new-york/agenda/sessions/new", data=_form(room_id=bad))
        assert response.status_code == 422
        assert 'id="room_id-error"' in response.get_data(as_text=True)
    assert _sessions() == 0


def test_a_time_skipped_by_the_clock_change_is_refused(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    add_meeting("2030-spring", timezone="America/New_York", starts_on=date(2030, 3, 9), ends_on=date(2030, 3, 11))
    auth.login("host@example.org")
    response = client.post(
        "/meetings/2030-spring/agenda/sessions/new",
        data=_form(starts_local="2030-03-10T02:30", ends_local="2030-03-10T04:00"),
    )
    assert response.status_code == 422
    assert 'id="starts_local-error"' in response.get_data(as_text=True)
    assert _sessions() == 0


def test_warnings_for_double_booked_room_busy_speaker_and_dates_do_not_block(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = _meeting()
    hall = add_room(meeting, "Hall A")
    add_session(meeting, "Panel one", "2030-11-02 09:00", "2030-11-02 10:00", room_id=hall.id, speakers=["Ana Ruiz"])
    add_session(meeting, "Far away", "2030-12-01 09:00", "2030-12-01 10:00")
    auth.login("host@example.org")
    data = _form(
        title="Panel two", starts_local="2030-11-02T09:30", ends_local="2030-11-02T11:00", room_id=str(hall.id)
    )
    data["speakers-0-name"] = "ana ruiz"
    response = client.post("/meetings/2030-new-york/agenda/sessions/new", data=data, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _sessions() == 3
    assert "Hall A is also booked for “Panel one”" in page
    assert "also speaks at “Panel one” at the same time" in page
    assert page.count("Outside the meeting&#39;s dates.") == 1  # only "Far away"


def test_quick_reschedule_cancel_restore_and_delete(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    s = add_session(meeting, "Panel", "2030-11-02 09:00", "2030-11-02 10:00")
    auth.login("host@example.org")
    base = f"/meetings/2030-new-york/agenda/sessions/{s.id}"
    page = client.get("/meetings/2030-new-york/agenda/edit").get_data(as_text=True)
    assert (
        f'name="s{s.id}-starts_local" required size="16" spellcheck="false" type="text" value="02/11/2030 09:00"'
        in page
    )

    client.post(
        f"{base}/reschedule",
        data={f"s{s.id}-starts_local": "2030-11-02T14:00", f"s{s.id}-ends_local": "2030-11-02T15:00"},
    )
    db.session.expire_all()
    assert s.starts_at == datetime(2030, 11, 2, 18, 0, tzinfo=UTC) and s.sequence == 1

    bad = client.post(
        f"{base}/reschedule",
        data={f"s{s.id}-starts_local": "2030-11-02T16:00", f"s{s.id}-ends_local": "2030-11-02T15:00"},
        follow_redirects=True,
    )
    assert "was not moved" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert s.starts_at == datetime(2030, 11, 2, 18, 0, tzinfo=UTC)

    client.post(f"{base}/cancel")
    db.session.expire_all()
    assert s.status == SessionStatus.CANCELLED and s.sequence == 2
    client.post(f"{base}/restore")
    db.session.expire_all()
    assert s.status == SessionStatus.CONFIRMED and s.sequence == 3

    actions = list(
        db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("session.%")).order_by(AuditLog.id))
    )
    assert actions == ["session.reschedule", "session.cancel", "session.restore"]
    client.post(f"{base}/delete")
    assert _sessions() == 0
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "session.delete")) == 1


def test_publish_switch_controls_the_public_agenda(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening", "2030-11-02 09:00", "2030-11-02 10:00")
    assert "Opening" not in client.get("/meetings/2030-new-york/agenda").get_data(as_text=True)
    assert client.get("/meetings/2030-new-york/agenda.ics").status_code == 404
    auth.login("host@example.org")
    client.post("/meetings/2030-new-york/agenda/publish", data={"published": "1"})
    auth.logout()
    db.session.expire_all()
    assert meeting.agenda_published
    assert "Opening" in client.get("/meetings/2030-new-york/agenda").get_data(as_text=True)
    assert client.get("/meetings/2030-new-york/agenda.ics").status_code == 200
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "agenda.publish")) == 1


def test_rooms_are_added_edited_and_deleted(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    meeting = _meeting()
    auth.login("host@example.org")
    url = "/meetings/2030-new-york/agenda/rooms"
    assert client.post(url, data={"name": "Hall A", "capacity": "120", "venue": "", "floor": "2"}).status_code == 302
    duplicate = client.post(url, data={"name": "Hall A", "capacity": "", "venue": "", "floor": ""})
    assert duplicate.status_code == 422 and 'id="name-error"' in duplicate.get_data(as_text=True)
    room = db.session.scalars(select(Room)).one()
    s = add_session(meeting, "Panel", "2030-11-02 09:00", "2030-11-02 10:00", room_id=room.id)
    client.post(f"{url}/{room.id}/edit", data={"name": "Hall B", "capacity": "80", "venue": "Annex", "floor": "1"})
    db.session.expire_all()
    assert (room.name, room.capacity, room.venue) == ("Hall B", 80, "Annex")
    client.post(f"{url}/{room.id}/delete")
    db.session.expire_all()
    assert s.room_id is None and s.sequence == 1  # a change of place for calendars
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"room.create", "room.update", "room.delete"} <= actions
