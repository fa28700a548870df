"""The order of a speakers' list: by group, level, time of inscription; hosts' moves; withdrawals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import AuditLog, RepresentationLevel, SpeakerInscription
from eventapp.speakers.errors import SpeakersError
from eventapp.speakers.services import ListSettings, inscribe, move, ordered_inscriptions, save_settings, withdraw
from tests.speakers.conftest import Plenary, add_delegation, members, plenary_with_list

L = RepresentationLevel


def _order(plenary: Plenary) -> list[str]:
    db.session.expire_all()
    return [i.delegation.member.code for i in ordered_inscriptions(plenary.speakers_list)]


def _inscribe(plenary: Plenary, code: str, level: RepresentationLevel, **kw: object) -> SpeakerInscription:
    return inscribe(
        plenary.speakers_list,
        plenary.delegations[code],
        plenary.speakers[code].id,
        level,
        actor=plenary.focal_points[code],
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def plenary(app) -> Plenary:  # type: ignore[no-untyped-def]
    found = members()
    p = plenary_with_list()
    for code, member in found.items():
        add_delegation(p, member, ("H.E.", f"Speaker{code}", "Name"))
    return p


def test_level_then_time_regional_organisations_after_states(plenary: Plenary) -> None:
    _inscribe(plenary, "AU", L.MINISTER)  # a regional organisation follows the States, even a minister
    _inscribe(plenary, "ROU", L.AMBASSADOR)
    _inscribe(plenary, "SEN", L.MINISTER)
    _inscribe(plenary, "CAN", L.AMBASSADOR)
    _inscribe(plenary, "CHE", L.HEAD_OF_STATE)
    assert _order(plenary) == ["CHE", "SEN", "ROU", "CAN", "AU"]
    positions = [i.position for i in ordered_inscriptions(plenary.speakers_list)]
    assert positions == [1, 2, 3, 4, 5]


def test_co_chairs_and_host_first_only_when_the_host_says_so(plenary: Plenary) -> None:
    plenary.meeting.cochairs = [plenary.delegations["CAN"].member]
    plenary.meeting.country_iso3 = "CHE"
    db.session.commit()
    _inscribe(plenary, "SEN", L.MINISTER)
    _inscribe(plenary, "CAN", L.FOCAL_POINT)
    _inscribe(plenary, "CHE", L.OTHER)
    assert _order(plenary) == ["CAN", "CHE", "SEN"]

    settings = ListSettings(
        inscriptions_close_local=plenary.speakers_list.inscriptions_close_at.astimezone(plenary.meeting.zone).replace(
            tzinfo=None, second=0, microsecond=0
        ),
        seconds_per_speaker=180,
        chairs_first=False,
        is_published=False,
    )
    save_settings(plenary.session, settings, actor=plenary.host)  # those waiting are sorted again
    assert _order(plenary) == ["SEN", "CAN", "CHE"]
    _inscribe(plenary, "ROU", L.DEPUTY_MINISTER)
    assert _order(plenary) == ["SEN", "ROU", "CAN", "CHE"]
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "speakers.settings")) is not None


def test_a_delegation_inscribes_once(plenary: Plenary) -> None:
    _inscribe(plenary, "ROU", L.AMBASSADOR)
    with pytest.raises(SpeakersError, match="already on this list"):
        _inscribe(plenary, "ROU", L.MINISTER)
    assert db.session.scalar(select(db.func.count(SpeakerInscription.id))) == 1


def test_after_the_deadline_only_a_host_inscribes(app) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    found = members()
    p = plenary_with_list(close_in=timedelta(minutes=-1))
    add_delegation(p, found["ROU"], ("Ms", "Ana", "Popescu"))
    with pytest.raises(SpeakersError, match="closed"):
        _inscribe(p, "ROU", L.AMBASSADOR)
    assert _order(p) == []
    _inscribe(p, "ROU", L.AMBASSADOR, by_host=True)
    assert _order(p) == ["ROU"]


def test_the_speaker_comes_from_the_delegation(plenary: Plenary) -> None:
    with pytest.raises(SpeakersError) as caught:
        inscribe(
            plenary.speakers_list,
            plenary.delegations["ROU"],
            plenary.speakers["SEN"].id,
            L.MINISTER,
            actor=plenary.focal_points["ROU"],
        )
    assert caught.value.field == "registration_id"
    assert _order(plenary) == []


def test_a_host_move_swaps_two_delegations_is_audited_and_stays(plenary: Plenary) -> None:
    _inscribe(plenary, "ROU", L.AMBASSADOR)
    _inscribe(plenary, "SEN", L.MINISTER)
    assert _order(plenary) == ["SEN", "ROU"]
    rou = next(i for i in ordered_inscriptions(plenary.speakers_list) if i.delegation.member.code == "ROU")
    move(plenary.speakers_list, rou.id, "up", actor=plenary.host)
    assert _order(plenary) == ["ROU", "SEN"]
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "speakers.move"))
    assert entry is not None and entry.actor_id == plenary.host.id
    assert entry.details["member"] == "Romania" and entry.details["swapped_with"] == "Senegal"
    # A later minister goes after the minister inscribed before it; the host's move holds.
    _inscribe(plenary, "CAN", L.MINISTER)
    assert _order(plenary) == ["ROU", "SEN", "CAN"]
    with pytest.raises(SpeakersError):
        move(plenary.speakers_list, rou.id, "up", actor=plenary.host)


def test_withdrawing_closes_the_gap(plenary: Plenary) -> None:
    _inscribe(plenary, "ROU", L.AMBASSADOR)
    sen = _inscribe(plenary, "SEN", L.MINISTER)
    _inscribe(plenary, "CAN", L.AMBASSADOR)
    withdraw(sen, actor=plenary.focal_points["SEN"])
    assert _order(plenary) == ["ROU", "CAN"]
    assert [i.position for i in ordered_inscriptions(plenary.speakers_list)] == [1, 2]
