"""Pages of a list for whoever may see it: the list, the room display, its state, and who spoke."""

from __future__ import annotations

from flask import Response, jsonify, render_template

from eventapp.speakers.blueprint import bp, public_list
from eventapp.speakers.console import state
from eventapp.speakers.record import duration, record_csv, record_pdf, session_record
from eventapp.speakers.services import ordered_inscriptions


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers")
def show(slug: str, session_id: int) -> str:
    meeting, session, found = public_list(slug, session_id)
    return render_template(
        "speakers/show.html", meeting=meeting, s=session, found=found, inscriptions=ordered_inscriptions(found)
    )


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/state.json")
def live_state(slug: str, session_id: int) -> Response:
    """Read every second or so by the console and the display; never cached, the clock runs on the reader's side."""
    _meeting, _session, found = public_list(slug, session_id)
    response = jsonify(state(found))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/display")
def display(slug: str, session_id: int) -> str:
    meeting, session, found = public_list(slug, session_id)
    return render_template("speakers/display.html", meeting=meeting, s=session, found=found, initial=state(found))


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/record")
def record(slug: str, session_id: int) -> str:
    meeting, session, found = public_list(slug, session_id)
    return render_template(
        "speakers/record.html",
        meeting=meeting,
        s=session,
        found=found,
        result=session_record(found),
        duration=duration,
    )


def _download(body: bytes, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/record.csv")
def record_as_csv(slug: str, session_id: int) -> Response:
    meeting, session, found = public_list(slug, session_id)
    body = record_csv(session_record(found))
    return _download(body, "text/csv; charset=utf-8", f"{meeting.slug}-session-{session.id}-speakers.csv")


@bp.get("/meetings/<slug>/sessions/<int:session_id>/speakers/record.pdf")
def record_as_pdf(slug: str, session_id: int) -> Response:
    meeting, session, found = public_list(slug, session_id)
    body = record_pdf(session_record(found), meeting.title, session.title, session.starts_at.astimezone(meeting.zone))
    return _download(body, "application/pdf", f"{meeting.slug}-session-{session.id}-speakers.pdf")
