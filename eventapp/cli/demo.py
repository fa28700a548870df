from __future__ import annotations

import click
from sqlalchemy import func, select

from eventapp.demo.seed import seed_demo
from eventapp.extensions import db
from eventapp.models import Meeting


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds meetings.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo network: 64 members, the 2016, 2023 and an upcoming meeting, demo users."""
    if if_empty and db.session.scalar(select(func.count(Meeting.id))):
        click.echo("The database already has meetings; demo seed skipped.")
        return
    report = seed_demo()
    members = report.members
    if members is not None:
        click.echo(f"Members: {members.created} added, {members.unchanged + members.updated} already there.")
    click.echo("Meetings added: " + (", ".join(report.meetings_created) or "none (all already there)"))
    if report.users_created:
        click.echo("Demo accounts (passwords are shown this once; write them down):")
        for email, role, password in report.users_created:
            click.echo(f"  {role:<12} {email:<34} {password}")
    else:
        click.echo("Demo accounts already exist; their passwords were shown when they were made.")
