from __future__ import annotations

import click

from eventapp.members.importer import import_members


@click.group("members")
def members_group() -> None:
    """Manage network members."""


@members_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--keep-valid", is_flag=True, help="Import the valid rows even when others are rejected.")
def import_command(path: str, keep_valid: bool) -> None:
    """Import members from a CSV with columns kind,name[,iso3,code,sort_name,joined_on].

    Rows are matched by code (the ISO3 code for states). By default one rejected row
    means nothing is imported.
    """
    with open(path, encoding="utf-8-sig", newline="") as stream:
        report = import_members(stream, keep_valid=keep_valid)
    for line in report.lines():
        click.echo(line)
    if report.rejected:
        raise SystemExit(1)
