"""When queued mail is swept (with Redis): asked for after every commit that queued mail, and
looked for by the jobs worker every MAIL_SWEEP_INTERVAL (eventapp/jobs/looks.py).

A sweep delivers every queued message, so at most one waits in Redis at a time (`enqueue_once`):
a rush of submissions queues one sweep, not a job each. The jobs worker's look (`poll`) finds
mail whose ask was lost (Redis away at the commit, a worker that died before its sweep started).
"""

from __future__ import annotations

from sqlalchemy import select

from eventapp.extensions import db
from eventapp.jobs import enqueue_once
from eventapp.models import MailStatus, OutboxMessage

#: The job that delivers every queued message, and the key that keeps one of it waiting at a time.
SWEEP_JOB = "eventapp.mail.services:deliver_queued"
SWEEP_KEY = "mail-sweep"


def ask_for_sweep() -> None:
    """After a commit that queued mail: queue a sweep unless one is already waiting."""
    enqueue_once(SWEEP_JOB, SWEEP_KEY)


def mail_waiting() -> bool:
    """Whether any message is queued and not delivered yet (one indexed row at most)."""
    query = select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.QUEUED).limit(1)
    with db.engine.connect() as conn:
        return conn.execute(query).first() is not None


def poll() -> bool:
    """Queue a sweep when mail is waiting (unless one is queued already); whether mail was waiting."""
    if not mail_waiting():
        return False
    ask_for_sweep()
    return True
