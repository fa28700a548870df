"""Hosts' pages: the meeting's lists, a list's settings and order, and the chair's console."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.auth import policy
from eventapp.meetings.services import get_meeting
from eventapp.speakers.blueprint import bp, hosted_list, hosted_session
from eventapp.speakers.console import apply_action, pressed_at, state
from eventapp.speakers.errors import SpeakersError
from eventapp.speakers.forms import ConfirmForm, ListSettingsForm, MoveForm
from eventapp.speakers.services import (
    ListSettings,
    list_of_session,
    lists_of_meeting,
    move,
    ordered_inscriptions,
    save_settings,
)
from eventapp.web.responses import render_form

host_only = policy.require(policy.can_manage_meetings)


@bp.get("/meetings/<slug>/speakers")
@host_only
def index(slug: str) -> str:
    meeting = get_meeting(slug) or abort(404)
    return render_template("speakers/index.html", meeting=meeting, rows=lists_of_meeting(meeting))


@bp.route("/meetings/<slug>/sessions/<int:session_id>/speakers/settings", methods=["GET", "POST"])
@host_only
def settings(slug: str, session_id: int) -> tuple[str, int] | Response:
    meeting, session = hosted_session(slug, session_id)
    found = list_of_session(session.id)
    form = ListSettingsForm()
    if request.method == "GET":
        if found is not None:
            form.inscriptions_close_local.data = found.inscriptions_close_at.astimezone(meeting.zone).replace(
                tzinfo=None
            )
            form.minutes.data, form.seconds.data = divmod(found.seconds_per_speaker, 60)
            form.chairs_first.data = found.chairs_first
            form.is_published.data = found.is_published
        else:
            opens = session.starts_at - timedelta(days=1)
            form.inscriptions_close_local.data = opens.astimezone(meeting.zone).replace(tzinfo=None, second=0)
    if form.validate_on_submit():
        values = ListSettings(
            inscriptions_close_local=form.inscriptions_close_local.data,
            seconds_per_speaker=form.minutes.data * 60 + form.seconds.data,
            chairs_first=bool(form.chairs_first.data),
            is_published=bool(form.is_published.data),
        )
        try:
            save_settings(session, values, actor=current_user)
        except SpeakersError as exc:
            field = getattr(form, exc.field or "", None) or form.inscriptions_close_local
            field.errors = [*field.errors, str(exc)]
        else:
            flash(_("The speakers' list of “%(title)s” was saved.", title=session.title), "success")
            return redirect(url_for("speakers.manage", slug=slug, session_id=session.id))
    return render_form("speakers/settings.html", meeting=meeting, s=session, found=found, form=form)


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/manage")
@host_only
def manage(slug: str, session_id: int) -> str:
    meeting, session, found = hosted_list(slug, session_id)
    return render_template(
        "speakers/manage.html",
        meeting=meeting,
        s=session,
        found=found,
        inscriptions=ordered_inscriptions(found),
        move_form=MoveForm(),
    )


@bp.post("/meetings/<slug>/sessions/<int:session_id>/speakers/move")
@host_only
def move_speaker(slug: str, session_id: int) -> Response:
    _meeting, _session, found = hosted_list(slug, session_id)
    form = MoveForm()
    if form.validate_on_submit():
        try:
            move(found, int(form.inscription_id.data), form.direction.data, actor=current_user)
        except SpeakersError as exc:
            flash(str(exc), "error")
        else:
            flash(_("The delegations swapped places."), "success")
    else:
        flash(_("Choose a delegation to move."), "error")
    return redirect(url_for("speakers.manage", slug=slug, session_id=session_id, _anchor="list"))


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/console")
@host_only
def console(slug: str, session_id: int) -> str:
    meeting, session, found = hosted_list(slug, session_id)
    return render_template(
        "speakers/console.html",
        meeting=meeting,
        s=session,
        found=found,
        initial=state(found),
        form=ConfirmForm(),
    )


@bp.post("/meetings/<slug>/sessions/<int:session_id>/speakers/console")
@host_only
def act(slug: str, session_id: int) -> Response | tuple[Response, int]:
    """One button of the console: JSON from its script (with the moment pressed), or a plain form."""
    _meeting, _session, found = hosted_list(slug, session_id)
    payload = request.get_json(silent=True)
    as_json = isinstance(payload, dict)
    data = payload if as_json else request.form
    action = str(data.get("action", ""))
    key = str(data.get("key", "")) if as_json else ""
    try:
        updated = apply_action(
            found, action, at=pressed_at(data.get("at") if as_json else None), key=key, actor=current_user
        )
    except SpeakersError as exc:
        if as_json:
            return jsonify({"error": str(exc), "state": state(found)}), 409
        flash(str(exc), "error")
        return redirect(url_for("speakers.console", slug=slug, session_id=session_id))
    if as_json:
        response = jsonify(state(updated))
        response.headers["Cache-Control"] = "no-store"
        return response
    return redirect(url_for("speakers.console", slug=slug, session_id=session_id))
