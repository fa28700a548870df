"""The audit log page of the secretariat, with filters and a CSV export."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_babel import gettext as _

from eventapp.audit.log import (
    AuditFilter,
    actions,
    actors,
    concerned,
    describe_changes,
    entries,
    export_rows,
)
from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting
from eventapp.web.forms import is_database_id

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a date like 2031-06-01.")
        return None


def _filter() -> tuple[AuditFilter, dict[str, str]]:
    errors: dict[str, str] = {}
    slug = request.args.get("meeting", "").strip()
    meeting = get_meeting(slug) if slug else None
    actor = request.args.get("actor", "").strip()
    return (
        AuditFilter(
            meeting=meeting,
            person=request.args.get("person", "")[:200],
            actor_id=int(actor) if is_database_id(actor) else None,
            action=request.args.get("action", "")[:64],
            since=_date("since", errors),
            until=_date("until", errors),
        ),
        errors,
    )


@bp.get("/")
@policy.require(policy.can_read_audit_log)
def index() -> str:
    audit_filter, errors = _filter()
    page = entries(audit_filter, request.args)
    meetings = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_on.desc())).all()
    return render_template(
        "audit/index.html",
        page=page,
        f=audit_filter,
        errors=errors,
        meetings=meetings,
        actions=actions(),
        actors=actors(),
        describe=describe_changes,
        names=concerned(page.items),
        args={k: v for k, v in request.args.items() if k != "page" and v},
        meetings_by_id={m.id: m for m in meetings},
    )


@bp.get("/export.csv")
@policy.require(policy.can_read_audit_log)
def export() -> Response:
    audit_filter, _errors = _filter()
    response = Response(stream_with_context(export_rows(audit_filter)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
