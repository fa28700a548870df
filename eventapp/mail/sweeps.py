"""When queued mail is swept (with Redis): asked for after commits, at most once a second per
process, and looked for by the jobs worker every second.

A commit that queued mail asks for a sweep with one Redis SET (`enqueue_once`). During a rush of
submissions every one of them paid that round trip, although one sweep delivers them all. Now a
process asks at most once per MAIL_SWEEP_INTERVAL (1 s): the first message after a quiet spell
still goes at once, and one committed just after an ask is found by the jobs worker, which
looks for queued mail every MAIL_SWEEP_INTERVAL (`Poller`). Either way a message waits at most
about one interval for its sweep; without a running jobs worker nothing is delivered, as before.
"""

from __future__ import annotations

import logging
import threading
import time

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


class _LastAsk:
    """When this process last asked for a sweep (time.monotonic); a fork starts from its parent's."""

    at = float("-inf")


def interval(app: Flask | None = None) -> float:
    return float((app or current_app).config.get("MAIL_SWEEP_INTERVAL", DEFAULT_INTERVAL))


def ask_for_sweep() -> bool:
    """After a commit that queued mail: queue a sweep unless this process asked less than an interval ago.

    True when it asked (whether or not a sweep was already waiting in Redis).
    """
    now = time.monotonic()
    if now - _LastAsk.at < interval():
        return False  # that ask's sweep, the next ask or the jobs worker's poll takes this message
    _LastAsk.at = now
    enqueue_once(SWEEP_JOB, SWEEP_KEY)
    return True


def forget_last_ask() -> None:
    """The next commit asks at once (tests)."""
    _LastAsk.at = float("-inf")


def mail_waiting() -> bool:
    """Whether any message is queued and not delivered yet (one indexed row at most)."""
    query = select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.QUEUED).limit(1)
    with db.engine.connect() as conn:
        return conn.execute(query).first() is not None


def poll() -> bool:
    """Queue a sweep when mail is waiting (unless one is queued already); whether mail was waiting."""
    if not mail_waiting():
        return False
    enqueue_once(SWEEP_JOB, SWEEP_KEY)
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
