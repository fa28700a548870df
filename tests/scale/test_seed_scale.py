"""`flask --app eventapp seed-scale`: what it makes, and what it refuses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from eventapp.badges.tokens import make_token, verify_token
from eventapp.extensions import db
from eventapp.models import (
    Badge,
    Delegation,
    Meeting,
    Member,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Room,
    Session,
    SessionSpeaker,
)
from tests.scale.conftest import ScaleSite


def _count(query: sa.Select) -> int:  # type: ignore[type-arg]
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def test_seed_scale_makes_what_it_says(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["seed-scale", "--participants", "300", "--sessions", "40", "--members", "70"])
    assert result.exit_code == 0, result.output
    assert "Made /meetings/scale-test: 300 participants" in result.output
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == "scale-test"))
    people = db.session.scalars(sa.select(Registration).where(Registration.meeting_id == meeting.id)).all()
    assert len(people) == 300
    statuses = Counter(p.status for p in people)
    assert statuses[RegistrationStatus.APPROVED] > 0.75 * 300
    assert statuses[RegistrationStatus.WAITLISTED] and statuses[RegistrationStatus.DECLINED]
    assert all(p.decision_reason for p in people if p.status == RegistrationStatus.DECLINED)
    assert {p.category for p in people} >= {RegistrationCategory.DELEGATE, RegistrationCategory.CIVIL_SOCIETY}
    # Every approved person has exactly one live badge, and nobody else has one.
    badges = db.session.scalars(
        sa.select(Badge).join(Registration).where(Registration.meeting_id == meeting.id, Badge.revoked_at.is_(None))
    ).all()
    approved = {p.id for p in people if p.status == RegistrationStatus.APPROVED}
    assert sorted(b.registration_id for b in badges) == sorted(approved)
    assert verify_token(meeting, make_token(meeting, badges[0].token_id)).token_id == badges[0].token_id
    # 70 members: the 64 of the demo and 6 invented ones, clearly named; every one has a delegation.
    assert _count(sa.select(Member)) == 70
    assert _count(sa.select(Member).where(Member.name.like("Scale Test Member %"))) == 6
    assert _count(sa.select(Delegation).where(Delegation.meeting_id == meeting.id)) == 70
    heads = db.session.scalars(sa.select(Delegation.head_registration_id).where(Delegation.meeting_id == meeting.id))
    assert all(db.session.get(Registration, h).status == RegistrationStatus.APPROVED for h in heads if h)
    sessions = db.session.scalars(sa.select(Session).where(Session.meeting_id == meeting.id)).all()
    assert len(sessions) == 40
    days = {s.starts_at.astimezone(meeting.zone).date() for s in sessions}
    assert min(days) >= meeting.starts_on and max(days) <= meeting.ends_on
    # No room holds two sessions at once.
    assert len({(s.room_id, s.starts_at) for s in sessions}) == 40
    assert _count(sa.select(Room).where(Room.meeting_id == meeting.id)) >= 1
    assert _count(sa.select(SessionSpeaker).where(SessionSpeaker.registration_id.is_not(None))) > 0


def test_seed_scale_refuses_a_taken_slug_and_bad_numbers(runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["seed-scale", "--participants", "20", "--sessions", "3"]).exit_code == 0
    again = runner.invoke(args=["seed-scale", "--participants", "20", "--sessions", "3"])
    assert again.exit_code != 0
    assert "A meeting with the slug 'scale-test' already exists" in again.output
    assert _count(sa.select(Registration)) == 20
    for args, message in [
        (["--participants", "0"], "--participants must be at least 1"),
        (["--slug", "Not A Slug"], "must be lower-case letters, digits and dashes"),
    ]:
        result = runner.invoke(args=["seed-scale", "--slug", "other", *args])
        assert result.exit_code != 0
        assert message in result.output
    assert _count(sa.select(Meeting)) == 1
    # Another slug works, and reuses the members already there.
    other = runner.invoke(args=["seed-scale", "--participants", "20", "--sessions", "3", "--slug", "scale-2"])
    assert other.exit_code == 0, other.output
    assert _count(sa.select(Member)) == 100


def test_ten_thousand_are_made_well_under_a_minute(scale_site: Callable[[str], ScaleSite]) -> None:
    large = scale_site("large")
    report = large.report
    assert (report.participants, report.sessions, report.members) == (10_000, 500, 100)
    assert report.badges == report.approved > 8_000
    assert large.build_seconds < 30, f"seed-scale took {large.build_seconds:.1f} s for 10,000 people"
    print(f"\nseed-scale build: N=100 {scale_site('small').build_seconds:.1f} s, N=10,000 {large.build_seconds:.1f} s")
