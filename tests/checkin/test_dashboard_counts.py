"""The attendance dashboard counts who is inside in the database: per checkpoint, category and delegation."""

from __future__ import annotations

from flask.testing import FlaskClient

from eventapp.checkin.attendance import status
from eventapp.extensions import db
from eventapp.models import Meeting, Presence, Registration, RegistrationCategory
from tests.agenda.builders import add_session
from tests.checkin.builders import add_registration
from tests.conftest import AuthActions, Users, add_meeting, add_member, count_statements


def present(meeting: Meeting, registration: Registration, checkpoint: str = "entrance", inside: bool = True) -> None:
    row = Presence(registration_id=registration.id, checkpoint=checkpoint, meeting_id=meeting.id, inside=inside)
    db.session.add(row)
    db.session.commit()


def test_inside_now_per_checkpoint_category_and_delegation(app: object) -> None:
    meeting = add_meeting()
    kenya, chile = add_member("KEN", "Kenya"), add_member("CHL", "Chile")
    plenary = add_session(meeting, "Opening plenary", "2030-06-01 09:00", "2030-06-01 10:00")
    for n in range(2):
        present(meeting, add_registration(meeting, "Ken", f"Delegate{n}", member=kenya))
    present(meeting, add_registration(meeting, "Chi", "Delegate", member=chile))
    present(meeting, add_registration(meeting, "Re", "Porter", category=RegistrationCategory.MEDIA))
    present(meeting, add_registration(meeting, "Gone", "Home"), inside=False)
    in_session = add_registration(meeting, "In", "Session", member=kenya)
    present(meeting, in_session, f"session-{plenary.id}")
    other = add_meeting("2031-nairobi")
    present(other, add_registration(other, "Else", "Where", member=kenya))

    counts = status(meeting)

    assert [(row["checkpoint"], row["count"]) for row in counts["inside"]] == [
        ("entrance", 4),
        (f"session-{plenary.id}", 1),
    ]
    assert counts["by_category"] == {"Media": 1, "Member delegation": 3}
    assert counts["by_delegation"] == {"Chile": 1, "Kenya": 2}


def test_dashboard_statements_do_not_grow_with_the_people_inside(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = add_meeting()
    present(meeting, add_registration(meeting, "Ana", "Pop", member=add_member("ROM", "Romania")))
    auth.login("host@example.org")
    path = f"/meetings/{meeting.slug}/attendance"

    def statements() -> int:
        client.get(path)
        with count_statements() as seen:
            page = client.get(path)
        assert page.status_code == 200
        return len(seen)

    few = statements()
    for n in range(30):
        member = add_member(f"M{n:02d}", f"Member {n:02d}")
        present(meeting, add_registration(meeting, "Del", f"Egate{n}", member=member))
    assert statements() == few
    assert "Member 29" in client.get(path).get_data(as_text=True)
