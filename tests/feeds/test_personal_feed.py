"""A person's feed: whom it answers, in which language, and what answering it reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import Meeting, Registration, RegistrationStatus, Session, SessionAttendance, SessionType
from eventapp.registration.tokens import make_calendar_token
from tests.agenda.builders import add_registration, add_room, add_session
from tests.conftest import add_meeting, count_statements
from tests.feeds.parsing import events, parse_both

SLUG = "2030-geneva"

#: Columns of personal data or keys that no feed shows, so no feed reads.
UNSHOWN = ("passport", "motivation", "email", "phone", "photo", "badge_signing_key")


def _meeting() -> Meeting:
    return add_meeting(
        SLUG,
        title="Geneva Focal Points Meeting",
        timezone="Europe/Zurich",
        starts_on=date(2030, 6, 3),
        ends_on=date(2030, 6, 4),
        agenda_published=True,
    )


def _feed(person: Registration) -> str:
    return f"/calendar/{make_calendar_token(person)}.ics"


def _pick(person: Registration, session: Session) -> None:
    db.session.add(SessionAttendance(session_id=session.id, registration_id=person.id))
    db.session.commit()


def test_a_personal_feed_answers_while_its_holder_takes_part_and_the_agenda_is_published(
    client: FlaskClient,
) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00")
    person = add_registration(meeting, "ana@example.org", status=RegistrationStatus.SUBMITTED)
    url = _feed(person)
    assert client.get(url).status_code == 200

    for status in (RegistrationStatus.DECLINED, RegistrationStatus.WITHDRAWN):
        person.status = status
        db.session.commit()
        assert client.get(url).status_code == 404, status
    person.status = RegistrationStatus.APPROVED
    db.session.commit()
    assert client.get(url).status_code == 200

    meeting.agenda_published = False
    db.session.commit()
    assert client.get(url).status_code == 404
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404


def test_a_feed_is_named_in_its_readers_language_and_follows_the_meetings_title_and_zone(
    client: FlaskClient,
) -> None:
    meeting = _meeting()
    add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00", speakers=["Amina Diallo"])
    person, colleague = add_registration(meeting, "ana@example.org"), add_registration(meeting, "bo@example.org")
    person.locale = "fr"
    # Later changes of their own rows give each personal feed a version of its own.
    person.updated_at, colleague.updated_at = datetime(2031, 1, 1, tzinfo=UTC), datetime(2032, 1, 1, tzinfo=UTC)
    db.session.commit()
    urls = (_feed(person), f"/meetings/{SLUG}/agenda.ics", _feed(colleague))
    before = {url: client.get(url) for url in urls}
    calendars = [parse_both(before[url].data)[0] for url in urls]
    names = [str(calendar["X-WR-CALNAME"]) for calendar in calendars]
    assert names[0].startswith("Geneva Focal Points Meeting") and "mon programme" in names[0]
    assert names[1] == "Geneva Focal Points Meeting (agenda)"  # the shared feed keeps one language
    assert names[2] == "Geneva Focal Points Meeting: my agenda"
    # One session, written for each reader in their language, stamped with each feed's own version.
    opening = [events(calendar)["Opening plenary"] for calendar in calendars]
    words = [str(event["DESCRIPTION"]) for event in opening]
    assert "Intervenants: Amina Diallo" in words[0]
    assert "Speakers: Amina Diallo" in words[1] and words[1] == words[2]
    stamps = [event.decoded("DTSTAMP") for event in opening]
    assert stamps == [before[url].last_modified for url in urls] and len(set(stamps)) == 3

    meeting.title, meeting.timezone = "Geneva Meeting", "Europe/Paris"
    db.session.commit()
    for url, old in before.items():
        new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert new.status_code == 200, url
        calendar = parse_both(new.data)[0]
        assert str(calendar["X-WR-CALNAME"]).startswith("Geneva Meeting"), url
        assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"], url
        assert b"DTSTART;TZID=Europe/Paris:" in new.data, url


def test_a_personal_304_reads_one_statement_and_a_feed_two_whatever_it_holds(client: FlaskClient) -> None:
    meeting = _meeting()
    person = add_registration(meeting, "ana@example.org")
    speaker = add_registration(meeting, "amina@example.org")
    add_session(meeting, "Opening plenary", "2030-06-03 09:00", "2030-06-03 10:00")
    url = _feed(person)

    def statements_for(headers: dict[str, str]) -> tuple[int, list[str]]:
        db.session.expire_all()  # nothing loaded beforehand, as in a request of its own
        with count_statements() as statements:
            status = client.get(url, headers=headers).status_code
        return status, statements

    status, small = statements_for({})
    assert status == 200
    etag = client.get(url).headers["ETag"]
    status, held_back = statements_for({"If-None-Match": etag})
    # The link's registration, its meeting and the feed's version come in one statement.
    assert status == 304 and len(held_back) == 1

    for i in range(4):
        s = add_session(
            meeting,
            f"Workshop {i}",
            "2030-06-04 09:00",
            "2030-06-04 10:00",
            type=SessionType.WORKING,
            speakers=[f"Guest {i}", "Moderator"],
            room_id=add_room(meeting, f"Room {i}", floor=str(i)).id,
        )
        s.speakers[0].registration_id = speaker.id
        db.session.commit()
        _pick(person, s)
    status, bigger = statements_for({})
    assert status == 200 and len(bigger) == len(small) == 2  # then the sessions with all they show
    held = {f"Workshop {i}" for i in range(4)} | {"Opening plenary"}
    assert set(events(parse_both(client.get(url).data)[0])) == held

    meeting_feed = f"/meetings/{SLUG}/agenda.ics"
    db.session.expire_all()
    with count_statements() as public:
        assert client.get(meeting_feed).status_code == 200
    read = " ".join([*bigger, *public]).lower()
    assert not [column for column in UNSHOWN if column in read]
