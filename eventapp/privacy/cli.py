"""`flask --app eventapp purge`: delete passport data and anonymise personal data when due."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from eventapp.privacy.purge import run_purge


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Print what would be purged without changing anything.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete passport data of past meetings and anonymise registrations once their retention is over.

    Safe to run as often as you like (daily from cron): what was purged stays purged and is not counted again.
    """
    report = run_purge(dry_run=dry_run)
    for line in report.lines():
        click.echo(line)
