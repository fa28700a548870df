"""Deleting personal data after a meeting: passports right after it, everything personal later.

What stays: each registration row with its category, status, nationality, country and
organisation, so the counts of who took part survive. Running it again does nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import select

from eventapp.audit.services import record
from eventapp.badges.photos import discard_crop
from eventapp.extensions import db
from eventapp.models import Meeting, MessageRecipient, OutboxMessage, Registration
from eventapp.models.base import utcnow
from eventapp.names.collation import sort_key

ANONYMISED_NAME = "Anonymised"


@dataclass
class MeetingPurge:
    meeting: Meeting
    #: Registrations whose data was (or, in a dry run, would be) removed.
    registrations: int


@dataclass
class PurgeReport:
    dry_run: bool
    passports: list[MeetingPurge] = field(default_factory=list)
    anonymised: list[MeetingPurge] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What was done, one line per meeting and step, for the command line."""
        verb = "would delete" if self.dry_run else "deleted"
        out = [f"{p.meeting.slug}: {verb} passport data of {p.registrations} registration(s)" for p in self.passports]
        verb = "would anonymise" if self.dry_run else "anonymised"
        out += [f"{p.meeting.slug}: {verb} {p.registrations} registration(s)" for p in self.anonymised]
        return out or ["nothing to purge"]


def local_today(meeting: Meeting, now: datetime) -> date:
    return now.astimezone(meeting.zone).date()


def passports_due(meeting: Meeting, now: datetime) -> bool:
    """Passport data goes as soon as the meeting's last day is over, in the meeting's own time zone."""
    return meeting.passports_purged_at is None and local_today(meeting, now) > meeting.ends_on


def anonymisation_due(meeting: Meeting, now: datetime) -> bool:
    if meeting.personal_data_purged_at is not None:
        return False
    return local_today(meeting, now) > meeting.ends_on + timedelta(days=meeting.anonymise_after_days)


def _with_passport(meeting: Meeting) -> sa.ColumnElement[bool]:
    return sa.and_(
        Registration.meeting_id == meeting.id,
        sa.or_(
            Registration.passport_number_encrypted.is_not(None),
            Registration.passport_expiry_encrypted.is_not(None),
            Registration.passport_country.is_not(None),
        ),
    )


def _not_anonymised(meeting: Meeting) -> sa.ColumnElement[bool]:
    return sa.and_(Registration.meeting_id == meeting.id, Registration.anonymised_at.is_(None))


def _count(condition: sa.ColumnElement[bool]) -> int:
    return db.session.scalar(select(sa.func.count()).select_from(Registration).where(condition)) or 0


def purge_passports(meeting: Meeting, now: datetime) -> int:
    """Clear every passport column of the meeting's registrations (the caller commits)."""
    condition = _with_passport(meeting)
    count = _count(condition)
    db.session.execute(
        sa.update(Registration)
        .where(condition)
        .values(passport_number_encrypted=None, passport_expiry_encrypted=None, passport_country=None)
        .execution_options(synchronize_session=False)
    )
    meeting.passports_purged_at = now
    record("privacy.passports_deleted", meeting, meeting_id=meeting.id, details={"registrations": count})
    return count


def _photo_folder() -> Path:
    return Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")


def _delete_photos(names: list[str]) -> None:
    folder = _photo_folder()
    for name in names:
        if name and Path(name).name == name:  # a bare file name, never a path out of the folder
            (folder / name).unlink(missing_ok=True)
            discard_crop(name)  # and the copy cut to the badge's shape


def anonymise_meeting(meeting: Meeting, now: datetime) -> tuple[int, list[str]]:
    """Replace personal data by placeholders, keeping category, status and nationality (the caller commits).

    Returns how many registrations changed and the photo files to delete once the change is committed.
    """
    condition = _not_anonymised(meeting)
    rows = db.session.execute(select(Registration.id, Registration.photo_filename).where(condition)).all()
    ids = [row.id for row in rows]
    if ids:
        email = sa.literal("anonymised-") + sa.cast(Registration.id, sa.String) + sa.literal("@invalid")
        db.session.execute(
            sa.update(Registration)
            .where(condition)
            .values(
                given_name=ANONYMISED_NAME,
                family_name=ANONYMISED_NAME,
                badge_name="",
                latin_name="",
                name_order=None,
                # The collation key is written from the name: it goes with it (bulk updates skip the ORM's hook).
                name_sort_key=sort_key(ANONYMISED_NAME, ANONYMISED_NAME),
                honorific="",
                position="",
                email=email,
                phone="",
                gender="",
                accessibility_needs="",
                dietary_needs="",
                motivation="",
                decision_reason="",
                photo_filename=None,
                passport_number_encrypted=None,
                passport_expiry_encrypted=None,
                passport_country=None,
                # Revoke every manage link and calendar feed address issued to the person.
                manage_token_version=Registration.manage_token_version + 1,
                calendar_token_version=Registration.calendar_token_version + 1,
                anonymised_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        # The log of group messages keeps that a message went, not to whom by name or address.
        db.session.execute(
            sa.update(MessageRecipient)
            .where(MessageRecipient.registration_id.in_(ids))
            .values(
                name=ANONYMISED_NAME,
                email="anonymised-" + sa.cast(MessageRecipient.registration_id, sa.String) + "@invalid",
                outbox_message_id=None,
            )
            .execution_options(synchronize_session=False)
        )
        # Messages sent to the person carry their name and address.
        db.session.execute(
            sa.delete(OutboxMessage)
            .where(OutboxMessage.registration_id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    meeting.personal_data_purged_at = now
    if meeting.passports_purged_at is None:
        meeting.passports_purged_at = now
    record("privacy.anonymised", meeting, meeting_id=meeting.id, details={"registrations": len(ids)})
    return len(ids), [row.photo_filename for row in rows if row.photo_filename]


def run_purge(*, dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Purge every meeting that is due; one transaction for the whole run."""
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run)
    photos: list[str] = []
    meetings = db.session.scalars(
        select(Meeting)
        .where(sa.or_(Meeting.passports_purged_at.is_(None), Meeting.personal_data_purged_at.is_(None)))
        .order_by(Meeting.ends_on, Meeting.id)
    ).all()
    try:
        for meeting in meetings:
            if anonymisation_due(meeting, now):
                if dry_run:
                    count = _count(_not_anonymised(meeting))
                else:
                    count, names = anonymise_meeting(meeting, now)
                    photos += names
                report.anonymised.append(MeetingPurge(meeting, count))
            elif passports_due(meeting, now):
                count = _count(_with_passport(meeting)) if dry_run else purge_passports(meeting, now)
                report.passports.append(MeetingPurge(meeting, count))
        if dry_run:
            db.session.rollback()
            return report
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    # Files go only once the database change is safe.
    _delete_photos(photos)
    return report
