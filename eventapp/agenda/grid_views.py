"""The agenda editor's timetable view: each day a grid of rooms by time, beside the list."""

from __future__ import annotations

from flask import abort, render_template

from eventapp.agenda import editor, grid, rooms
from eventapp.agenda.blueprint import bp
from eventapp.auth import policy
from eventapp.meetings.services import get_meeting


@bp.get("/meetings/<slug>/agenda/edit/grid")
@policy.require(policy.can_manage_meetings)
def editor_grid(slug: str) -> str:
    meeting = get_meeting(slug) or abort(404)
    sessions = editor.editor_sessions(meeting)
    return render_template(
        "agenda/editor/grid.html",
        meeting=meeting,
        days=grid.timetable(meeting, sessions, rooms.list_rooms(meeting)),
        warnings=rooms.agenda_warnings(meeting, sessions),
    )
