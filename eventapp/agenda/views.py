"""The public agenda: by day in the meeting's zone, filters, a page per session and a PDF."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user

from eventapp.agenda import editor_views, grid_views, personal_views  # noqa: F401  (their routes join `bp`)
from eventapp.agenda.blueprint import bp, visible_meeting, webcal
from eventapp.agenda.services import agenda_by_day, agenda_tracks, parse_types, visible_session
from eventapp.feeds.services import meeting_has_public_agenda, session_is_public
from eventapp.models import SessionType

__all__ = ["bp"]


@bp.get("/meetings/<slug>/agenda")
def index(slug: str) -> str:
    meeting = visible_meeting(slug)
    types = parse_types(request.args.getlist("type"))
    track = request.args.get("track", "").strip()
    # Feeds are offered only where they answer: the meeting's feed once its agenda is public.
    feed_url = url_for("feeds.meeting", slug=slug, _external=True) if meeting_has_public_agenda(meeting) else None
    return render_template(
        "agenda/index.html",
        meeting=meeting,
        agenda=agenda_by_day(meeting, current_user, types=types, track=track),
        tracks=agenda_tracks(meeting),
        all_types=list(SessionType),
        chosen_types={t.value for t in types},
        chosen_track=track,
        filtered=bool(types or track),
        feed_url=feed_url,
        webcal_url=webcal(feed_url) if feed_url else None,
    )


@bp.get("/meetings/<slug>/sessions/<int:session_id>")
def session(slug: str, session_id: int) -> str:
    meeting = visible_meeting(slug)
    s = visible_session(meeting, session_id, current_user)
    if s is None:
        abort(404)
    # The session's file downloads for whoever sees this page; a calendar app subscribes without
    # the reader's sign-in, so the subscription is offered only for a session anyone may read.
    feed_url = url_for("feeds.session", slug=slug, session_id=s.id, _external=True)
    public = meeting_has_public_agenda(meeting)
    return render_template(
        "agenda/session.html",
        meeting=meeting,
        s=s,
        feed_url=feed_url,
        meeting_feed_url=url_for("feeds.meeting", slug=slug, _external=True) if public else None,
        webcal_url=webcal(feed_url) if session_is_public(meeting, s) else None,
    )


@bp.get("/meetings/<slug>/agenda.pdf")
def pdf(slug: str) -> Response:
    from eventapp.agenda.pdf import agenda_pdf

    meeting = visible_meeting(slug)
    types = parse_types(request.args.getlist("type"))
    track = request.args.get("track", "").strip()
    body = agenda_pdf(meeting, agenda_by_day(meeting, current_user, types=types, track=track))
    response = Response(body, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-agenda.pdf"'
    return response


# The editor and the personal agenda add their routes to this blueprint.
