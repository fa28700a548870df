"""Bilaterals in the personal feeds of both delegations' registrants: moved, SEQUENCE rises; cancelled, it stays."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from eventapp.bilaterals import booking, services
from eventapp.extensions import db
from eventapp.models import BilateralSide, Registration
from eventapp.registration.tokens import make_calendar_token
from tests.agenda.builders import add_registration
from tests.bilaterals.builders import add_delegate, agreed, ask, local, scene
from tests.conftest import count_statements
from tests.feeds.parsing import parse_both

ZURICH = ZoneInfo("Europe/Zurich")


def _feed(person: Registration) -> str:
    return f"/calendar/{make_calendar_token(person)}.ics"


def _bilaterals(client: FlaskClient, url: str) -> dict[str, object]:
    loose, _strict = parse_both(client.get(url).data)  # both parsers accept the file
    return {str(e["UID"]): e for e in loose.walk("VEVENT") if str(e["UID"]).startswith("bilateral-")}


def test_both_delegations_feeds_carry_the_bilateral_and_follow_its_changes(client: FlaskClient) -> None:
    s = scene()
    minister = add_delegate(s.romania, "minister@example.ro", "Ioana", "Popescu")
    ambassador = add_delegate(s.senegal, "ambassador@example.sn", "Awa", "Ndiaye", locale="fr")
    outsider = add_delegate(s.chile, "consul@example.cl", "Ana", "Rojas")
    applicant = add_registration(s.meeting, "amina@example.org")
    pending = ask(s, ["2030-06-03T11:00"], by=s.chile, to=s.romania)
    assert _bilaterals(client, _feed(minister)) == {}  # not agreed: no calendar holds it

    b = agreed(s, "2030-06-03T15:00", by=s.romania, to=s.senegal)
    services.decline(pending, side=BilateralSide.COUNTERPART, actor=s.fp_romania)
    uid = f"bilateral-{b.id}@{s.meeting.slug}.wps-network"
    for person in (minister, ambassador):
        [event] = _bilaterals(client, _feed(person)).values()
        assert str(event["UID"]) == uid
        assert event["DTSTART"].dt == datetime(2030, 6, 3, 15, 0, tzinfo=ZURICH)
        assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert str(_bilaterals(client, _feed(minister))[uid]["SUMMARY"]) == "Bilateral meeting with Senegal"
    for person in (outsider, applicant):
        assert _bilaterals(client, _feed(person)) == {}

    url = _feed(minister)
    etag = client.get(url).headers["ETag"]
    booking.book_room(b, s.room_a.id, actor=s.host)
    booked = client.get(url, headers={"If-None-Match": etag})
    assert booked.status_code == 200  # the booking changed the feed's version
    event = _bilaterals(client, url)[uid]
    assert event["SEQUENCE"] == 1 and str(event["LOCATION"]).startswith("Bilateral room A, floor 2")

    booking.move(b, local("2030-06-04T09:00"), s.room_b.id, actor=s.host)
    event = _bilaterals(client, url)[uid]
    assert event["SEQUENCE"] == 2 and event["DTSTART"].dt == datetime(2030, 6, 4, 9, 0, tzinfo=ZURICH)

    s.room_b.name = "Salle bilatérale B"
    db.session.commit()
    assert str(_bilaterals(client, url)[uid]["LOCATION"]).startswith("Salle bilatérale B")

    services.cancel(b, actor=s.host, side=None)
    for person in (minister, ambassador):
        event = _bilaterals(client, _feed(person))[uid]
        assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 3


def test_a_feed_with_bilaterals_reads_one_statement_more_and_a_304_still_one(client: FlaskClient) -> None:
    s = scene()
    minister = add_delegate(s.romania, "minister@example.ro", "Ioana", "Popescu")
    url = _feed(minister)

    def statements(headers: dict[str, str] | None = None) -> tuple[int, int]:
        db.session.expire_all()
        with count_statements() as seen:
            status = client.get(url, headers=headers or {}).status_code
        return status, len(seen)

    assert statements() == (200, 2)
    for start in ("2030-06-03T09:00", "2030-06-03T10:00"):
        agreed(s, start, to=s.senegal if start.endswith("09:00") else s.chile)
    assert statements() == (200, 3)  # then the bilaterals with their rooms and members, at once
    assert statements({"If-None-Match": client.get(url).headers["ETag"]}) == (304, 1)
