"""Background jobs: RQ on Redis when `REDIS_URL` is set, run inline otherwise.

Jobs are named by dotted path ("eventapp.mail.services:deliver_queued") so a worker can import them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from flask import current_app
from redis import Redis

QUEUE_NAME = "eventapp"


def _resolve(path: str) -> Callable[..., Any]:
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def uses_redis() -> bool:
    return bool(current_app.config.get("REDIS_URL")) and not current_app.config.get("JOBS_INLINE")


@functools.lru_cache(maxsize=4)
def redis_connection(url: str) -> Redis:
    """One client (and its connection pool) per address and process, not one per job."""
    return Redis.from_url(url)


def enqueue(path: str, *args: Any, **kwargs: Any) -> str | None:
    """Run the job in the background (returns the RQ job id) or right now (returns None)."""
    if uses_redis():
        from rq import Queue

        queue = Queue(QUEUE_NAME, connection=redis_connection(current_app.config["REDIS_URL"]))
        return queue.enqueue(run_in_app, path, *args, **kwargs).id
    _resolve(path)(*args, **kwargs)
    return None


def enqueue_once(path: str, key: str, *, ttl: int = 300) -> str | None:
    """Queue the job unless one queued under `key` has not started yet; inline without Redis.

    For jobs that sweep whatever is waiting (all the mail not yet delivered): a burst of callers
    then costs one Redis SET each and queues one job. The job must call `started(key)` before it
    looks for work, so anything committed after that queues a new run. `ttl` bounds how long a
    lost job (a worker that died) can hold the key.
    """
    if uses_redis():
        connection = redis_connection(current_app.config["REDIS_URL"])
        if not connection.set(_once_key(key), b"1", nx=True, ex=ttl):
            return None
    return enqueue(path)


def started(key: str) -> None:
    """Called first by a job queued with `enqueue_once`: later callers queue a new run."""
    if uses_redis():
        redis_connection(current_app.config["REDIS_URL"]).delete(_once_key(key))


def _once_key(key: str) -> str:
    return f"{QUEUE_NAME}:once:{key}"


def run_in_app(path: str, *args: Any, **kwargs: Any) -> Any:
    """What an RQ worker runs: the job inside an app context of its own."""
    from eventapp import create_app

    app = create_app()
    with app.app_context():
        return _resolve(path)(*args, **kwargs)
