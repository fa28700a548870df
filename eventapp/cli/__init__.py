"""Command-line tools: `flask --app eventapp <command>`."""

from flask import Flask


def register(app: Flask) -> None:
    from eventapp.badges.cli import badges_group
    from eventapp.checkin.cli import tokens_group
    from eventapp.cli.demo import seed_demo_command
    from eventapp.cli.exports import backup_db_command, export_meeting_command
    from eventapp.cli.jobs import jobs_group
    from eventapp.cli.members import members_group
    from eventapp.cli.scale import seed_scale_command
    from eventapp.cli.users import users_group
    from eventapp.privacy.cli import purge_command

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(users_group)
    app.cli.add_command(members_group)
    app.cli.add_command(jobs_group)
    app.cli.add_command(purge_command)
    app.cli.add_command(tokens_group)
    app.cli.add_command(seed_scale_command)
    app.cli.add_command(backup_db_command)
    app.cli.add_command(export_meeting_command)
    app.cli.add_command(badges_group)
