"""The pages: setting up a list, inscribing from the delegation, who may see what, the console's JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import Session, SpeakerInscription, SpeakersList
from tests.conftest import PASSWORD, count_statements
from tests.speakers.conftest import Plenary, add_delegation, members, plenary_with_list


@pytest.fixture
def plenary(app) -> Plenary:  # type: ignore[no-untyped-def]
    found = members()
    p = plenary_with_list()
    add_delegation(p, found["ROU"], ("H.E.", "Ioana", "Ștefănescu"))
    add_delegation(p, found["SEN"], ("Mme", "Aïssatou", "Ndiaye"))
    return p


def _login(client, email: str) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _base(p: Plenary) -> str:
    return f"/meetings/{p.meeting.slug}/sessions/{p.session.id}/speakers"


def test_focal_point_inscribes_from_the_delegation_page(client, plenary: Plenary) -> None:  # type: ignore[no-untyped-def]
    _login(client, "fp-rou@example.org")
    delegation = plenary.delegations["ROU"]
    page = client.get(f"/delegations/{delegation.id}").get_data(as_text=True)
    assert f"/delegations/{delegation.id}/speakers" in page
    lists = client.get(f"/delegations/{delegation.id}/speakers").get_data(as_text=True)
    assert "Tour de table" in lists and "Inscribe the delegation" in lists
    url = f"/delegations/{delegation.id}/speakers/{plenary.session.id}"
    missing = client.post(url, data={"registration_id": str(plenary.speakers["ROU"].id), "level": ""})
    assert missing.status_code == 422
    body = missing.get_data(as_text=True)
    assert f'<option selected value="{plenary.speakers["ROU"].id}">' in body  # what was chosen stays chosen
    done = client.post(url, data={"registration_id": str(plenary.speakers["ROU"].id), "level": "minister"})
    assert done.status_code == 302
    assert db.session.scalar(select(SpeakerInscription.level)).value == "minister"
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "already on this list" in again


def test_a_focal_point_cannot_inscribe_another_members_delegation(client, plenary: Plenary) -> None:  # type: ignore[no-untyped-def]
    _login(client, "fp-rou@example.org")
    other = plenary.delegations["SEN"]
    answer = client.post(
        f"/delegations/{other.id}/speakers/{plenary.session.id}",
        data={"registration_id": str(plenary.speakers["SEN"].id), "level": "minister"},
    )
    assert answer.status_code == 403
    assert db.session.scalar(select(SpeakerInscription.id)) is None


def test_the_list_is_public_only_once_published(client, plenary: Plenary) -> None:  # type: ignore[no-untyped-def]
    for path in ("", "/display", "/state.json", "/record", "/record.csv"):
        assert client.get(_base(plenary) + path).status_code == 404, path
    plenary.speakers_list.is_published = True
    db.session.commit()
    for path in ("", "/display", "/state.json", "/record", "/record.csv"):
        assert client.get(_base(plenary) + path).status_code == 200, path
    session_page = client.get(f"/meetings/{plenary.meeting.slug}/sessions/{plenary.session.id}")
    assert _base(plenary) in session_page.get_data(as_text=True)


def test_host_sets_up_a_list_and_bad_input_stays_next_to_its_field(client, plenary: Plenary) -> None:  # type: ignore[no-untyped-def]
    second = Session(
        meeting_id=plenary.meeting.id,
        title="Closing plenary",
        starts_at=plenary.session.starts_at + timedelta(days=1),
        ends_at=plenary.session.ends_at + timedelta(days=1),
    )
    db.session.add(second)
    db.session.commit()
    _login(client, "host@example.org")
    index = client.get(f"/meetings/{plenary.meeting.slug}/speakers").get_data(as_text=True)
    assert "Set up a speakers&#39; list" in index or "Set up a speakers' list" in index
    url = f"/meetings/{plenary.meeting.slug}/sessions/{second.id}/speakers/settings"
    late = (second.ends_at + timedelta(hours=2)).astimezone(plenary.meeting.zone).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(url, data={"inscriptions_close_local": late, "minutes": "3", "seconds": "0"})
    assert bad.status_code == 422
    assert "before the session ends" in bad.get_data(as_text=True) and late in bad.get_data(as_text=True)
    assert db.session.scalar(select(SpeakersList).where(SpeakersList.session_id == second.id)) is None
    fine = (second.starts_at - timedelta(hours=12)).astimezone(plenary.meeting.zone).strftime("%Y-%m-%dT%H:%M")
    good = client.post(url, data={"inscriptions_close_local": fine, "minutes": "2", "seconds": "30"})
    assert good.status_code == 302
    made = db.session.scalar(select(SpeakersList).where(SpeakersList.session_id == second.id))
    assert made.seconds_per_speaker == 150 and made.is_published is False


def test_console_json_action_and_state(client, plenary: Plenary) -> None:  # type: ignore[no-untyped-def]
    from eventapp.models import RepresentationLevel
    from eventapp.speakers.services import inscribe

    for code in ("ROU", "SEN"):
        inscribe(
            plenary.speakers_list,
            plenary.delegations[code],
            plenary.speakers[code].id,
            RepresentationLevel.MINISTER,
            actor=plenary.focal_points[code],
        )
    _login(client, "host@example.org")
    assert client.get(_base(plenary) + "/console").status_code == 200
    answer = client.post(_base(plenary) + "/console", json={"action": "next", "key": "a1", "at": 0})
    assert answer.status_code == 200
    assert answer.json["current"]["name"] == "H.E. Ioana Ștefănescu"
    assert answer.json["current"]["member"] == "Romania"
    refused = client.post(_base(plenary) + "/console", json={"action": "pause-all", "key": "a2"})
    assert refused.status_code == 409 and refused.json["state"]["current"]["member"] == "Romania"
    with count_statements() as statements:
        read = client.get(_base(plenary) + "/state.json")
    assert read.headers["Cache-Control"] == "no-store" and read.json["version"] == answer.json["version"]
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 12


def test_the_console_is_for_hosts(client, plenary: Plenary) -> None:  # type: ignore[no-untyped-def]
    _login(client, "fp-rou@example.org")
    assert client.get(_base(plenary) + "/console").status_code == 403
    assert client.post(_base(plenary) + "/console", json={"action": "next"}).status_code == 403
    assert plenary.speakers_list.version == 1


def test_a_second_worker_reads_what_the_first_wrote(app, client, plenary: Plenary, _schema: str) -> None:  # type: ignore[no-untyped-def]
    """The console and the display may reach different gunicorn workers: the state lives in the database."""
    from eventapp.models import RepresentationLevel
    from eventapp.speakers.services import inscribe
    from tests.conftest import make_app

    inscribe(
        plenary.speakers_list,
        plenary.delegations["SEN"],
        plenary.speakers["SEN"].id,
        RepresentationLevel.MINISTER,
        actor=plenary.focal_points["SEN"],
    )
    plenary.speakers_list.is_published = True
    db.session.commit()
    other_worker = make_app(_schema)
    display = other_worker.test_client()
    with other_worker.app_context():
        assert display.get(_base(plenary) + "/state.json").json["current"] is None
    _login(client, "host@example.org")
    client.post(_base(plenary) + "/console", json={"action": "next", "key": "w1"})
    client.post(_base(plenary) + "/console", json={"action": "start", "key": "w2"})
    with other_worker.app_context():
        seen = display.get(_base(plenary) + "/state.json").json
        db.session.remove()
        db.engine.dispose()
    assert seen["current"]["member"] == "Senegal" and seen["clock"]["running"] is True
