"""The scale meeting's agenda and its activity: rooms, sessions, speakers, picks and door scans."""

from __future__ import annotations

import math
import random
import secrets
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from eventapp.demo.bulk import insert_rows, insert_with_ids
from eventapp.demo.scale_people import NAMES, ORGANISATIONS, SESSION_TOPICS, TRACKS
from eventapp.models import (
    CheckIn,
    Direction,
    Meeting,
    Presence,
    Room,
    ScanResult,
    Session,
    SessionAccess,
    SessionAttendance,
    SessionSpeaker,
    SessionStatus,
    SessionType,
    SpeakerRole,
)
from eventapp.models.base import utcnow

ZONE = "Europe/Zurich"
SLOTS_PER_DAY = 12  # hourly from 08:00, 45 minutes each
SESSIONS_PER_ROOM = 50
#: Session types in turn outside plenaries, receptions and breaks.
ROTATION = [SessionType.WORKING, SessionType.SIDE_EVENT, SessionType.CLOSED, SessionType.WORKING]

#: (id, access, status, capacity) of one session, as the picks need it.
AgendaItem = tuple[int, SessionAccess, SessionStatus, int | None]


def plan_rooms(sessions: int) -> tuple[int, int]:
    """Rooms and days for the sessions: no room holds two sessions at once."""
    rooms = max(1, min(sessions, math.ceil(sessions / SESSIONS_PER_ROOM)))
    days = max(1, math.ceil(sessions / (rooms * SLOTS_PER_DAY)))
    return rooms, days


def add_agenda(
    rng: random.Random, meeting: Meeting, sessions: int, rooms: int, approved_ids: list[int], participants: int
) -> list[AgendaItem]:
    """Rooms, sessions and speakers; returns (id, access, status, capacity) of every session."""
    now = utcnow()
    room_rows = [
        {
            "meeting_id": meeting.id,
            "name": "Plenary hall" if r == 0 else f"Room {r + 1}",
            "capacity": participants if r == 0 else 60 + 40 * (r % 6),
            "venue": "Scale test conference centre",
            "floor": str(r // 4),
            "created_at": now,
            "updated_at": now,
        }
        for r in range(rooms)
    ]
    room_ids = insert_with_ids(Room, room_rows, "name", where=Room.meeting_id == meeting.id)
    zone = ZoneInfo(ZONE)
    session_rows = []
    for i in range(sessions):
        room, slot, day = i % rooms, (i // rooms) % SLOTS_PER_DAY, i // (rooms * SLOTS_PER_DAY)
        starts = datetime.combine(meeting.starts_on + timedelta(days=day), clock(8 + slot), zone)
        if room == 0 and slot in (0, SLOTS_PER_DAY - 1):
            kind = SessionType.PLENARY if slot == 0 else SessionType.RECEPTION
        elif slot == 4:
            kind = SessionType.BREAK
        else:
            kind = ROTATION[i % len(ROTATION)]
        access = SessionAccess.DELEGATIONS if kind == SessionType.CLOSED else SessionAccess.OPEN
        if kind == SessionType.SIDE_EVENT and i % 5 == 0:
            access = SessionAccess.INVITATION
        status = (
            SessionStatus.CANCELLED
            if i % 97 == 13
            else SessionStatus.TENTATIVE
            if i % 31 == 7
            else SessionStatus.CONFIRMED
        )
        session_rows.append(
            {
                "meeting_id": meeting.id,
                "room_id": room_ids[room],
                "title": f"{rng.choice(SESSION_TOPICS)} ({i + 1})" if kind != SessionType.BREAK else "Coffee break",
                "description": "Invented session for the scale test.",
                "type": kind,
                "starts_at": starts.astimezone(ZoneInfo("UTC")),
                "ends_at": (starts + timedelta(minutes=45)).astimezone(ZoneInfo("UTC")),
                "capacity": room_rows[room]["capacity"],
                "access": access,
                "status": status,
                "track": rng.choice(TRACKS) if kind in (SessionType.WORKING, SessionType.SIDE_EVENT) else "",
                "position": room,
                "sequence": 0,
                "is_published": True,
                "created_at": now,
                "updated_at": now,
            }
        )
    session_ids = insert_with_ids(Session, session_rows, "room_id", "starts_at", where=Session.meeting_id == meeting.id)
    speakers = []
    for session_id, row in zip(session_ids, session_rows, strict=True):
        if row["type"] == SessionType.BREAK:
            continue
        for j in range(1 + session_id % 3):
            linked = approved_ids and (session_id + j) % 3 != 0  # two in three speakers are registrants
            given, family = NAMES[(session_id + j) % len(NAMES)]
            speakers.append(
                {
                    "session_id": session_id,
                    "registration_id": rng.choice(approved_ids) if linked else None,
                    "name": "" if linked else f"{rng.choice(given)} {rng.choice(family)}",
                    "affiliation": "" if linked else rng.choice(ORGANISATIONS),
                    "role": SpeakerRole.MODERATOR if j == 0 else SpeakerRole.SPEAKER,
                    "position": j,
                }
            )
    insert_rows(SessionSpeaker, speakers)
    return [(sid, r["access"], r["status"], r["capacity"]) for sid, r in zip(session_ids, session_rows, strict=True)]


def add_picks(rng: random.Random, agenda: list[AgendaItem], approved_ids: list[int]) -> None:
    """Personal agendas: up to three open sessions each, never past a session's capacity; invitees too."""
    open_sessions = [a for a in agenda if a[1] == SessionAccess.OPEN and a[2] != SessionStatus.CANCELLED]
    taken: dict[int, int] = {}
    rows = []
    now = utcnow()
    for registration_id in approved_ids:
        if not open_sessions:
            break
        for session_id, _, _, capacity in rng.sample(open_sessions, min(len(open_sessions), rng.randint(0, 3))):
            if capacity is not None and taken.get(session_id, 0) >= capacity:
                continue
            taken[session_id] = taken.get(session_id, 0) + 1
            rows.append({"session_id": session_id, "registration_id": registration_id, "created_at": now})
    for session_id, access, _, _ in agenda:
        if access == SessionAccess.INVITATION:
            for registration_id in rng.sample(approved_ids, min(len(approved_ids), 20)):
                rows.append({"session_id": session_id, "registration_id": registration_id, "created_at": now})
    insert_rows(SessionAttendance, rows)


def add_door_scans(rng: random.Random, meeting: Meeting, approved_ids: list[int], badge_ids: list[int]) -> int:
    """Yesterday's entrance scans: six in ten approved people came in, a quarter of them left again."""
    zone = ZoneInfo(ZONE)
    morning = datetime.combine(meeting.starts_on, clock(8), zone).astimezone(ZoneInfo("UTC"))
    scans, presences = [], []
    for registration_id, badge_id in zip(approved_ids, badge_ids, strict=True):
        if rng.random() >= 0.6:
            continue
        at = morning + timedelta(seconds=rng.randrange(0, 2 * 3600))
        left = rng.random() < 0.25
        moves = [(Direction.IN, ScanResult.ADMITTED, at)]
        if left:
            moves.append((Direction.OUT, ScanResult.EXITED, at + timedelta(hours=rng.randint(1, 8))))
        for direction, result, scanned_at in moves:
            scans.append(
                {
                    "meeting_id": meeting.id,
                    "badge_id": badge_id,
                    "registration_id": registration_id,
                    "checkpoint": "entrance",
                    "session_id": None,
                    "direction": direction,
                    "result": result,
                    "reason": "",
                    "nonce": secrets.token_hex(16),
                    "scanned_at": scanned_at,
                    "recorded_at": scanned_at,
                    "device": "door tablet (scale test)",
                    "scanned_by_id": None,
                }
            )
        presences.append(
            {
                "registration_id": registration_id,
                "checkpoint": "entrance",
                "meeting_id": meeting.id,
                "inside": not left,
                "updated_at": moves[-1][2],
            }
        )
    scans.sort(key=lambda s: s["scanned_at"])
    insert_rows(CheckIn, scans)
    insert_rows(Presence, presences)
    return len(scans)
