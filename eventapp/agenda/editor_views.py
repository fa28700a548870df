"""The hosts' agenda editor: sessions, rooms, quick reschedule, cancel/restore and the publish switch."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.agenda import editor, rooms
from eventapp.agenda.blueprint import bp
from eventapp.agenda.errors import AgendaError
from eventapp.agenda.forms import (
    ConfirmForm,
    InviteesForm,
    PublishForm,
    RescheduleForm,
    RoomForm,
    SessionForm,
    SpeakerEntryForm,
)
from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.i18n.translated import fill_translation_fields, translations_from_form
from eventapp.meetings.services import get_meeting, to_local
from eventapp.models import Meeting, Room, Session, SessionAccess, SessionStatus, SessionType, SpeakerRole
from eventapp.web.responses import render_form

manage = policy.require(policy.can_manage_meetings)


def _meeting(slug: str) -> Meeting:
    return get_meeting(slug) or abort(404)


def _session(meeting: Meeting, session_id: int) -> Session:
    s = db.session.get(Session, session_id)
    if s is None or s.meeting_id != meeting.id:
        abort(404)
    return s


def _room(meeting: Meeting, room_id: int) -> Room:
    r = db.session.get(Room, room_id)
    if r is None or r.meeting_id != meeting.id:
        abort(404)
    return r


def _attach(form: object, error: AgendaError, fallback: str = "title") -> None:
    target = getattr(form, error.field or "", None) or getattr(form, fallback)
    target.errors = [*target.errors, str(error)]


def _flash_warnings(meeting: Meeting, session: Session) -> None:
    for warning in rooms.agenda_warnings(meeting, editor.editor_sessions(meeting)).get(session.id, []):
        flash(_("Warning for “%(title)s”: %(warning)s", title=session.title, warning=warning), "warning")


@bp.get("/meetings/<slug>/agenda/edit")
@manage
def editor_index(slug: str) -> str:
    meeting = _meeting(slug)
    sessions = editor.editor_sessions(meeting)
    reschedule = {
        s.id: RescheduleForm(
            formdata=None,
            prefix=f"s{s.id}",
            starts_local=to_local(s.starts_at, meeting.timezone),
            ends_local=to_local(s.ends_at, meeting.timezone),
        )
        for s in sessions
    }
    return render_template(
        "agenda/editor/index.html",
        meeting=meeting,
        sessions=sessions,
        warnings=rooms.agenda_warnings(meeting, sessions),
        reschedule=reschedule,
        confirm=ConfirmForm(),
        publish=PublishForm(),
    )


def _session_form(meeting: Meeting, session: Session | None = None) -> SessionForm:
    room_choices = [(str(r.id), r.name) for r in rooms.list_rooms(meeting)]
    registrants = [(str(i), label) for i, label in editor.registrant_choices(meeting)]
    if session is None or request.method == "POST":
        return SessionForm(room_choices=room_choices, registrant_choices=registrants)
    form = SessionForm(obj=session, room_choices=room_choices, registrant_choices=registrants)
    form.starts_local.data = to_local(session.starts_at, meeting.timezone)
    form.ends_local.data = to_local(session.ends_at, meeting.timezone)
    fill_translation_fields(form, "title", session.title_translations)
    form.room_id.data = str(session.room_id) if session.room_id else ""
    form.type.data, form.access.data, form.status.data = session.type.value, session.access.value, session.status.value
    for entry, speaker in zip(form.speakers, session.speakers, strict=False):
        entry.form.registration_id.data = str(speaker.registration_id) if speaker.registration_id else ""
        entry.form.name.data = "" if speaker.registration_id else speaker.name
        entry.form.affiliation.data = speaker.affiliation
        entry.form.role.data = speaker.role.value
    return form


def _speaker(entry: SpeakerEntryForm) -> editor.SpeakerData:
    raw = entry.registration_id.data or ""
    return editor.SpeakerData(
        name=entry.name.data or "",
        affiliation=entry.affiliation.data or "",
        role=SpeakerRole(entry.role.data or "speaker"),
        registration_id=int(raw) if raw.isdigit() else None,
    )


def _data(form: SessionForm) -> editor.SessionData:
    room = form.room_id.data or ""
    return editor.SessionData(
        title=form.title.data or "",
        starts_local=form.starts_local.data,  # type: ignore[arg-type]
        ends_local=form.ends_local.data,  # type: ignore[arg-type]
        type=SessionType(form.type.data),
        description=form.description.data or "",
        room_id=int(room) if room.isdigit() else None,
        capacity=form.capacity.data,
        access=SessionAccess(form.access.data),
        status=SessionStatus(form.status.data),
        track=form.track.data or "",
        is_published=bool(form.is_published.data),
        speakers=[_speaker(e.form) for e in form.speakers],
        title_translations=translations_from_form(form, "title"),
    )


@bp.route("/meetings/<slug>/agenda/sessions/new", methods=["GET", "POST"])
@manage
def session_new(slug: str) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    form = _session_form(meeting)
    if form.validate_on_submit():
        try:
            created = editor.create_session(meeting, _data(form), actor=current_user)
        except AgendaError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            flash(_("“%(title)s” was added.", title=created.title), "success")
            _flash_warnings(meeting, created)
            return redirect(url_for("agenda.editor_index", slug=slug))
    return render_form("agenda/editor/session_form.html", form=form, meeting=meeting, s=None)


@bp.route("/meetings/<slug>/agenda/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@manage
def session_edit(slug: str, session_id: int) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    s = _session(meeting, session_id)
    form = _session_form(meeting, s)
    if form.validate_on_submit():
        try:
            editor.update_session(s, _data(form), actor=current_user)
        except AgendaError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            flash(_("“%(title)s” was saved.", title=s.title), "success")
            _flash_warnings(meeting, s)
            return redirect(url_for("agenda.editor_index", slug=slug))
    return render_form(
        "agenda/editor/session_form.html", form=form, meeting=meeting, s=s, invitees=_invitees_form(meeting, s)
    )


def _invitees_form(meeting: Meeting, s: Session) -> InviteesForm | None:
    if s.access != SessionAccess.INVITATION:
        return None
    form = InviteesForm(formdata=None, registrant_choices=editor.registrant_choices(meeting))
    form.invitees.data = editor.invitee_ids(s)
    return form


@bp.post("/meetings/<slug>/agenda/sessions/<int:session_id>/invitees")
@manage
def session_invitees(slug: str, session_id: int) -> Response:
    meeting = _meeting(slug)
    s = _session(meeting, session_id)
    form = InviteesForm(registrant_choices=editor.registrant_choices(meeting))
    if not form.validate_on_submit():
        flash(_("The invitations were not changed: choose registrants from the list."), "error")
    else:
        try:
            changed = editor.set_invitees(s, list(form.invitees.data or []), actor=current_user)
        except AgendaError as exc:
            db.session.rollback()
            flash(_("The invitations were not changed: %(reason)s", reason=exc), "error")
        else:
            flash(_("The invitations were saved.") if changed else _("The invitations did not change."), "success")
    return redirect(url_for("agenda.session_edit", slug=slug, session_id=s.id, _anchor="invitations"))


@bp.post("/meetings/<slug>/agenda/sessions/<int:session_id>/reschedule")
@manage
def session_reschedule(slug: str, session_id: int) -> Response:
    meeting = _meeting(slug)
    s = _session(meeting, session_id)
    form = RescheduleForm(prefix=f"s{s.id}")
    if not form.validate_on_submit():
        flash(_("“%(title)s” was not moved: give a start and an end.", title=s.title), "error")
    else:
        try:
            changed = editor.reschedule_session(s, form.starts_local.data, form.ends_local.data, actor=current_user)  # type: ignore[arg-type]
        except AgendaError as exc:
            db.session.rollback()
            flash(_("“%(title)s” was not moved: %(reason)s", title=s.title, reason=exc), "error")
        else:
            flash(
                _("“%(title)s” was moved.", title=s.title)
                if changed
                else _("“%(title)s” kept its time.", title=s.title),
                "success",
            )
            _flash_warnings(meeting, s)
    return redirect(url_for("agenda.editor_index", slug=slug, _anchor=f"session-{s.id}"))


@bp.post("/meetings/<slug>/agenda/sessions/<int:session_id>/<any(cancel, restore):action>")
@manage
def session_status(slug: str, session_id: int, action: str) -> Response:
    meeting = _meeting(slug)
    s = _session(meeting, session_id)
    if ConfirmForm().validate_on_submit():
        status = SessionStatus.CANCELLED if action == "cancel" else SessionStatus.CONFIRMED
        editor.set_session_status(s, status, actor=current_user)
        done = _("“%(title)s” was cancelled.") if action == "cancel" else _("“%(title)s” was restored.")
        flash(done % {"title": s.title}, "success")
    return redirect(url_for("agenda.editor_index", slug=slug, _anchor=f"session-{s.id}"))


@bp.post("/meetings/<slug>/agenda/sessions/<int:session_id>/delete")
@manage
def session_delete(slug: str, session_id: int) -> Response:
    meeting = _meeting(slug)
    s = _session(meeting, session_id)
    if ConfirmForm().validate_on_submit():
        title = s.title
        editor.delete_session(s, actor=current_user)
        flash(_("“%(title)s” was deleted.", title=title), "success")
    return redirect(url_for("agenda.editor_index", slug=slug))


@bp.post("/meetings/<slug>/agenda/publish")
@manage
def publish(slug: str) -> Response:
    meeting = _meeting(slug)
    form = PublishForm()
    if form.validate_on_submit():
        published = form.published.data == "1"
        editor.set_agenda_published(meeting, published, actor=current_user)
        flash(_("The agenda is published.") if published else _("The agenda is hidden from participants."), "success")
    return redirect(url_for("agenda.editor_index", slug=slug))


@bp.route("/meetings/<slug>/agenda/rooms", methods=["GET", "POST"])
@manage
def rooms_index(slug: str) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = rooms.create_room(meeting, _room_data(form), actor=current_user)
        except AgendaError as exc:
            db.session.rollback()
            _attach(form, exc, "name")
        else:
            flash(_("%(name)s was added.", name=room.name), "success")
            return redirect(url_for("agenda.rooms_index", slug=slug))
    return render_form(
        "agenda/editor/rooms.html", meeting=meeting, rooms=rooms.list_rooms(meeting), form=form, confirm=ConfirmForm()
    )


def _room_data(form: RoomForm) -> rooms.RoomData:
    return rooms.RoomData(
        name=form.name.data or "", capacity=form.capacity.data, venue=form.venue.data or "", floor=form.floor.data or ""
    )


@bp.route("/meetings/<slug>/agenda/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@manage
def room_edit(slug: str, room_id: int) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    room = _room(meeting, room_id)
    form = RoomForm(obj=room if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            rooms.update_room(room, _room_data(form), actor=current_user)
        except AgendaError as exc:
            db.session.rollback()
            _attach(form, exc, "name")
        else:
            flash(_("%(name)s was saved.", name=room.name), "success")
            return redirect(url_for("agenda.rooms_index", slug=slug))
    return render_form("agenda/editor/room_form.html", meeting=meeting, room=room, form=form)


@bp.post("/meetings/<slug>/agenda/rooms/<int:room_id>/delete")
@manage
def room_delete(slug: str, room_id: int) -> Response:
    meeting = _meeting(slug)
    room = _room(meeting, room_id)
    if ConfirmForm().validate_on_submit():
        name = room.name
        rooms.delete_room(room, actor=current_user)
        flash(_("%(name)s was deleted; its sessions have no room now.", name=name), "success")
    return redirect(url_for("agenda.rooms_index", slug=slug))
