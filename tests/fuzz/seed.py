"""A meeting with real data for the fuzz tests: approved, pending and revoked badges, sessions, devices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from eventapp.badges.services import reissue_badge
from eventapp.extensions import db
from eventapp.models import Meeting, RegistrationStatus, Session, SessionAccess
from eventapp.models.base import utcnow
from tests.checkin.builders import add_registration, badge_for, device_token
from tests.conftest import add_meeting, add_member


@dataclass
class FuzzWorld:
    meeting: Meeting
    other: Meeting
    bearer: str
    other_bearer: str
    #: Tokens of live badges of `meeting`, then a revoked one, then one of `other`.
    badge_tokens: list[str] = field(default_factory=list)
    registration_ids: list[int] = field(default_factory=list)
    checkpoints: list[str] = field(default_factory=list)


def seed_world() -> FuzzWorld:
    meeting = add_meeting("2030-geneva")
    other = add_meeting("2031-accra")
    romania = add_member("ROU", "Romania")
    ghana = add_member("GHA", "Ghana")
    world = FuzzWorld(meeting, other, device_token(meeting), device_token(other, "accra-door"))
    people = [
        add_registration(meeting, "Ana", "Pop", member=romania),
        add_registration(meeting, "Ion", "Ionescu", member=romania),
        add_registration(meeting, "Kofi", "Mensah", member=ghana),
        add_registration(meeting, "Zoë", "Ñúñez-Łukasz", organisation="Frauen für Frieden e.V."),
    ]
    world.badge_tokens = [badge_for(p) for p in people]
    revoked = add_registration(meeting, "Lost", "Badge")
    world.badge_tokens.append(badge_for(revoked))
    reissue_badge(revoked)
    withdrawn = add_registration(meeting, "Gone", "Away")
    world.badge_tokens.append(badge_for(withdrawn))
    withdrawn.status = RegistrationStatus.WITHDRAWN
    pending = add_registration(meeting, "Not", "Yet", status=RegistrationStatus.SUBMITTED)
    world.badge_tokens.append(badge_for(add_registration(other, "Ama", "Owusu", member=ghana)))
    world.registration_ids = [p.id for p in [*people, revoked, withdrawn, pending]]
    now = utcnow()
    sessions = [
        Session(meeting=meeting, title=f"{access.label} session", starts_at=now, ends_at=now + timedelta(hours=2))
        for access in SessionAccess
    ]
    for session, access in zip(sessions, SessionAccess, strict=True):
        session.access = access
    db.session.add_all(sessions)
    db.session.commit()
    world.checkpoints = ["entrance", *(f"session-{s.id}" for s in sessions)]
    return world
