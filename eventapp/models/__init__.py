"""All models, imported here so metadata is complete for migrations."""

from eventapp.models.agenda import Room, Session, SessionAccess, SessionSpeaker, SessionStatus, SessionType, SpeakerRole
from eventapp.models.audit import AuditLog
from eventapp.models.base import Base
from eventapp.models.checkin import Badge, CheckIn, Direction, ScanResult
from eventapp.models.meetings import Meeting, MeetingKind, MeetingStatus, meeting_cochairs
from eventapp.models.members import Member, MemberKind
from eventapp.models.registration import (
    APPLICATION_CATEGORIES,
    Delegation,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from eventapp.models.users import Role, User

__all__ = [
    "APPLICATION_CATEGORIES",
    "AuditLog",
    "Badge",
    "Base",
    "CheckIn",
    "Delegation",
    "Direction",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Member",
    "MemberKind",
    "Registration",
    "RegistrationCategory",
    "RegistrationStatus",
    "Role",
    "Room",
    "ScanResult",
    "Session",
    "SessionAccess",
    "SessionSpeaker",
    "SessionStatus",
    "SessionType",
    "SpeakerRole",
    "User",
    "meeting_cochairs",
]
