"""The demo network holds the facts of the founding communiqués."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from eventapp.demo.seed import MEMBERS_CSV, next_open_debate_dates, seed_demo
from eventapp.extensions import db
from eventapp.models import Meeting, MeetingKind, MeetingStatus, Member, MemberKind, Role, Session, User

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_members_of_the_2023_communique(app: object) -> None:
    seed_demo(today=date(2026, 11, 23))
    states = db.session.scalars(select(Member).where(Member.kind == MemberKind.STATE)).all()
    orgs = db.session.scalars(select(Member).where(Member.kind == MemberKind.REGIONAL_ORGANISATION)).all()
    assert (len(states), len(orgs)) == (57, 7)
    by_code = {m.code: m for m in [*states, *orgs]}
    assert by_code["CIV"].name == "Côte d'Ivoire"
    assert by_code["CIV"].sort_name == "Cote d'Ivoire"
    assert by_code["COD"].name == "the Democratic Republic of the Congo"
    assert by_code["COD"].sort_name == "Democratic Republic of the Congo"
    assert by_code["ECOWAS"].name == "the Economic Community of West African States (ECOWAS)"
    assert by_code["MDA"].iso3 == "MDA"
    assert all(m.iso3 is None for m in orgs)


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"founding documents not found at {SEEDS}")
def test_every_member_name_is_written_as_in_the_communique() -> None:
    text = (SEEDS / "2023-5th-capital-level-communique.txt").read_text(encoding="utf-8")
    listing = text.split("representing", 1)[1].split("present in Washington", 1)[0]
    names = [n.strip() for n in re.split(r",\s+(?![^()]*\))", listing) if n.strip()]
    csv_names = [line.split(",", 3)[3] for line in MEMBERS_CSV.read_text(encoding="utf-8").splitlines()[1:]]
    assert csv_names == names


def test_the_5th_capital_level_meeting(app: object) -> None:
    seed_demo(today=date(2026, 11, 23))
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "2023-washington"))
    assert meeting.kind == MeetingKind.CAPITAL_LEVEL
    assert meeting.number == 5
    assert (meeting.starts_on, meeting.ends_on) == (date(2023, 6, 6), date(2023, 6, 9))
    assert meeting.city == "Washington, D.C."
    assert meeting.timezone == "America/New_York"
    assert [m.code for m in meeting.cochairs] == ["ROU", "USA"]
    assert meeting.secretariat == "UN Women"
    assert "adaptability and evolution of WPS" in meeting.theme
    sessions = db.session.scalars(select(Session).where(Session.meeting_id == meeting.id)).all()
    titles = {s.title for s in sessions}
    assert {
        meeting.theme,
        "The Role and Responsibilities of WPS Focal Points",
        "National Action Plan Implementation",
        "WPS Sustainability & WPS Centers of Excellence",
    } <= titles
    opening = min(sessions, key=lambda s: s.starts_at)
    local = opening.starts_at.astimezone(meeting.zone)
    assert (local.date(), local.time()) == (date(2023, 6, 7), time(9, 30))
    assert opening.starts_at.utcoffset().total_seconds() == 0  # stored in UTC


def test_foundational_and_upcoming_meetings(app: object) -> None:
    seed_demo(today=date(2026, 11, 23))
    founding = db.session.scalar(select(Meeting).where(Meeting.slug == "2016-new-york"))
    assert founding.starts_on == date(2016, 9, 23)
    assert founding.city == "New York"
    upcoming = db.session.scalar(select(Meeting).where(Meeting.kind == MeetingKind.OPEN_DEBATE))
    assert upcoming.starts_on > date(2026, 11, 23)
    assert upcoming.status == MeetingStatus.PUBLISHED
    assert upcoming.registration_is_open()


def test_upcoming_meeting_is_always_ahead() -> None:
    for today in (date(2026, 1, 1), date(2026, 8, 28), date(2026, 8, 29), date(2026, 12, 31)):
        start, end = next_open_debate_dates(today)
        assert (start - today).days >= 56
        assert end > start


def test_seed_is_idempotent_and_makes_every_role(app: object) -> None:
    first = seed_demo(today=date(2026, 11, 23))
    counts = (_count(Member), _count(Meeting), _count(Session), _count(User))
    second = seed_demo(today=date(2026, 11, 23))
    assert (_count(Member), _count(Meeting), _count(Session), _count(User)) == counts
    assert len(first.users_created) == 4 and second.users_created == []
    assert second.meetings_created == []
    assert {u.role for u in db.session.scalars(select(User))} == set(Role)
    focal = db.session.scalar(select(User).where(User.role == Role.FOCAL_POINT))
    assert focal.member.code == "ROU"


def test_seed_keeps_an_admins_edit(app: object) -> None:
    seed_demo(today=date(2026, 11, 23))
    member = db.session.scalar(select(Member).where(Member.code == "NLD"))
    member.name = "the Netherlands"
    db.session.commit()
    seed_demo(today=date(2026, 11, 23))
    db.session.expire_all()
    assert db.session.scalar(select(Member.name).where(Member.code == "NLD")) == "the Netherlands"
