"""The desk on the day: the live list, checking in by hand from it, and the attendance export."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _

from eventapp.auth import policy
from eventapp.registration.forms import ActionForm
from eventapp.workspace.blueprint import bp, meeting_or_404
from eventapp.workspace.desk import SHOW_ALL, SHOWS, attendance_csv, desk_counts, desk_page, inside_ids
from eventapp.workspace.forms import MoveForm

#: The desk page reloads itself this often (seconds) while nobody types in its search box.
REFRESH_SECONDS = 30


@bp.get("/meetings/<slug>/desk")
@policy.require(policy.can_manage_meetings)
def desk(slug: str) -> str:
    meeting = meeting_or_404(slug)
    page = desk_page(meeting, request.args)
    show = request.args.get("show", SHOW_ALL)
    return render_template(
        "workspace/desk.html",
        meeting=meeting,
        people=page,
        inside=inside_ids(meeting, [p.id for p in page.items]),
        counts=desk_counts(meeting),
        q=" ".join(request.args.get("q", "").split())[:200],
        show=show if show in SHOWS else SHOW_ALL,
        shows=[(SHOW_ALL, _("Everyone")), ("inside", _("Inside now")), ("not_arrived", _("Not arrived yet"))],
        move_form=MoveForm(),
        action_form=ActionForm(),
        refresh=REFRESH_SECONDS,
    )


@bp.get("/meetings/<slug>/desk/attendance.csv")
@policy.require(policy.can_manage_meetings)
def attendance_export(slug: str) -> Response:
    meeting = meeting_or_404(slug)
    response = Response(attendance_csv(meeting), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="attendance-{meeting.slug}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
