"""A seeded world for the security tests: one meeting with everything a route can point at.

Member A and member B with a focal point each and an invited delegation; an approved applicant X
with a manage link, a photo, a badge, a visa letter and a personal agenda; a submitted applicant
Y; open, delegations-only and invitation-only sessions; rooms; a badge batch; an email with an
attachment; a scanning device token; and a draft meeting. Secrets that the tests reuse across
rebuilds (invitation and device tokens) are fixed, so cookies and headers stay valid.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from itsdangerous import URLSafeSerializer

from eventapp.badges.services import badge_token, issue_badge
from eventapp.extensions import db
from eventapp.models import (
    BadgeBatch,
    BadgeBatchStatus,
    Delegation,
    DeviceToken,
    GroupMessage,
    Meeting,
    MeetingStatus,
    Member,
    MemberKind,
    MessageTemplate,
    OutboxMessage,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    Role,
    Room,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionStatus,
    SessionType,
)
from eventapp.models.base import utcnow
from eventapp.privacy.crypto import encrypt_text
from eventapp.registration.tokens import CALENDAR_SALT, MANAGE_SALT, make_calendar_token, make_manage_token
from tests.bilaterals.world_part import seed_bilaterals
from tests.conftest import add_meeting, add_user
from tests.security.world_accounts import add_accounts_world
from tests.speakers.world_part import seed_speakers

# A real 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SLUG = "2031-matrix"
DRAFT_SLUG = "2031-draft"
INVITATION_A = "invitation-token-of-member-a-fixed-for-tests"
INVITATION_B = "invitation-token-of-member-b-fixed-for-tests"
DEVICE_TOKEN = "evd_device-token-fixed-for-tests"
PHOTO_FILE = "world-photo-x.png"
BATCH_FILE = f"world-batch-{os.getpid()}.pdf"  # several test runs may share instance/
EMAILS = {
    "admin": "admin@example.org",
    "host": "host@example.org",
    "focal_point_a": "fp-a@example.org",
    "focal_point_b": "fp-b@example.org",
    "scanner": "scanner@example.org",
}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def forged(salt: str, registration_id: int) -> str:
    """A well-formed token for this registration, signed with a key the app does not have."""
    return str(URLSafeSerializer("not-the-app-secret", salt=salt).dumps([registration_id, 1]))


@dataclass
class World:
    slug: str
    draft_slug: str
    meeting_id: int
    member_a_code: str
    member_b_code: str
    delegation_a: int
    delegation_b: int
    delegate_a: int
    delegate_b: int
    registrant_x: int
    registrant_y: int
    session_open: int
    session_picked: int
    session_delegations: int
    session_invitation: int
    session_cancelled: int
    room: int
    spare_room: int
    batch: int
    message: int
    user_ids: dict[str, int]
    manage_token_x: str
    calendar_token_x: str
    badge_token_x: str
    first_day: date
    #: Bilaterals (tests/bilaterals/world_part.py): B asked A; A and B agreed; B and D agreed (hidden from A).
    delegation_d: int = 0
    bilateral_room: int = 0
    bilateral_answer: int = 0
    bilateral_proposal: int = 0
    bilateral_agreed: int = 0
    bilateral_hidden: int = 0
    #: A message to participants and a message template (eventapp/messaging).
    group_message: int = 0
    message_template: int = 0

    @property
    def forged_manage_token(self) -> str:
        return forged(MANAGE_SALT, self.registrant_y)

    @property
    def forged_calendar_token(self) -> str:
        return forged(CALENDAR_SALT, self.registrant_y)

    def local(self, day: int, hour: int) -> str:
        """A datetime-local form value on the meeting's `day` (0 = first day)."""
        return (
            datetime.combine(self.first_day + timedelta(days=day), datetime.min.time()) + timedelta(hours=hour)
        ).strftime("%Y-%m-%dT%H:%M")


def _person(meeting: Meeting, given: str, family: str, **fields: object) -> Registration:
    values: dict[str, object] = {
        "meeting": meeting,
        "category": RegistrationCategory.CIVIL_SOCIETY,
        "status": RegistrationStatus.APPROVED,
        "given_name": given,
        "family_name": family,
        "email": f"{family.lower()}@example.org",
    }
    values.update(fields)
    registration = Registration(**values)
    db.session.add(registration)
    return registration


def _session(meeting: Meeting, title: str, day: int, hour: int, **fields: object) -> Session:
    start = datetime.combine(meeting.starts_on + timedelta(days=day), datetime.min.time()).replace(
        hour=hour, tzinfo=meeting.zone
    )
    values: dict[str, object] = {"type": SessionType.PLENARY, "access": SessionAccess.OPEN}
    values.update(fields)
    session = Session(meeting_id=meeting.id, title=title, starts_at=start, ends_at=start + timedelta(hours=1), **values)
    db.session.add(session)
    return session


def build_world(text: Callable[[str], str] = lambda plain: plain) -> World:
    """Seed every table a route reads; `text` dresses each human-written string (injection tests)."""
    now = utcnow()
    member_a = Member(kind=MemberKind.STATE, iso3="ROU", code="ROU", name=text("Romania"), sort_name="Romania")
    member_b = Member(kind=MemberKind.STATE, iso3="SEN", code="SEN", name=text("Senegal"), sort_name="Senegal")
    member_c = Member(kind=MemberKind.REGIONAL_ORGANISATION, code="AU", name="the African Union", sort_name="African")
    db.session.add_all([member_a, member_b, member_c])
    db.session.commit()
    users = {role: add_user(EMAILS[role], Role(role), None) for role in ("admin", "host", "scanner")}
    users["focal_point_a"] = add_user(EMAILS["focal_point_a"], Role.FOCAL_POINT, member_a)
    users["focal_point_b"] = add_user(EMAILS["focal_point_b"], Role.FOCAL_POINT, member_b)

    meeting = add_meeting(
        SLUG,
        title=text("Matrix meeting"),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=30),
        agenda_published=True,
        host_ministry="Ministry of Foreign Affairs",
    )
    add_meeting(DRAFT_SLUG, status=MeetingStatus.DRAFT, agenda_published=True)

    delegation_a = Delegation(
        meeting=meeting, member=member_a, invitation_token_hash=_sha256(INVITATION_A), invited_at=now
    )
    delegation_b = Delegation(
        meeting=meeting, member=member_b, invitation_token_hash=_sha256(INVITATION_B), invited_at=now
    )
    db.session.add_all([delegation_a, delegation_b])
    delegate_a = _person(
        meeting, text("Ana"), "Popescu", delegation=delegation_a, category=RegistrationCategory.DELEGATE
    )
    delegate_b = _person(
        meeting, text("Awa"), "Ndiaye", delegation=delegation_b, category=RegistrationCategory.DELEGATE
    )
    registrant_x = _person(
        meeting,
        text("Xenia"),
        text("Applicant"),
        email="xenia@example.org",
        organisation=text("Women Mediators"),
        needs_visa_letter=True,
        passport_number_encrypted=encrypt_text("P1234567"),
        passport_expiry_encrypted=encrypt_text("2035-01-01"),
        photo_filename=PHOTO_FILE,
        dietary_needs=text("Vegetarian"),
        consent_data_processing=True,
    )
    registrant_y = _person(
        meeting,
        text("Yusuf"),
        text("Pending"),
        email="yusuf@example.org",
        status=RegistrationStatus.SUBMITTED,
        organisation=text("Peace Institute"),
        motivation=text("Mediation work"),
        consent_data_processing=True,
    )
    room = Room(meeting=meeting, name=text("Plenary hall"), capacity=200, floor="1")
    spare_room = Room(meeting=meeting, name=text("Side room"))
    db.session.add_all([room, spare_room])
    db.session.commit()

    session_open = _session(meeting, text("Opening plenary"), 0, 9, room_id=room.id, description=text("Welcome"))
    session_open.speakers = [SessionSpeaker(name=text("Amina Speaker"), position=0)]
    session_picked = _session(meeting, text("Working session"), 0, 11, type=SessionType.WORKING)
    session_delegations = _session(meeting, text("Closed session"), 0, 14, access=SessionAccess.DELEGATIONS)
    session_invitation = _session(meeting, text("Invited dinner"), 1, 19, access=SessionAccess.INVITATION)
    session_cancelled = _session(meeting, text("Field visit"), 1, 9, status=SessionStatus.CANCELLED)
    db.session.flush()
    db.session.add(SessionAttendance(session_id=session_picked.id, registration_id=registrant_x.id))
    db.session.add(DeviceToken(meeting_id=meeting.id, name="door tablet", token_hash=_sha256(DEVICE_TOKEN)))
    batch = BadgeBatch(
        meeting_id=meeting.id, layout="a6", status=BadgeBatchStatus.DONE, filename=BATCH_FILE, badge_count=1
    )
    db.session.add(batch)
    message = OutboxMessage(
        to=registrant_x.email,
        subject=text("Your registration"),
        body_text="Hello",
        attachments=[
            {
                "filename": "meeting.ics",
                "content_type": "text/calendar",
                "data": base64.b64encode(b"BEGIN:VCALENDAR").decode(),
            }
        ],
        meeting_id=meeting.id,
        registration_id=registrant_x.id,
    )
    db.session.add(message)
    group_message = GroupMessage(
        meeting_id=meeting.id, versions={"en": {"subject": "Doors open", "body": "At 8."}}, audience={}
    )
    message_template = MessageTemplate(name="Doors open", versions={"en": {"subject": "Doors open", "body": "At 8."}})
    db.session.add_all([group_message, message_template])
    badge = issue_badge(registrant_x)
    db.session.commit()
    add_accounts_world(member_a, member_b, users)
    bilaterals = seed_bilaterals(meeting, delegation_a, delegation_b)
    seed_speakers(meeting, session_open, session_picked, (delegate_a, delegate_b))
    _write_files()
    return World(
        **bilaterals,
        slug=meeting.slug,
        draft_slug=DRAFT_SLUG,
        meeting_id=meeting.id,
        member_a_code=member_a.code,
        member_b_code=member_b.code,
        delegation_a=delegation_a.id,
        delegation_b=delegation_b.id,
        delegate_a=delegate_a.id,
        delegate_b=delegate_b.id,
        registrant_x=registrant_x.id,
        registrant_y=registrant_y.id,
        session_open=session_open.id,
        session_picked=session_picked.id,
        session_delegations=session_delegations.id,
        session_invitation=session_invitation.id,
        session_cancelled=session_cancelled.id,
        room=room.id,
        spare_room=spare_room.id,
        batch=batch.id,
        message=message.id,
        user_ids={role: user.id for role, user in users.items()},
        manage_token_x=make_manage_token(registrant_x),
        calendar_token_x=make_calendar_token(registrant_x),
        badge_token_x=badge_token(badge),
        first_day=meeting.starts_on,
        group_message=group_message.id,
        message_template=message_template.id,
    )


def _write_files() -> None:
    """The photo and the finished batch PDF the rows above name."""
    uploads = Path(current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / PHOTO_FILE).write_bytes(PNG)
    from eventapp.badges.batches import batch_folder

    (batch_folder() / BATCH_FILE).write_bytes(b"%PDF-1.4\n%%EOF\n")


def remove_files() -> None:
    from eventapp.badges.batches import batch_folder

    (batch_folder() / BATCH_FILE).unlink(missing_ok=True)
