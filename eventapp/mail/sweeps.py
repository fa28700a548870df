"""When queued mail is swept (with Redis): asked for after every commit that queued mail, and
looked for by the jobs worker every MAIL_SWEEP_INTERVAL.

A sweep delivers every queued message, so at most one waits in Redis at a time (`enqueue_once`):
a rush of submissions queues one sweep, not a job each. The jobs worker's look (`Poller`) finds
mail whose ask was lost (Redis away at the commit, a worker that died before its sweep started).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.jobs import enqueue_once
from eventapp.models import MailStatus, OutboxMessage

#: The job that delivers every queued message, and the key that keeps one of it waiting at a time.
SWEEP_JOB = "eventapp.mail.services:deliver_queued"
SWEEP_KEY = "mail-sweep"
DEFAULT_INTERVAL = 1.0

log = logging.getLogger(__name__)


def interval(app: Flask | None = None) -> float:
    return float((app or current_app).config.get("MAIL_SWEEP_INTERVAL", DEFAULT_INTERVAL))


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


class Poller(threading.Thread):
    """The jobs worker's look for queued mail, every interval, in a thread beside the RQ worker."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="mail-poller", daemon=True)
        self.app = app
        self.every = interval(app)
        self.stopping = threading.Event()
        self.polls = 0

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            try:
                with self.app.app_context():
                    poll()
            except Exception:  # the database or Redis is away: look again next time
                log.exception("looking for queued mail failed")
            self.polls += 1

    def stop(self) -> None:
        self.stopping.set()
