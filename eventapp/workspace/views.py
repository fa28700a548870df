"""Workspace pages: the Overview and the Reports pages the other blueprints do not have.

The person's page and the desk live in their own modules on the same blueprint.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template

from eventapp.auth import policy
from eventapp.checkin.attendance import communique_list
from eventapp.extensions import db
from eventapp.models import Registration
from eventapp.registration.store import ACTIVE
from eventapp.workspace import desk_views, participant_views  # noqa: F401  (their routes join `bp`)
from eventapp.workspace.blueprint import bp, meeting_or_404
from eventapp.workspace.overview import SHOWN_STATUSES, meeting_overview

__all__ = ["bp"]


@bp.get("/meetings/<slug>/manage")
@policy.require(policy.can_manage_meetings)
def overview(slug: str) -> str:
    meeting = meeting_or_404(slug)
    return render_template(
        "workspace/overview.html", meeting=meeting, overview=meeting_overview(meeting), statuses=SHOWN_STATUSES
    )


@bp.get("/meetings/<slug>/visa-letters")
@policy.require(policy.can_view_registrations)
def visa_letters(slug: str) -> str:
    """Everyone who asked for a visa letter and still holds or waits for a place."""
    meeting = meeting_or_404(slug)
    people = db.session.scalars(
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.needs_visa_letter, Registration.status.in_(ACTIVE))
        .order_by(Registration.name_sort_key, Registration.id)
    ).all()
    return render_template("workspace/visa_letters.html", meeting=meeting, people=people)


@bp.get("/meetings/<slug>/exports")
@policy.require(policy.can_view_registrations)
def exports(slug: str) -> str:
    meeting = meeting_or_404(slug)
    return render_template("workspace/exports.html", meeting=meeting, communique=communique_list(meeting))
