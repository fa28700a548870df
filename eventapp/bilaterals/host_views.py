"""Hosts' pages of bilaterals: the grid of bilateral rooms by time, and the meeting's settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.agenda.rooms import list_rooms
from eventapp.auth import policy
from eventapp.bilaterals import access
from eventapp.bilaterals import grid as grids
from eventapp.bilaterals.blueprint import bp
from eventapp.bilaterals.errors import BilateralError
from eventapp.bilaterals.forms import SettingsForm
from eventapp.bilaterals.settings import bilateral_room_ids, save_settings, settings_of
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting
from eventapp.web.forms import pair_choices
from eventapp.web.responses import render_form

staff = policy.require(access.is_staff)


def _meeting(slug: str) -> Meeting:
    return get_meeting(slug) or abort(404)


@bp.get("/meetings/<slug>/bilaterals")
@staff
def grid(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template(
        "bilaterals/grid.html",
        meeting=meeting,
        **vars(grids.host_overview(meeting)),
        settings=settings_of(meeting),
    )


@bp.route("/meetings/<slug>/bilaterals/settings", methods=["GET", "POST"])
@staff
def settings(slug: str) -> Response | tuple[str, int]:
    meeting = _meeting(slug)
    rooms = list_rooms(meeting)
    current = settings_of(meeting)
    form = SettingsForm()
    if request.method == "GET":
        form.room_ids.data = [str(i) for i in sorted(bilateral_room_ids(meeting))]
        form.delegations_book_rooms.data = current.delegations_book_rooms
    form.room_ids.choices = pair_choices([(str(r.id), r.name) for r in rooms])
    if form.validate_on_submit():
        try:
            save_settings(
                meeting,
                [int(i) for i in form.room_ids.data or []],
                bool(form.delegations_book_rooms.data),
                actor=current_user,
            )
        except BilateralError as exc:
            form.room_ids.errors = [*form.room_ids.errors, str(exc)]
        else:
            flash(_("The bilateral settings are saved."), "success")
            return redirect(url_for("bilaterals.grid", slug=slug))
    return render_form("bilaterals/settings.html", form=form, meeting=meeting, rooms=rooms)
