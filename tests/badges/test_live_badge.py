"""One live badge per registration, and one signing key per meeting, whatever another request did meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import event

from eventapp.badges import tokens
from eventapp.badges.services import badge_token, issue_badge, reissue_badge
from eventapp.badges.tokens import ensure_meeting_key, make_token, new_token_id, verify_token
from eventapp.checkin.attendance import scanner_bundle
from eventapp.extensions import db
from eventapp.models import Badge, Meeting, MeetingKind, Registration, RegistrationCategory
from eventapp.models.base import utcnow
from tests.checkin.builders import add_registration
from tests.conftest import add_meeting, make_app


@contextmanager
def another_request_first(fragment: str, work: Any) -> Iterator[list[str]]:
    """Run `work(connection)` on a connection of its own, committed, just before our statement containing `fragment`."""
    ran: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if fragment in statement and not ran:
            ran.append(statement)
            with db.engine.begin() as other:
                work(other)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield ran
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def live_badges(registration_id: int) -> list[Badge]:
    query = sa.select(Badge).where(Badge.registration_id == registration_id, Badge.revoked_at.is_(None))
    return list(db.session.scalars(query))


def test_a_key_stored_meanwhile_is_the_one_that_signs(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    assert meeting.badge_public_key is None
    # Another worker makes the meeting's first badge after this request has read the meeting.
    other = make_app(db.engine.url.render_as_string(hide_password=False))
    with other.app_context():
        stored = db.session.get(Meeting, meeting.id)
        ensure_meeting_key(stored)
        db.session.commit()
        theirs = stored.badge_public_key
        db.session.remove()
        db.engine.dispose()
    token = badge_token(issue_badge(person))
    db.session.commit()
    assert meeting.badge_public_key == theirs
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).badge_public_key == theirs
    assert verify_token(meeting, token).token_id == live_badges(person.id)[0].token_id


def test_a_token_is_signed_only_with_a_stored_key(app):
    meeting = add_meeting()
    with pytest.raises(tokens.MissingKey):
        make_token(meeting, new_token_id())


def test_a_badge_made_meanwhile_by_another_request_is_the_one_issued(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    ensure_meeting_key(meeting)
    db.session.commit()
    theirs = new_token_id()

    def insert_theirs(conn: Any) -> None:
        conn.execute(sa.insert(Badge).values(registration_id=person.id, token_id=theirs, issued_at=utcnow()))

    with another_request_first("INSERT INTO badges", insert_theirs) as ran:
        badge = issue_badge(person)
        db.session.commit()
    assert ran
    assert badge.token_id == theirs
    assert [b.token_id for b in live_badges(person.id)] == [theirs]
    assert [p["token_id"] for p in scanner_bundle(meeting)["roster"]] == [theirs]


def test_the_database_refuses_a_second_live_badge(app):
    meeting = add_meeting()
    person = add_registration(meeting, "Ana", "Pop")
    first = issue_badge(person)
    db.session.commit()
    db.session.add(Badge(registration_id=person.id, token_id=new_token_id(), issued_at=utcnow()))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    # Revoked badges do not count: a reissue leaves one live badge beside the old ones.
    second = reissue_badge(person)
    db.session.commit()
    third = reissue_badge(person)
    db.session.commit()
    assert [b.id for b in live_badges(person.id)] == [third.id]
    assert len({first.id, second.id, third.id}) == 3


def _insert_at_this_revision(model: Any, **values: Any) -> int:
    """One row in `model`'s table as the database's revision has it: later columns left out, the
    model's defaults for the others (the ORM would write every column the model has today)."""
    table = sa.Table(model.__tablename__, sa.MetaData(), autoload_with=db.session.connection())
    row: dict[str, Any] = {}
    for column in table.c:
        mapped = model.__table__.c.get(column.name)
        if column.name in values:
            row[column.name] = values[column.name]
        elif mapped is not None and mapped.default is not None and not column.primary_key:
            row[column.name] = mapped.default.arg(None) if mapped.default.is_callable else mapped.default.arg
    row = {name: value.value if isinstance(value, Enum) else value for name, value in row.items()}
    return db.session.execute(sa.insert(table).values(row)).inserted_primary_key[0]


def test_the_migration_keeps_the_newest_of_several_live_badges(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    with app.app_context():
        upgrade(revision="0004")
        start = utcnow().date()
        meeting_id = _insert_at_this_revision(
            Meeting,
            slug="2030-geneva",
            kind=MeetingKind.CAPITAL_LEVEL,
            title="Geneva",
            city="Geneva",
            timezone="Europe/Zurich",
            starts_on=start,
            ends_on=start,
        )
        person_id, other_id = (
            _insert_at_this_revision(
                Registration,
                meeting_id=meeting_id,
                category=RegistrationCategory.CIVIL_SOCIETY,
                given_name=given,
                family_name=family,
                email=f"{given.lower()}@example.org",
            )
            for given, family in (("Ana", "Pop"), ("Ama", "Mensah"))
        )
        for registration_id in (person_id, person_id, other_id, person_id):
            _insert_at_this_revision(
                Badge, registration_id=registration_id, token_id=new_token_id(), issued_at=utcnow()
            )
        db.session.commit()
        badges = sa.Table("badges", sa.MetaData(), autoload_with=db.engine)
        ids = {
            r: list(db.session.scalars(sa.select(badges.c.id).where(badges.c.registration_id == r)))
            for r in (person_id, other_id)
        }
        db.session.remove()
        upgrade()
        assert [b.id for b in live_badges(person_id)] == [max(ids[person_id])]
        assert [b.id for b in live_badges(other_id)] == ids[other_id]
        revoked = db.session.scalars(sa.select(Badge).where(Badge.revoked_at.is_not(None))).all()
        assert sorted(b.id for b in revoked) == sorted(ids[person_id])[:-1]
        assert all(b.revoked_at.tzinfo is not None for b in revoked)
        db.session.remove()
        downgrade(revision="0004")
        db.engine.dispose()
