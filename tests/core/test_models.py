from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from eventapp.extensions import db
from eventapp.models import AuditLog, Member, MemberKind, Role, Session, User
from tests.conftest import add_meeting


def test_timestamps_come_back_aware_in_utc(app: object) -> None:
    plus_three = timezone(timedelta(hours=3))
    meeting = add_meeting(registration_opens_at=datetime(2030, 1, 1, 12, 0, tzinfo=plus_three))
    db.session.expire_all()
    stored = db.session.get(type(meeting), meeting.id)
    assert stored.registration_opens_at == datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    assert stored.registration_opens_at.utcoffset() == timedelta(0)
    assert stored.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(app: object) -> None:
    meeting = add_meeting()
    meeting.registration_opens_at = datetime(2030, 1, 1, 12, 0)
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_focal_point_must_be_bound_to_a_member(app: object) -> None:
    db.session.add(User(email="x@example.org", role=Role.FOCAL_POINT, password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_state_needs_iso3_and_organisation_must_not_have_one(app: object) -> None:
    db.session.add(Member(kind=MemberKind.STATE, code="XXX", name="Nowhere", sort_name="Nowhere"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Member(kind=MemberKind.REGIONAL_ORGANISATION, iso3="EUU", code="EU", name="EU", sort_name="EU"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_session_must_end_after_it_starts(app: object) -> None:
    meeting = add_meeting()
    start = datetime(2030, 1, 1, 9, tzinfo=UTC)
    db.session.add(Session(meeting=meeting, title="Backwards", starts_at=start, ends_at=start - timedelta(hours=1)))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_meeting_registration_window(app: object) -> None:
    now = datetime(2030, 5, 1, tzinfo=UTC)
    meeting = add_meeting(registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=1))
    assert meeting.registration_state(now) == "open"
    assert meeting.registration_state(now - timedelta(days=2)) == "not_yet"
    assert meeting.registration_state(now + timedelta(days=2)) == "closed"


def test_audit_details_are_stored_as_json(app: object) -> None:
    db.session.add(AuditLog(action="test.do", entity_type="Thing", entity_id=1, details={"a": [1, "b"]}))
    db.session.commit()
    assert db.session.scalar(sa.select(AuditLog.details)) == {"a": [1, "b"]}


def test_passwords_are_hashed_with_scrypt_in_the_app() -> None:
    import eventapp.models.users as users_module

    source = users_module.__loader__.get_source(users_module.__name__)  # the shipped default, not the test patch
    assert 'PASSWORD_HASH_METHOD = "scrypt"' in source
    user = User(email="a@example.org", role=Role.HOST)
    user.set_password("a long enough password")
    assert user.password_hash != "a long enough password"
    assert user.check_password("a long enough password")
    assert not user.check_password("another password")
