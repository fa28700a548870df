"""The outbox: every message the app queued, readable in the app (development mail goes nowhere else)."""

from __future__ import annotations

import base64
import binascii
import io

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.models import Meeting, OutboxMessage

bp = Blueprint("mail", __name__)

PAGE_SIZE = 50


def _message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.get("/admin/outbox")
@policy.require(policy.can_read_outbox)
def outbox() -> str:
    recipient = " ".join(request.args.get("to", "").split())[:254]
    meeting_slug = request.args.get("meeting", "").strip()[:80]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = select(OutboxMessage)
    if recipient:
        query = query.where(func.lower(OutboxMessage.to).contains(recipient.lower(), autoescape=True))
    if meeting_slug:
        query = query.where(OutboxMessage.meeting_id.in_(select(Meeting.id).where(Meeting.slug == meeting_slug)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    messages = db.session.scalars(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.starts_on.desc())).all()
    return render_template(
        "mail/outbox.html",
        messages=messages,
        meetings=meetings,
        meetings_by_id={m.id: m for m in meetings},
        recipient=recipient,
        meeting_slug=meeting_slug,
        page=page,
        total=total,
        page_size=PAGE_SIZE,
    )


@bp.get("/admin/outbox/<int:message_id>")
@policy.require(policy.can_read_outbox)
def message(message_id: int) -> str:
    message = _message(message_id)
    meeting = db.session.get(Meeting, message.meeting_id) if message.meeting_id else None
    return render_template("mail/message.html", message=message, meeting=meeting)


@bp.get("/admin/outbox/<int:message_id>/attachments/<int:index>")
@policy.require(policy.can_read_outbox)
def attachment(message_id: int, index: int) -> Response:
    message = _message(message_id)
    if index >= len(message.attachments):
        abort(404)
    item = message.attachments[index]
    try:
        data = base64.b64decode(item["data"], validate=True)
    except (KeyError, binascii.Error):
        abort(404)
    # Always a download, never rendered in the app's origin (an attachment could be HTML).
    response = send_file(
        io.BytesIO(data),
        mimetype=item.get("content_type") or "application/octet-stream",
        as_attachment=True,
        download_name=str(item.get("filename") or f"attachment-{index}"),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
