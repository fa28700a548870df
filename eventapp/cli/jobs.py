"""`flask --app eventapp jobs worker`: run the background jobs queued on Redis."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from eventapp.jobs import QUEUE_NAME

jobs_group = AppGroup("jobs", help="Background jobs (RQ on Redis).")


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty instead of waiting for more jobs.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker on REDIS_URL for the app's queue (emails and other background work)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inline and need no worker.")
    from redis import Redis
    from rq import Queue, Worker

    from eventapp.jobs import looks

    connection = Redis.from_url(url)
    worker = Worker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    click.echo(
        f"worker {worker.name} on queue {QUEUE_NAME!r} at {connection.connection_pool.connection_kwargs.get('host')}"
    )
    # Work committed while no job was queued for it (Redis away, a worker that died) is found by a
    # look now and, while the worker runs, every MAIL_SWEEP_INTERVAL (eventapp/jobs/looks.py).
    looks.look()
    if burst:
        worker.work(burst=True)
        return
    poller = looks.Poller(current_app._get_current_object())  # type: ignore[attr-defined]
    poller.start()
    try:
        worker.work()
    finally:
        poller.stop()
