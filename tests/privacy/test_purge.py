"""Data protection: passports deleted right after the meeting, personal data anonymised later, counts kept."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.models import AuditLog, Meeting, OutboxMessage, Registration, RegistrationCategory, RegistrationStatus
from eventapp.models.base import utcnow
from eventapp.registration.tokens import load_manage_token, make_manage_token
from tests.conftest import add_meeting
from tests.reports.helpers import add_registration


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_FOLDER": str(tmp_path)}


def meeting_ended(slug: str, days_ago: int, **fields: object) -> Meeting:
    end = utcnow().date() - timedelta(days=days_ago)
    return add_meeting(slug, starts_on=end - timedelta(days=2), ends_on=end, **fields)


def with_passport(meeting: Meeting, **fields: object) -> Registration:
    registration = add_registration(
        meeting, passport_number="X1234567", needs_visa_letter=True, passport_country="KEN", **fields
    )
    return registration


def counts(meeting: Meeting) -> Counter[tuple[object, ...]]:
    rows = db.session.execute(
        select(Registration.category, Registration.status, Registration.nationality).where(
            Registration.meeting_id == meeting.id
        )
    )
    return Counter(tuple(row) for row in rows)


def test_passports_are_deleted_once_the_meeting_is_over(runner, app):
    over = meeting_ended("2030-over", days_ago=1)
    # Ends tomorrow in UTC terms: still running in Zurich whatever the hour.
    running = meeting_ended("2030-running", days_ago=-1)
    done = with_passport(over, given_name="Wanjiru", phone="+254 700")
    kept = with_passport(running)
    no_passport = add_registration(over)

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "2030-over: deleted passport data of 1 registration(s)" in result.output
    assert "2030-running" not in result.output

    db.session.expire_all()
    assert (done.passport_number_encrypted, done.passport_country) == (None, None)
    assert done.given_name == "Wanjiru" and done.phone == "+254 700", "only passport data goes at this stage"
    assert kept.passport_number_encrypted is not None
    assert no_passport.anonymised_at is None
    assert over.passports_purged_at is not None and over.personal_data_purged_at is None
    assert running.passports_purged_at is None
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.meeting_id == over.id)) == (
        "privacy.passports_deleted"
    )


def test_personal_data_is_anonymised_after_the_retention_and_counts_survive(runner, app, tmp_path):
    meeting = meeting_ended("2029-past", days_ago=31, anonymise_after_days=30)
    (tmp_path / "face.png").write_bytes(b"png")
    people = [
        with_passport(
            meeting,
            given_name="Йоана",
            family_name="Попеску",
            phone="+40 1",
            nationality="ROU",
            dietary_needs="Vegan",
            accessibility_needs="Ramp",
            motivation="Peace",
            photo_filename="face.png",
            status=RegistrationStatus.APPROVED,
        ),
        add_registration(meeting, nationality="KEN", category=RegistrationCategory.MEDIA),
        add_registration(meeting, nationality="KEN", status=RegistrationStatus.DECLINED, decision_reason="Full"),
    ]
    token = make_manage_token(people[0])
    db.session.add(OutboxMessage(to=people[0].email, subject="Hi Йоана", body_text="...", registration_id=people[0].id))
    db.session.commit()
    before = counts(meeting)

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "2029-past: anonymised 3 registration(s)" in result.output

    db.session.expire_all()
    first = people[0]
    assert (first.given_name, first.family_name) == ("Anonymised", "Anonymised")
    assert first.email == f"anonymised-{first.id}@invalid"
    assert (first.phone, first.dietary_needs, first.accessibility_needs, first.motivation) == ("", "", "", "")
    assert first.photo_filename is None and not (tmp_path / "face.png").exists()
    assert first.passport_number_encrypted is None
    assert people[2].decision_reason == ""
    assert all(p.anonymised_at is not None for p in people)
    assert counts(meeting) == before
    assert load_manage_token(token) is None, "old manage links stop working"
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert meeting.personal_data_purged_at is not None and meeting.passports_purged_at is not None


def test_not_anonymised_before_the_retention_ends(runner, app):
    # 29 days: not yet due even where the local date is already a day ahead of UTC.
    meeting = meeting_ended("2029-recent", days_ago=29, anonymise_after_days=30)
    person = add_registration(meeting, given_name="Amina")
    result = runner.invoke(args=["purge"])
    assert "anonymised" not in result.output
    db.session.expire_all()
    assert person.given_name == "Amina" and person.anonymised_at is None
    assert meeting.passports_purged_at is not None


def test_dry_run_changes_nothing(runner, app):
    meeting = meeting_ended("2029-past", days_ago=200)
    person = with_passport(meeting, given_name="Amina")
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0
    assert "2029-past: would anonymise 1 registration(s)" in result.output
    db.session.expire_all()
    assert person.given_name == "Amina" and person.passport_number_encrypted is not None
    assert meeting.personal_data_purged_at is None


def test_purge_is_idempotent(runner, app):
    meeting = meeting_ended("2029-past", days_ago=200)
    person = add_registration(meeting)
    runner.invoke(args=["purge"])
    db.session.expire_all()
    first_time = person.anonymised_at
    email = person.email
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0
    assert result.output.strip() == "nothing to purge"
    db.session.expire_all()
    assert person.anonymised_at == first_time and person.email == email
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.meeting_id == meeting.id)).all()
    assert actions == ["privacy.anonymised"]


def test_the_meeting_is_over_when_its_own_last_day_is_over(app):
    from datetime import UTC, date, datetime

    from eventapp.privacy.purge import run_purge

    auckland = add_meeting(
        "2030-auckland", timezone="Pacific/Auckland", starts_on=date(2030, 3, 4), ends_on=date(2030, 3, 5)
    )
    with_passport(auckland)
    # 5 March 20:00 UTC is already 6 March 09:00 in Auckland: the meeting is over there.
    report = run_purge(now=datetime(2030, 3, 5, 20, 0, tzinfo=UTC))
    assert [p.meeting.slug for p in report.passports] == ["2030-auckland"]
    # The same instant for a meeting in New York (5 March, 15:00 there) is still its last day.
    new_york = add_meeting(
        "2030-new-york", timezone="America/New_York", starts_on=date(2030, 3, 4), ends_on=date(2030, 3, 5)
    )
    with_passport(new_york)
    assert run_purge(now=datetime(2030, 3, 5, 20, 0, tzinfo=UTC)).passports == []
