"""The speakers' lists of the security tests' world.

The opening plenary has an unpublished list with A then B inscribed (ministers both); the working
session has a published list nobody is on yet.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eventapp.extensions import db
from eventapp.models import (
    InscriptionStatus,
    Meeting,
    Registration,
    RepresentationLevel,
    Session,
    SpeakerInscription,
    SpeakersList,
)
from eventapp.models.base import utcnow


def seed_speakers(
    meeting: Meeting, plenary: Session, working: Session, delegates: tuple[Registration, Registration]
) -> None:
    closes = datetime.combine(meeting.starts_on, datetime.min.time()).replace(hour=8, tzinfo=meeting.zone)

    def speakers_list(session: Session, published: bool) -> SpeakersList:
        found = SpeakersList(
            session_id=session.id,
            inscriptions_close_at=closes,
            seconds_per_speaker=180,
            chairs_first=True,
            is_published=published,
            clock_used_ms=0,
            version=1,
            recent_action_keys=[],
        )
        db.session.add(found)
        return found

    opening = speakers_list(plenary, published=False)
    speakers_list(working, published=True)
    db.session.flush()
    now = utcnow()
    for place, delegate in enumerate(delegates, start=1):
        db.session.add(
            SpeakerInscription(
                list_id=opening.id,
                delegation_id=delegate.delegation_id,
                registration_id=delegate.id,
                level=RepresentationLevel.MINISTER,
                inscribed_at=now + timedelta(seconds=place),
                position=place,
                status=InscriptionStatus.WAITING,
                times_absent=0,
            )
        )
    db.session.commit()
