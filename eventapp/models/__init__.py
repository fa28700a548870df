"""All models, imported here so metadata is complete for migrations."""

from eventapp.models import sqlite as _sqlite  # noqa: F401  (connection settings for SQLite)
from eventapp.models.accounts import AccountLink, FocalPointContact, LinkPurpose, RecoveryCode, SecondFactor
from eventapp.models.agenda import (
    Room,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionStatus,
    SessionType,
    SpeakerRole,
)
from eventapp.models.audit import AuditLog
from eventapp.models.base import Base
from eventapp.models.bilaterals import (
    Bilateral,
    BilateralProposal,
    BilateralRoom,
    BilateralSettings,
    BilateralSide,
    BilateralStatus,
    BilateralStep,
    BilateralStepKind,
)
from eventapp.models.checkin import (
    Badge,
    BadgeBatch,
    BadgeBatchStatus,
    CheckIn,
    DeviceToken,
    Direction,
    Presence,
    ScanResult,
)
from eventapp.models.mail import MailStatus, OutboxMessage
from eventapp.models.meetings import CategoryCapacity, Meeting, MeetingKind, MeetingStatus, meeting_cochairs
from eventapp.models.members import Member, MemberKind
from eventapp.models.messaging import GroupMessage, MessageRecipient, MessageTemplate
from eventapp.models.registration import (
    APPLICATION_CATEGORIES,
    Delegation,
    NameOrder,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from eventapp.models.speakers import InscriptionStatus, RepresentationLevel, SpeakerInscription, SpeakersList
from eventapp.models.users import Role, User
from eventapp.models.workspace import StaffNote

__all__ = [
    "AccountLink",
    "FocalPointContact",
    "LinkPurpose",
    "RecoveryCode",
    "SecondFactor",
    "CategoryCapacity",
    "OutboxMessage",
    "MailStatus",
    "Presence",
    "DeviceToken",
    "BadgeBatchStatus",
    "BadgeBatch",
    "SessionAttendance",
    "APPLICATION_CATEGORIES",
    "AuditLog",
    "Badge",
    "Base",
    "Bilateral",
    "BilateralProposal",
    "BilateralRoom",
    "BilateralSettings",
    "BilateralSide",
    "BilateralStatus",
    "BilateralStep",
    "BilateralStepKind",
    "CheckIn",
    "Delegation",
    "Direction",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Member",
    "MemberKind",
    "NameOrder",
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
    "SpeakersList",
    "SpeakerInscription",
    "InscriptionStatus",
    "RepresentationLevel",
    "StaffNote",
    "GroupMessage",
    "MessageRecipient",
    "MessageTemplate",
    "User",
    "meeting_cochairs",
]
