"""`backup-db` (SQLite) and `export-meeting` (JSON of one meeting)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from eventapp.exports.backup import BackupError, backup_sqlite, pg_dump_command
from eventapp.exports.meeting import ExportError, export_meeting, find_meeting, write_export
from eventapp.extensions import db


@click.command("backup-db")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_db_command(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the app keeps running."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        raise click.ClickException(
            "backup-db copies SQLite databases only. For PostgreSQL run pg_dump (the password comes from "
            f"PGPASSWORD or ~/.pgpass):\n  {pg_dump_command(url, str(path))}\nSee 'Backups' in the README."
        )
    try:
        report = backup_sqlite(url, path)
    except BackupError as exc:
        raise click.ClickException(f"No backup made: {exc}.") from exc
    click.echo(f"Backed up {report.source} to {report.target} ({report.size / 1e6:.1f} MB) in {report.seconds:.1f} s.")


def _place_without_replacing(partial: str, output: Path) -> None:
    """Give the written file its name unless that name was taken meanwhile (a hard link never replaces)."""
    try:
        os.link(partial, output)
    except FileExistsError as exc:
        raise click.ClickException(f"{output} exists: nothing written. Add --force to replace it.") from exc


@click.command("export-meeting")
@click.argument("slug")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout)."
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def export_meeting_command(slug: str, output: Path | None, force: bool) -> None:
    """Write everything about one meeting as JSON (no passport numbers, keys or token hashes)."""
    try:
        data = export_meeting(find_meeting(slug))
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc
    if output is None:
        write_export(data, sys.stdout)
        return
    if not output.parent.is_dir():
        raise click.ClickException(f"The folder {output.parent} does not exist.")
    if output.exists() and not force:
        raise click.ClickException(f"{output} exists: nothing written. Add --force to replace it.")
    # Written beside the target and renamed, so a failed run never leaves half a file.
    handle, partial = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            write_export(data, stream)
        if force:
            os.replace(partial, output)
        else:
            _place_without_replacing(partial, output)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    counts = ", ".join(f"{n:,} {name}" for name, n in data["counts"].items())
    click.echo(f"Wrote {slug} to {output}: {counts}.", err=True)
