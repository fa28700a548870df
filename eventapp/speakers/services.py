"""Speakers' lists: a host sets one up, focal points inscribe their delegation, hosts reorder it.

Every change to a list runs with the list's row locked (SELECT ... FOR UPDATE), so concurrent
inscriptions and moves see each other and positions stay distinct; the unique constraint on
(list, delegation) is the last word on "once per delegation".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventapp.agenda.editor import local_to_utc
from eventapp.agenda.errors import AgendaError
from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import (
    Delegation,
    InscriptionStatus,
    Meeting,
    Member,
    Registration,
    RepresentationLevel,
    Session,
    SessionStatus,
    SpeakerInscription,
    SpeakersList,
    User,
)
from eventapp.models.base import utcnow
from eventapp.registration.store import ACTIVE
from eventapp.speakers.errors import SpeakersError, rolls_back

#: Time limits a host may set, in seconds.
MIN_SECONDS, MAX_SECONDS = 15, 60 * 60


@dataclass(frozen=True)
class ListSettings:
    inscriptions_close_local: datetime
    seconds_per_speaker: int
    chairs_first: bool
    is_published: bool


def lock_list(list_id: int) -> SpeakersList:
    """The list row, locked until the transaction ends and read afresh with its inscriptions."""
    query = (
        select(SpeakersList)
        .where(SpeakersList.id == list_id)
        .with_for_update()
        .options(
            selectinload(SpeakersList.inscriptions)
            .selectinload(SpeakerInscription.delegation)
            .selectinload(Delegation.member)
        )
        .execution_options(populate_existing=True)
    )
    return db.session.scalars(query).one()


def list_of_session(session_id: int) -> SpeakersList | None:
    return db.session.scalar(select(SpeakersList).where(SpeakersList.session_id == session_id))


def lists_of_meeting(meeting: Meeting) -> list[tuple[Session, SpeakersList | None]]:
    """Every session of the meeting but breaks, with its speakers' list when it has one, in time order."""
    sessions = db.session.scalars(
        select(Session).where(Session.meeting_id == meeting.id).order_by(Session.starts_at, Session.position)
    ).all()
    lists = {
        sl.session_id: sl
        for sl in db.session.scalars(
            select(SpeakersList)
            .join(Session, SpeakersList.session_id == Session.id)
            .where(Session.meeting_id == meeting.id)
            .options(selectinload(SpeakersList.inscriptions))
        )
    }
    return [(s, lists.get(s.id)) for s in sessions if s.type.value != "break"]


@rolls_back
def save_settings(session: Session, values: ListSettings, *, actor: User | None) -> SpeakersList:
    """Set up the session's list or change its rules; a change of who speaks first re-sorts those waiting."""
    meeting = session.meeting
    try:
        close_at = local_to_utc(values.inscriptions_close_local, meeting, "inscriptions_close_local")
    except AgendaError as exc:
        raise SpeakersError(str(exc), field="inscriptions_close_local") from exc
    if close_at > session.ends_at:
        raise SpeakersError(_("Inscriptions must close before the session ends."), field="inscriptions_close_local")
    if not MIN_SECONDS <= values.seconds_per_speaker <= MAX_SECONDS:
        raise SpeakersError(_("Give between 15 seconds and 60 minutes per speaker."), field="minutes")
    found = list_of_session(session.id)
    fields = {
        "inscriptions_close_at": close_at,
        "seconds_per_speaker": values.seconds_per_speaker,
        "chairs_first": values.chairs_first,
        "is_published": values.is_published,
    }
    if found is None:
        found = SpeakersList(session_id=session.id, clock_used_ms=0, version=1, recent_action_keys=[], **fields)
        db.session.add(found)
        record("speakers.open", found, actor=actor, meeting_id=meeting.id, details=_jsonable(fields))
    else:
        found = lock_list(found.id)
        changed: dict[str, list[object]] = {}
        for name, new in fields.items():
            old = getattr(found, name)
            if old != new:
                changed[name] = [old, new]
                setattr(found, name, new)
        if "chairs_first" in changed:
            _sort_waiting(found, meeting)
        if changed:
            found.version += 1
            record("speakers.settings", found, actor=actor, meeting_id=meeting.id, details=_jsonable(changed))
    db.session.commit()
    return found


def _jsonable(values: dict[str, object]) -> dict[str, object]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}


# --- order ---------------------------------------------------------------------------------------


def chair_member_ids(meeting: Meeting) -> set[int]:
    """The co-chairs and the host country, who speak first when the list says so."""
    ids = {m.id for m in meeting.cochairs}
    if meeting.country_iso3:
        host = db.session.scalar(select(Member.id).where(Member.iso3 == meeting.country_iso3))
        if host is not None:
            ids.add(host)
    return ids


def natural_key(inscription: SpeakerInscription, chairs: set[int]) -> tuple[int, int, datetime]:
    """Where the rules put a delegation: chairs (when first), Member States, then the others; by level; by time."""
    member = inscription.delegation.member
    if member.id in chairs:
        group = 0
    elif member.is_state:
        group = 1
    else:
        group = 2
    return (group, inscription.level.rank, inscription.inscribed_at)


def _chairs_if_first(speakers_list: SpeakersList, meeting: Meeting) -> set[int]:
    return chair_member_ids(meeting) if speakers_list.chairs_first else set()


def _renumber(ordered: list[SpeakerInscription]) -> None:
    for place, inscription in enumerate(ordered, start=1):
        if inscription.position != place:
            inscription.position = place


def done_then_waiting(speakers_list: SpeakersList) -> tuple[list[SpeakerInscription], list[SpeakerInscription]]:
    """The list in its order, split: those called or done, then those still waiting."""
    ordered = sorted(speakers_list.inscriptions, key=lambda i: (i.position, i.id or 0))
    waiting = [i for i in ordered if i.status == InscriptionStatus.WAITING]
    return [i for i in ordered if i.status != InscriptionStatus.WAITING], waiting


def _sort_waiting(speakers_list: SpeakersList, meeting: Meeting) -> None:
    chairs = _chairs_if_first(speakers_list, meeting)
    done, waiting = done_then_waiting(speakers_list)
    _renumber(done + sorted(waiting, key=lambda i: natural_key(i, chairs)))


def _place_new(speakers_list: SpeakersList, new: SpeakerInscription, meeting: Meeting) -> None:
    """Put `new` right after the last waiting delegation the rules put before it.

    Moves a host made by hand stay as they are: nobody who was ahead of another is put behind.
    """
    chairs = _chairs_if_first(speakers_list, meeting)
    done, waiting = done_then_waiting(speakers_list)
    waiting = [i for i in waiting if i is not new]
    key = natural_key(new, chairs)
    at = 0
    for index, other in enumerate(waiting):
        if natural_key(other, chairs) <= key:
            at = index + 1
    waiting.insert(at, new)
    _renumber(done + waiting)


# --- inscriptions --------------------------------------------------------------------------------


def speakers_of_delegation(delegation: Delegation) -> list[Registration]:
    """People of the delegation who may be named as its speaker."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.delegation_id == delegation.id, Registration.status.in_(ACTIVE))
            .order_by(Registration.family_name, Registration.given_name)
        )
    )


def inscription_of(speakers_list: SpeakersList, delegation: Delegation) -> SpeakerInscription | None:
    return db.session.scalar(
        select(SpeakerInscription).where(
            SpeakerInscription.list_id == speakers_list.id, SpeakerInscription.delegation_id == delegation.id
        )
    )


@rolls_back
def inscribe(
    speakers_list: SpeakersList,
    delegation: Delegation,
    registration_id: int,
    level: RepresentationLevel,
    *,
    actor: User | None,
    by_host: bool = False,
) -> SpeakerInscription:
    """Put the delegation on the list once, with its speaker and level, where the rules place it."""
    session = speakers_list.session
    if session.meeting_id != delegation.meeting_id:
        raise SpeakersError(_("This list belongs to another meeting."))
    if session.status == SessionStatus.CANCELLED:
        raise SpeakersError(_("The session is cancelled."))
    speaker = db.session.get(Registration, registration_id)
    if speaker is None or speaker.delegation_id != delegation.id or speaker.status not in ACTIVE:
        raise SpeakersError(_("Choose a person registered in your delegation."), field="registration_id")
    locked = lock_list(speakers_list.id)
    if not by_host and not locked.is_open_for_inscription():
        raise SpeakersError(_("Inscriptions for this list are closed."))
    if any(i.delegation_id == delegation.id for i in locked.inscriptions):
        raise SpeakersError(_("Your delegation is already on this list."))
    with db.session.no_autoflush:
        inscription = SpeakerInscription(
            list_id=locked.id,
            delegation=delegation,
            registration=speaker,
            level=level,
            inscribed_at=utcnow(),
            inscribed_by_id=actor.id if actor is not None and actor.is_authenticated else None,
            position=len(locked.inscriptions) + 1,
            status=InscriptionStatus.WAITING,
            times_absent=0,
        )
        db.session.add(inscription)
        locked.inscriptions.append(inscription)
        _place_new(locked, inscription, session.meeting)
    locked.version += 1
    try:
        db.session.flush()
    except IntegrityError as exc:  # the constraint, should a writer have bypassed the lock
        db.session.rollback()
        raise SpeakersError(_("Your delegation is already on this list.")) from exc
    record(
        "speakers.inscribe",
        inscription,
        actor=actor,
        meeting_id=session.meeting_id,
        details={
            "session_id": session.id,
            "member": delegation.member.name,
            "speaker": speaker.full_name,
            "level": level.value,
            "position": inscription.position,
            "by_host": by_host,
        },
    )
    db.session.commit()
    return inscription


@rolls_back
def withdraw(inscription: SpeakerInscription, *, actor: User | None, by_host: bool = False) -> None:
    """Take a waiting delegation off the list (focal points only until inscriptions close)."""
    locked = lock_list(inscription.list_id)
    inscription = next(i for i in locked.inscriptions if i.id == inscription.id)
    if inscription.status != InscriptionStatus.WAITING:
        raise SpeakersError(_("This delegation has already been called to speak."))
    if not by_host and not locked.is_open_for_inscription():
        raise SpeakersError(_("Inscriptions for this list are closed; ask the hosts."))
    member = inscription.delegation.member.name
    locked.inscriptions.remove(inscription)
    done, waiting = done_then_waiting(locked)
    _renumber(done + waiting)
    locked.version += 1
    record(
        "speakers.withdraw",
        locked,
        actor=actor,
        meeting_id=locked.session.meeting_id,
        details={"member": member, "by_host": by_host},
    )
    db.session.commit()


@rolls_back
def move(speakers_list: SpeakersList, inscription_id: int, direction: str, *, actor: User | None) -> None:
    """Swap a waiting delegation with the waiting one before ("up") or after ("down") it."""
    locked = lock_list(speakers_list.id)
    _done, waiting = done_then_waiting(locked)
    index = next((k for k, i in enumerate(waiting) if i.id == inscription_id), None)
    if index is None:
        raise SpeakersError(_("Only delegations still waiting to speak can be moved."))
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(waiting):
        raise SpeakersError(_("This delegation cannot move further that way."))
    moving, other = waiting[index], waiting[other_index]
    moving.position, other.position = other.position, moving.position
    locked.version += 1
    record(
        "speakers.move",
        moving,
        actor=actor,
        meeting_id=locked.session.meeting_id,
        details={
            "member": moving.delegation.member.name,
            "swapped_with": other.delegation.member.name,
            "position": [other.position, moving.position],
        },
    )
    db.session.commit()


def ordered_inscriptions(speakers_list: SpeakersList) -> list[SpeakerInscription]:
    """The list as it stands, with each delegation's member and speaker loaded."""
    return list(
        db.session.scalars(
            select(SpeakerInscription)
            .where(SpeakerInscription.list_id == speakers_list.id)
            .options(
                selectinload(SpeakerInscription.delegation).selectinload(Delegation.member),
                selectinload(SpeakerInscription.registration),
            )
            .order_by(SpeakerInscription.position, SpeakerInscription.id)
        )
    )


def lists_for_delegation(delegation: Delegation) -> list[tuple[SpeakersList, SpeakerInscription | None]]:
    """The meeting's speakers' lists a focal point may inscribe on, with the delegation's inscription."""
    lists = db.session.scalars(
        select(SpeakersList)
        .join(Session, SpeakersList.session_id == Session.id)
        .where(Session.meeting_id == delegation.meeting_id, Session.status != SessionStatus.CANCELLED)
        .options(selectinload(SpeakersList.session))
        .order_by(Session.starts_at, Session.position)
    ).all()
    mine = {
        i.list_id: i
        for i in db.session.scalars(
            select(SpeakerInscription)
            .where(SpeakerInscription.delegation_id == delegation.id)
            .options(selectinload(SpeakerInscription.registration))
        )
    }
    return [(sl, mine.get(sl.id)) for sl in lists]
