"""Background jobs: RQ on Redis when `REDIS_URL` is set, run inline otherwise.

Jobs are named by dotted path ("eventapp.mail.services:deliver_queued") so a worker can import them.
A job is only queued for work its caller has already committed as waiting (queued mail, a queued
badge batch): when Redis cannot be reached, the work stays waiting in the database, a warning is
logged, and the jobs worker's look (eventapp/jobs/looks.py) queues it once Redis is back. So a
request never reports failure for a change it committed.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError

QUEUE_NAME = "eventapp"

log = logging.getLogger(__name__)


def resolve(path: str) -> Callable[..., Any]:
    module_name, _, attr = path.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def uses_redis() -> bool:
    return bool(current_app.config.get("REDIS_URL")) and not current_app.config.get("JOBS_INLINE")


@functools.lru_cache(maxsize=4)
def redis_connection(url: str, timeout: float | None = None) -> Redis:
    """One client (and its connection pool) per address and process, not one per job."""
    return Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def _connection() -> Redis:
    config = current_app.config
    return redis_connection(config["REDIS_URL"], config.get("REDIS_TIMEOUT"))


def _not_queued(path: str, exc: RedisError) -> None:
    log.warning("Redis unreachable, %s not queued; the jobs worker's look will find the work: %s", path, exc)


def _queue(connection: Redis) -> Any:
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection)


def enqueue(path: str, *args: Any, **kwargs: Any) -> str | None:
    """Run the job in the background (returns the RQ job id) or right now (returns None).

    Returns None, too, when Redis cannot be reached: the work waits in the database.
    """
    if not uses_redis():
        resolve(path)(*args, **kwargs)
        return None
    try:
        return _queue(_connection()).enqueue(run_in_app, path, *args, **kwargs).id
    except RedisError as exc:
        _not_queued(path, exc)
        return None


def enqueue_once(path: str, key: str, *args: Any, ttl: int = 300) -> str | None:
    """Queue the job unless one queued under `key` has not started yet; inline without Redis.

    For jobs that look for what is waiting (all the mail not yet delivered, one badge batch): a
    burst of callers then costs one Redis SET each and queues one job. The job must call
    `started(key)` before it looks for work, so anything committed after that queues a new run.
    `ttl` bounds how long a lost job (a worker that died) can hold the key.
    """
    if not uses_redis():
        return enqueue(path, *args)
    connection = _connection()
    claimed = False
    try:
        claimed = bool(connection.set(_once_key(key), b"1", nx=True, ex=ttl))
        if not claimed:
            return None
        return _queue(connection).enqueue(run_in_app, path, *args).id
    except RedisError as exc:
        if claimed:  # lost between the two calls: the key must not hold off the worker's look
            with contextlib.suppress(RedisError):
                connection.delete(_once_key(key))
        _not_queued(path, exc)
        return None


def started(key: str) -> None:
    """Called first by a job queued with `enqueue_once`: later callers queue a new run."""
    if uses_redis():
        _connection().delete(_once_key(key))


def _once_key(key: str) -> str:
    return f"{QUEUE_NAME}:once:{key}"


def run_in_app(path: str, *args: Any, **kwargs: Any) -> Any:
    """What an RQ worker runs: the job inside an app context of its own."""
    from eventapp import create_app

    app = create_app()
    with app.app_context():
        return resolve(path)(*args, **kwargs)
