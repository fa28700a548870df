"""`flask --app eventapp badges prepare-fonts`: make the badge fonts' static copies before the first badge."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from eventapp.badges.static_fonts import cache_folder, prepare_all

badges_group = AppGroup("badges", help="Badge printing.")


@badges_group.command("prepare-fonts")
def prepare_fonts_command() -> None:
    """Make the static font copies badges are printed with (else the first badge of each font makes them).

    Safe to run again: copies already made are kept.
    """
    paths = prepare_all()
    click.echo(f"{len(set(paths))} font files ready; copies are kept in {cache_folder()}")
