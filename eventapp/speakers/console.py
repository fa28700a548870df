"""The chair's console: who has the floor, the count-down, and the state the room display shows.

Everything lives in the list's row and its inscriptions, so every gunicorn worker answers the
same, and each action locks the row. An action carries the moment the chair pressed the button
(the console may send it seconds later, after the network came back) and a key, so a retried
action applies once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import InscriptionStatus, SpeakerInscription, SpeakersList, User
from eventapp.models.base import utcnow
from eventapp.speakers.errors import SpeakersError, rolls_back
from eventapp.speakers.services import done_then_waiting, lock_list, ordered_inscriptions

ACTIONS = ("start", "pause", "next", "absent")
#: How late a queued action may arrive and still count from when it was pressed.
LATEST_QUEUED = timedelta(minutes=5)
#: Keys remembered per list for retries.
KEYS_KEPT = 50


def _ms(delta: timedelta) -> int:
    return max(int(delta.total_seconds() * 1000), 0)


def pressed_at(claimed_ms: object, now: datetime | None = None) -> datetime:
    """When the chair pressed the button: the console's claim (epoch ms), kept within the last few minutes."""
    now = now or utcnow()
    if isinstance(claimed_ms, int | float) and not isinstance(claimed_ms, bool):
        try:
            claimed = datetime.fromtimestamp(claimed_ms / 1000, tz=now.tzinfo)
        except (OverflowError, OSError, ValueError):
            return now
        return min(max(claimed, now - LATEST_QUEUED), now)
    return now


def current(speakers_list: SpeakersList) -> SpeakerInscription | None:
    return next((i for i in speakers_list.inscriptions if i.status == InscriptionStatus.CALLED), None)


def _stop_clock(speakers_list: SpeakersList, at: datetime) -> None:
    if speakers_list.clock_started_at is not None:
        at = max(at, speakers_list.clock_started_at)
        speakers_list.clock_used_ms += _ms(at - speakers_list.clock_started_at)
        speakers_list.clock_started_at = None


def _reset_clock(speakers_list: SpeakersList) -> None:
    speakers_list.clock_started_at = None
    speakers_list.clock_used_ms = 0


def _to_end(speakers_list: SpeakersList, inscription: SpeakerInscription) -> None:
    inscription.status = InscriptionStatus.WAITING
    inscription.started_at = None
    inscription.times_absent += 1
    inscription.position = max(i.position for i in speakers_list.inscriptions) + 1


def _call_next(speakers_list: SpeakersList) -> SpeakerInscription | None:
    _reset_clock(speakers_list)
    _done, waiting = done_then_waiting(speakers_list)
    if not waiting:
        return None
    waiting[0].status = InscriptionStatus.CALLED
    return waiting[0]


@rolls_back
def apply_action(
    speakers_list: SpeakersList, action: str, *, at: datetime, key: str = "", actor: User | None
) -> SpeakersList:
    """Start or pause the clock, give the floor to the next speaker, or move a speaker not present to the end."""
    if action not in ACTIONS:
        raise SpeakersError(_("Unknown action."))
    locked = lock_list(speakers_list.id)
    key = key[:64]
    if key and key in (locked.recent_action_keys or []):
        db.session.rollback()
        return locked
    speaker = current(locked)
    details: dict[str, Any] = {"action": action}
    if action == "start":
        if speaker is None:
            raise SpeakersError(_("Call a speaker first."))
        if locked.clock_started_at is None:
            locked.clock_started_at = at
            speaker.started_at = speaker.started_at or at
    elif action == "pause":
        _stop_clock(locked, at)
    elif action == "next":
        if speaker is not None:
            _stop_clock(locked, at)
            if speaker.started_at is None:  # called but never started: not lost, only later
                _to_end(locked, speaker)
                details["moved_to_end"] = speaker.delegation.member.name
            else:
                speaker.status = InscriptionStatus.SPOKE
                speaker.ended_at = max(at, speaker.started_at)
                speaker.spoken_ms = locked.clock_used_ms
                details["spoke"] = speaker.delegation.member.name
        called = _call_next(locked)
        details["called"] = called.delegation.member.name if called else None
    elif action == "absent":
        if speaker is None:
            raise SpeakersError(_("Nobody has the floor."))
        _to_end(locked, speaker)
        details["moved_to_end"] = speaker.delegation.member.name
        called = _call_next(locked)
        details["called"] = called.delegation.member.name if called else None
    if key:
        locked.recent_action_keys = [*(locked.recent_action_keys or [])[-(KEYS_KEPT - 1) :], key]
    locked.version += 1
    record(f"speakers.{action}", locked, actor=actor, meeting_id=locked.session.meeting_id, details=details)
    db.session.commit()
    return locked


def _person(inscription: SpeakerInscription) -> dict[str, Any]:
    speaker = inscription.registration
    return {
        "id": inscription.id,
        "name": " ".join(p for p in (speaker.honorific, speaker.full_name) if p),
        "member": inscription.delegation.member.name,
        "level": inscription.level.label,
        "absent": inscription.times_absent,
        "started": inscription.started_at is not None,
    }


def state(speakers_list: SpeakersList, now: datetime | None = None) -> dict[str, Any]:
    """What the console and the display show: the speaker, those waiting, and the clock to run locally."""
    now = now or utcnow()
    inscriptions = ordered_inscriptions(speakers_list)
    called = next((i for i in inscriptions if i.status == InscriptionStatus.CALLED), None)
    waiting = [i for i in inscriptions if i.status == InscriptionStatus.WAITING]
    started = speakers_list.clock_started_at
    return {
        "version": speakers_list.version,
        "now": int(now.timestamp() * 1000),
        "limit_ms": speakers_list.seconds_per_speaker * 1000,
        "clock": {
            "running": started is not None,
            "started_at": int(started.timestamp() * 1000) if started else None,
            "used_ms": speakers_list.clock_used_ms,
        },
        "current": _person(called) if called else None,
        "waiting": [_person(i) for i in waiting],
        "spoken": sum(1 for i in inscriptions if i.status == InscriptionStatus.SPOKE),
    }
