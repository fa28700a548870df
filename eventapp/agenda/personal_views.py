"""The personal agenda behind a registrant's manage link: pick sessions, subscribe, rotate the feed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from eventapp.agenda import personal
from eventapp.agenda.blueprint import bp, webcal
from eventapp.agenda.errors import AgendaError
from eventapp.agenda.forms import ConfirmForm, PickForm
from eventapp.agenda.services import group_by_day
from eventapp.extensions import db
from eventapp.feeds.services import personal_feed_opens
from eventapp.models import Registration
from eventapp.registration.tokens import load_manage_token, make_calendar_token
from eventapp.web import limits


def _registration(token: str) -> Registration:
    registration = load_manage_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.get("/r/<token>/agenda", endpoint="personal")  # the registration pages link here
@limits.private_link
def personal_agenda(token: str) -> tuple[str, int] | str:
    registration = _registration(token)
    return _page(token, registration)


def _page(token: str, registration: Registration, error: str = "") -> tuple[str, int] | str:
    meeting = registration.meeting
    items = personal.personal_agenda(registration)
    by_id = {i.session.id: i for i in items}
    days = group_by_day(meeting, [i.session for i in items])
    # The calendar link is offered only when it answers, never as a link to a 404.
    opens = personal_feed_opens(registration, meeting)
    feed_url = url_for("feeds.personal", token=make_calendar_token(registration), _external=True) if opens else None
    html = render_template(
        "agenda/personal.html",
        meeting=meeting,
        registration=registration,
        token=token,
        days=days,
        items=by_id,
        picked=sum(1 for i in items if i.picked),
        form=PickForm(),
        confirm=ConfirmForm(),
        feed_url=feed_url,
        webcal_url=webcal(feed_url) if feed_url else None,
        error=error,
    )
    return (html, 409) if error else html


@bp.post("/r/<token>/agenda/<any(pick, drop):action>")
@limits.private_link
def personal_change(token: str, action: str) -> tuple[str, int] | str | Response:
    registration = _registration(token)
    form = PickForm()
    raw = form.session_id.data or ""
    if not form.validate_on_submit() or not raw.isdigit():
        abort(400)
    if action == "drop":
        personal.drop_session(registration, int(raw))
        flash(_("The session was removed from your agenda."), "success")
    else:
        try:
            picked = personal.pick_session(registration, int(raw))
        except AgendaError as exc:
            db.session.rollback()
            return _page(token, registration, error=str(exc))
        flash(_("“%(title)s” is on your agenda.", title=picked.title), "success")
    return redirect(url_for("agenda.personal", token=token, _anchor=f"session-{raw}"))


@bp.post("/r/<token>/agenda/calendar/rotate")
@limits.private_link
def personal_rotate(token: str) -> Response:
    registration = _registration(token)
    if ConfirmForm().validate_on_submit():
        personal.rotate_personal_feed(registration)
        flash(_("Your calendar address was changed; the old one no longer works. Subscribe again."), "success")
    return redirect(url_for("agenda.personal", token=token))
