"""`flask --app eventapp export-meeting SLUG`: a full, faithful JSON export of one meeting."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskCliRunner

from eventapp.demo.scale import seed_scale
from eventapp.extensions import db
from eventapp.models import (
    Badge,
    CheckIn,
    Delegation,
    Meeting,
    Registration,
    Room,
    Session,
    SessionAttendance,
    SessionSpeaker,
)
from eventapp.privacy.crypto import decrypt_text, encrypt_text

NAMES = [("فاطمة", "الحسن"), ("秀英", "王"), ("Zoë", "Nguyễn"), ("ნინო", "ბერიძე")]


def _count(model: type, *where: Any) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def _meeting_with_people() -> Meeting:
    seed_scale(participants=120, sessions=12, members=20, slug="export-me")
    seed_scale(participants=30, sessions=3, members=20, slug="another-meeting")  # must not leak in
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == "export-me"))
    for i, (given, family) in enumerate(NAMES):
        db.session.add(
            Registration(
                meeting_id=meeting.id,
                category="civil_society",
                given_name=given,
                family_name=family,
                email=f"named{i}@example.org",
                needs_visa_letter=True,
                passport_number_encrypted=encrypt_text(f"ZX{i}99887766"),
                passport_expiry_encrypted=encrypt_text("2031-07-15"),
                passport_country="FRA",
            )
        )
    db.session.commit()
    return meeting


def _export(runner: FlaskCliRunner, tmp_path: Path, slug: str = "export-me") -> tuple[str, dict[str, Any]]:
    target = tmp_path / "export.json"
    result = runner.invoke(args=["export-meeting", slug, "--output", str(target), "--force"])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    return text, json.loads(text)


def test_export_matches_the_database(runner: FlaskCliRunner, tmp_path: Path) -> None:
    meeting = _meeting_with_people()
    _, data = _export(runner, tmp_path)
    assert (data["format"], data["schema_version"]) == ("wps-meeting-export", 1)
    assert data["meeting"]["slug"] == "export-me"
    mine = Registration.meeting_id == meeting.id
    expected = {
        "registrations": _count(Registration, mine),
        "delegations": _count(Delegation, Delegation.meeting_id == meeting.id),
        "rooms": _count(Room, Room.meeting_id == meeting.id),
        "sessions": _count(Session, Session.meeting_id == meeting.id),
        "checkins": _count(CheckIn, CheckIn.meeting_id == meeting.id),
        "badges": db.session.scalar(sa.select(sa.func.count(Badge.id)).join(Registration).where(mine)),
    }
    assert expected["registrations"] == 124 and expected["badges"] > 80 and expected["checkins"] > 0
    for key, n in expected.items():
        assert len(data[key]) == n, key
        assert data["counts"][key] == n, key
    assert len(data["members"]) == 20
    speakers = sum(len(s["speakers"]) for s in data["sessions"])
    assert speakers == db.session.scalar(
        sa.select(sa.func.count(SessionSpeaker.id)).join(Session).where(Session.meeting_id == meeting.id)
    )
    attendees = sum(len(s["attendees"]) for s in data["sessions"])
    assert attendees == db.session.scalar(
        sa.select(sa.func.count(SessionAttendance.id)).join(Session).where(Session.meeting_id == meeting.id)
    )
    # Statuses, decisions and capacities as stored.
    statuses = dict(db.session.execute(sa.select(Registration.id, Registration.status).where(mine)).tuples().all())
    assert {r["id"]: r["status"] for r in data["registrations"]} == {i: s.value for i, s in statuses.items()}
    assert all(r["decision_reason"] for r in data["registrations"] if r["status"] == "declined")
    assert data["capacities"]["meeting"] == meeting.capacity
    assert sum(data["capacities"]["categories"].values()) == meeting.capacity
    # Nothing of the other meeting.
    assert not any("another-meeting" in r["email"] for r in data["registrations"])
    # Lists in a fixed order; times ISO 8601 in UTC.
    for key in ("registrations", "sessions", "badges", "checkins", "rooms", "delegations"):
        ids = [row["id"] for row in data[key]]
        assert ids == sorted(ids), key
    for stamp in [data["exported_at"], *(c["scanned_at"] for c in data["checkins"])]:
        assert stamp.endswith("Z")
        assert datetime.fromisoformat(stamp).tzinfo == UTC


def test_names_in_every_script_are_exported_exactly(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _meeting_with_people()
    text, data = _export(runner, tmp_path)
    exported = {(r["given_name"], r["family_name"]) for r in data["registrations"]}
    for given, family in NAMES:
        assert (given, family) in exported
        assert given in text and family in text  # written as themselves, not as \\u escapes


def test_passport_details_never_leave(runner: FlaskCliRunner, tmp_path: Path) -> None:
    meeting = _meeting_with_people()
    text, data = _export(runner, tmp_path)
    stored = db.session.execute(
        sa.select(Registration.passport_number_encrypted, Registration.passport_expiry_encrypted).where(
            Registration.meeting_id == meeting.id, Registration.passport_number_encrypted.is_not(None)
        )
    ).all()
    assert len(stored) > 4
    for number, expiry in stored:
        assert decrypt_text(number) not in text and number not in text
        assert expiry not in text
    assert "2031-07-15" not in text
    assert "passport_number" not in text and "passport_expiry" not in text
    on_file = [r for r in data["registrations"] if r["passport_details_on_file"]]
    assert len(on_file) == len(stored)
    assert meeting.badge_signing_key not in text


def test_two_exports_differ_only_in_their_time(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _meeting_with_people()
    first = _export(runner, tmp_path)[1]
    second = _export(runner, tmp_path)[1]
    first.pop("exported_at")
    second.pop("exported_at")
    assert first == second


def test_export_to_stdout_and_unknown_slug(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _meeting_with_people()
    result = runner.invoke(args=["export-meeting", "export-me"])
    assert result.exit_code == 0
    assert json.loads(result.output)["meeting"]["slug"] == "export-me"
    missing = runner.invoke(args=["export-meeting", "no-such-meeting", "--output", str(tmp_path / "x.json")])
    assert missing.exit_code != 0
    assert "No meeting with the slug 'no-such-meeting'." in missing.output
    assert not (tmp_path / "x.json").exists()


def test_export_does_not_replace_a_file_unless_forced(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _meeting_with_people()
    target = tmp_path / "kept.json"
    target.write_text("an earlier export", encoding="utf-8")
    refused = runner.invoke(args=["export-meeting", "export-me", "--output", str(target)])
    assert refused.exit_code != 0
    assert "exists: nothing written. Add --force to replace it." in refused.output
    assert target.read_text(encoding="utf-8") == "an earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]  # no partial file left

    fresh = tmp_path / "new.json"
    assert runner.invoke(args=["export-meeting", "export-me", "--output", str(fresh)]).exit_code == 0
    assert json.loads(fresh.read_text(encoding="utf-8"))["meeting"]["slug"] == "export-me"

    forced = runner.invoke(args=["export-meeting", "export-me", "--output", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(target.read_text(encoding="utf-8"))["meeting"]["slug"] == "export-me"
