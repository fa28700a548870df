"""The jobs worker's look for committed work that has no job waiting in Redis.

Such work was committed while Redis was unreachable (eventapp/jobs/__init__.py), or its job was
lost with a worker that died. Each look queues a job for what it finds, at most one waiting per
piece of work (`enqueue_once`). The worker looks once when it starts and then every
MAIL_SWEEP_INTERVAL seconds.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from eventapp.jobs import resolve

#: One function per kind of waiting work; each queues the jobs that work needs.
LOOKS = (
    "eventapp.mail.sweeps:poll",
    "eventapp.badges.batches:queue_waiting_batches",
)
DEFAULT_INTERVAL = 1.0

log = logging.getLogger(__name__)


def look() -> None:
    """Run every look once (inside an app context); one that fails does not stop the others."""
    for path in LOOKS:
        try:
            resolve(path)()
        except Exception:  # the database or Redis is away: look again next time
            log.exception("looking for waiting work failed (%s)", path)


class Poller(threading.Thread):
    """The worker's looks, every interval, in a thread beside the RQ worker."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="jobs-looks", daemon=True)
        self.app = app
        self.every = float(app.config.get("MAIL_SWEEP_INTERVAL", DEFAULT_INTERVAL))
        self.stopping = threading.Event()
        self.polls = 0

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            with self.app.app_context():
                look()
            self.polls += 1

    def stop(self) -> None:
        self.stopping.set()
