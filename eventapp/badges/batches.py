"""Batches of badges rendered to one PDF: in the background on Redis, inline otherwise.

A batch is committed as queued before its job is asked for; when Redis is unreachable it stays
queued and the jobs worker's look (`queue_waiting_batches`) queues its job later. The job claims
the batch (queued -> running) in one UPDATE, so a batch is drawn once however many jobs it got.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from eventapp.badges.pdf import LAYOUTS, render_badges
from eventapp.badges.services import approved_registrations
from eventapp.extensions import db
from eventapp.i18n.locales import is_supported
from eventapp.jobs import enqueue_once, started
from eventapp.models import BadgeBatch, BadgeBatchStatus, Meeting, RegistrationCategory
from eventapp.models.base import utcnow

#: The job that draws one batch.
BATCH_JOB = "eventapp.badges.batches:run_batch"


class BatchError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def batch_folder() -> Path:
    folder = Path(current_app.instance_path) / "badge-batches"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def request_batch(
    meeting: Meeting, layout: str, category: str = "", user_id: int | None = None, locale: str | None = None
) -> BadgeBatch:
    """Record the batch and start it; commits. Inline when there is no Redis (done on return).

    Category labels are printed in `locale` (the language of whoever asked), kept with the selection.
    """
    if layout not in LAYOUTS:
        raise BatchError("layout", _("Choose a sheet layout."))
    if category and category not in {c.value for c in RegistrationCategory}:
        raise BatchError("category", _("Choose a category or all."))
    batch = BadgeBatch(
        meeting_id=meeting.id,
        layout=layout,
        selection={"category": category or None, "locale": locale if is_supported(locale) else None},
        status=BadgeBatchStatus.QUEUED,
        requested_by_id=user_id,
        created_at=utcnow(),
    )
    db.session.add(batch)
    db.session.commit()
    _ask_for_job(batch.id)
    return batch


def _ask_for_job(batch_id: int) -> None:
    enqueue_once(BATCH_JOB, _job_key(batch_id), batch_id)


def _job_key(batch_id: int) -> str:
    return f"badge-batch-{batch_id}"


def queue_waiting_batches() -> int:
    """The jobs worker's look: ask for a job for every batch still queued (a no-op where one waits)."""
    query = sa.select(BadgeBatch.id).where(BadgeBatch.status == BadgeBatchStatus.QUEUED).order_by(BadgeBatch.id)
    with db.engine.connect() as conn:
        waiting = conn.scalars(query).all()
    for batch_id in waiting:
        _ask_for_job(batch_id)
    return len(waiting)


def run_batch(batch_id: int) -> None:
    """The job: render every selected badge to one file, then mark the batch done (or failed)."""
    started(_job_key(batch_id))  # first: from now on the worker's look may ask for another job
    claimed = db.session.execute(
        sa.update(BadgeBatch)
        .where(BadgeBatch.id == batch_id, BadgeBatch.status == BadgeBatchStatus.QUEUED)
        .values(status=BadgeBatchStatus.RUNNING)
    ).rowcount
    db.session.commit()
    if not claimed:  # done, failed, or being drawn by another job
        return
    batch = db.session.get(BadgeBatch, batch_id)
    try:
        meeting = db.session.get(Meeting, batch.meeting_id)
        selection = batch.selection or {}
        registrations = approved_registrations(meeting, category=selection.get("category"))
        pdf = render_badges(meeting, registrations, batch.layout, locale=selection.get("locale"))
        filename = f"batch-{batch.id}-{secrets.token_hex(8)}.pdf"
        (batch_folder() / filename).write_bytes(pdf)
        batch.filename = filename
        batch.badge_count = len(registrations)
        batch.status = BadgeBatchStatus.DONE
        batch.finished_at = utcnow()
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        batch = db.session.get(BadgeBatch, batch_id)
        batch.status = BadgeBatchStatus.FAILED
        batch.error = f"{type(exc).__name__}: {exc}"[:2000]
        batch.finished_at = utcnow()
        db.session.commit()
        current_app.logger.exception("badge batch %s failed", batch_id)


def batches_of(meeting: Meeting) -> list[BadgeBatch]:
    return list(
        db.session.scalars(
            sa.select(BadgeBatch).where(BadgeBatch.meeting_id == meeting.id).order_by(BadgeBatch.id.desc()).limit(20)
        )
    )


def batch_path(batch: BadgeBatch) -> Path | None:
    if batch.status != BadgeBatchStatus.DONE or not batch.filename:
        return None
    path = batch_folder() / batch.filename
    return path if path.is_file() else None
