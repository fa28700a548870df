"""Make the benchmark's meeting: 200 sessions over four days, rooms and speakers, agenda published.

Run by bench_feeds against a fresh benchmark database; `python -m bench.feed_meeting DATABASE_URL` works too.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta

from bench.harness import BENCH_ENV

SLUG = "bench-feeds"
SESSIONS = 200


def make_feed_meeting(database_url: str, sessions: int = SESSIONS) -> str:
    """Create the meeting in the database at `database_url`; returns its slug."""
    from eventapp import create_app
    from eventapp.extensions import db
    from eventapp.models import (
        Meeting,
        MeetingKind,
        MeetingStatus,
        Room,
        Session,
        SessionAccess,
        SessionSpeaker,
        SessionStatus,
        SessionType,
        SpeakerRole,
    )

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": BENCH_ENV["SECRET_KEY"],
            "DATA_ENCRYPTION_KEY": BENCH_ENV["DATA_ENCRYPTION_KEY"],
        }
    )
    with app.app_context():
        meeting = Meeting(
            slug=SLUG,
            kind=MeetingKind.OPEN_DEBATE,
            title="Benchmark meeting beside the Open Debate",
            city="New York",
            venue="United Nations Headquarters",
            timezone="America/New_York",
            # Across the November clock change, so the VTIMEZONE has both offsets.
            starts_on=date(2030, 11, 1),
            ends_on=date(2030, 11, 4),
            status=MeetingStatus.PUBLISHED,
            agenda_published=True,
        )
        db.session.add(meeting)
        db.session.flush()
        rooms = [
            Room(meeting_id=meeting.id, name=f"Conference Room {i}", venue="Conference Building", floor=str(i % 3))
            for i in range(1, 11)
        ]
        db.session.add_all(rooms)
        db.session.flush()
        types = list(SessionType)
        zone = meeting.zone
        for i in range(sessions):
            day, slot = divmod(i, 50)
            start = datetime(2030, 11, 1 + day, 8, 0, tzinfo=zone) + timedelta(minutes=12 * slot)
            s = Session(
                meeting_id=meeting.id,
                room_id=rooms[i % len(rooms)].id,
                title=f"Session {i + 1}: Women, peace and security in practice",
                description="Discussion of national action plans, financing and the participation of women mediators.",
                type=types[i % len(types)] if types[i % len(types)] != SessionType.CLOSED else SessionType.PLENARY,
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                access=SessionAccess.OPEN if i % 10 else SessionAccess.DELEGATIONS,
                status=SessionStatus.CANCELLED if i % 25 == 0 else SessionStatus.CONFIRMED,
                track=("National Action Plans", "Financing", "Mediation")[i % 3],
                sequence=i % 4,
            )
            s.speakers = [
                SessionSpeaker(name="Amina Diallo", affiliation="African Union", position=0),
                SessionSpeaker(name="María López", affiliation="UN Women", role=SpeakerRole.MODERATOR, position=1),
            ]
            db.session.add(s)
        db.session.commit()
    return SLUG


if __name__ == "__main__":
    print(make_feed_meeting(sys.argv[1]))
