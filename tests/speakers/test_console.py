"""The chair's console: the clock, the floor, "not present", retries and late actions; then who spoke."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from eventapp.extensions import db
from eventapp.models import InscriptionStatus, RepresentationLevel
from eventapp.models.base import utcnow
from eventapp.speakers.console import apply_action, pressed_at, state
from eventapp.speakers.errors import SpeakersError
from eventapp.speakers.record import record_csv, record_pdf, session_record
from eventapp.speakers.services import inscribe, move
from tests.speakers.conftest import Plenary, add_delegation, members, plenary_with_list


@pytest.fixture
def plenary(app) -> Plenary:  # type: ignore[no-untyped-def]
    found = members()
    p = plenary_with_list(seconds=120)
    for code, level in (("ROU", "ambassador"), ("SEN", "minister"), ("CAN", "ambassador")):
        add_delegation(p, found[code], ("H.E.", f"Speaker{code}", "Name"))
        inscribe(
            p.speakers_list,
            p.delegations[code],
            p.speakers[code].id,
            RepresentationLevel(level),
            actor=p.focal_points[code],
        )
    return p


def _act(p: Plenary, action: str, seconds: float, key: str = "") -> dict:  # type: ignore[type-arg]
    t0 = p.meeting.created_at  # any fixed base: the clock only sees differences
    apply_action(p.speakers_list, action, at=t0 + timedelta(seconds=seconds), key=key, actor=p.host)
    db.session.expire_all()
    return state(p.speakers_list, now=t0 + timedelta(seconds=seconds))


def test_next_start_pause_and_the_clock(plenary: Plenary) -> None:
    s = _act(plenary, "next", 0)
    assert s["current"]["member"] == "Senegal" and [p["member"] for p in s["waiting"]] == ["Romania", "Canada"]
    assert s["clock"] == {"running": False, "started_at": None, "used_ms": 0}
    _act(plenary, "start", 1)
    _act(plenary, "pause", 31)  # 30 s spoken
    _act(plenary, "start", 41)
    s = _act(plenary, "next", 101)  # 60 s more
    assert s["current"]["member"] == "Romania" and s["spoken"] == 1
    senegal = next(i for i in plenary.speakers_list.inscriptions if i.delegation.member.code == "SEN")
    assert senegal.status == InscriptionStatus.SPOKE and senegal.spoken_ms == 90_000
    assert senegal.ended_at - senegal.started_at == timedelta(seconds=100)


def test_not_present_goes_to_the_end_and_the_next_is_called(plenary: Plenary) -> None:
    _act(plenary, "next", 0)
    s = _act(plenary, "absent", 5)
    assert s["current"]["member"] == "Romania"
    assert [p["member"] for p in s["waiting"]] == ["Canada", "Senegal"]
    assert s["waiting"][1]["absent"] == 1


def test_called_but_never_started_is_not_lost(plenary: Plenary) -> None:
    _act(plenary, "next", 0)
    s = _act(plenary, "next", 3)
    assert s["current"]["member"] == "Romania" and s["spoken"] == 0
    assert [p["member"] for p in s["waiting"]] == ["Canada", "Senegal"]


def test_a_retried_action_applies_once(plenary: Plenary) -> None:
    _act(plenary, "next", 0, key="k1")
    s = _act(plenary, "next", 0, key="k1")
    assert s["current"]["member"] == "Senegal"


def test_start_needs_a_speaker(plenary: Plenary) -> None:
    version = plenary.speakers_list.version
    with pytest.raises(SpeakersError):
        _act(plenary, "start", 0)
    assert plenary.speakers_list.version == version


def test_a_late_action_counts_from_when_it_was_pressed() -> None:
    now = utcnow()
    eight_ago = pressed_at(int((now - timedelta(seconds=8)).timestamp() * 1000), now)
    assert abs(eight_ago - (now - timedelta(seconds=8))) < timedelta(milliseconds=1)
    assert pressed_at(int((now + timedelta(hours=1)).timestamp() * 1000), now) == now  # not in the future
    assert pressed_at(int((now - timedelta(days=1)).timestamp() * 1000), now) == now - timedelta(minutes=5)
    assert pressed_at("yesterday", now) == now


def test_who_spoke_in_order_and_who_did_not(plenary: Plenary) -> None:
    _act(plenary, "next", 0)  # Senegal
    _act(plenary, "absent", 2)  # Senegal to the end; Romania
    _act(plenary, "start", 3)
    _act(plenary, "next", 63)  # Romania spoke 60 s; Canada
    _act(plenary, "start", 64)
    _act(plenary, "next", 200)  # Canada spoke 136 s; Senegal again
    result = session_record(plenary.speakers_list)
    assert [(t.order, t.member, t.spoken_ms) for t in result.spoke] == [(1, "Romania", 60_000), (2, "Canada", 136_000)]
    assert [t.member for t in result.did_not_speak] == ["Senegal"]
    rows = list(csv.reader(io.StringIO(record_csv(result).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Order", "Member", "Speaker"]
    assert rows[1][:4] == ["1", "Romania", "H.E. SpeakerROU Name", "Ambassador or Permanent Representative"]
    assert rows[2][6] == "2:16"
    assert rows[3][1] == "Senegal" and rows[3][7] == "no"
    pdf = record_pdf(result, plenary.meeting.title, plenary.session.title, plenary.session.starts_at)
    assert pdf.startswith(b"%PDF")


def test_next_calls_the_list_in_the_order_the_host_left_it(plenary: Plenary) -> None:
    canada = next(i for i in plenary.speakers_list.inscriptions if i.delegation.member.code == "CAN")
    move(plenary.speakers_list, canada.id, "up", actor=plenary.host)  # Senegal, Canada, Romania
    move(plenary.speakers_list, canada.id, "up", actor=plenary.host)  # Canada, Senegal, Romania
    db.session.expire_all()
    s = _act(plenary, "next", 0)
    assert s["current"]["member"] == "Canada" and [p["member"] for p in s["waiting"]] == ["Senegal", "Romania"]
