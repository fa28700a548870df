"""`flask --app eventapp seed-scale`: one large meeting for load tests and query counts."""

from __future__ import annotations

import click

from eventapp.demo.scale import ScaleError, seed_scale


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@click.command("seed-scale")
@click.option("--participants", default=10_000, show_default=True, help="People registered.")
@click.option("--sessions", default=500, show_default=True, help="Agenda sessions.")
@click.option("--members", default=100, show_default=True, help="Members with a delegation (demo members first).")
@click.option("--slug", default="scale-test", show_default=True, help="Web address of the new meeting.")
@click.option("--seed", default=1325, show_default=True, help="Random seed: the same options make the same data.")
def seed_scale_command(participants: int, sessions: int, members: int, slug: str, seed: int) -> None:
    """Make a meeting with many participants, sessions and members; refuses a slug already taken."""
    try:
        report = seed_scale(participants=participants, sessions=sessions, members=members, slug=slug, seed=seed)
    except ScaleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Made /meetings/{report.slug}: {report.participants:,} participants ({report.approved:,} approved, "
        f"{report.badges:,} badges, {report.checkins:,} door scans), {report.sessions:,} sessions in "
        f"{_plural(report.rooms, 'room')} over {_plural(report.days, 'day')}, {report.members} members "
        f"({report.members_added} added) in {report.seconds:.1f} s."
    )
