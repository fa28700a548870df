"""`flask --app eventapp tokens ...`: bearer tokens for scanning devices."""

from __future__ import annotations

import click
import sqlalchemy as sa

from eventapp.devices.services import DeviceError, create_device, revoke_device
from eventapp.extensions import db
from eventapp.models import DeviceToken, Meeting


@click.group("tokens")
def tokens_group() -> None:
    """Device tokens for the check-in API."""


def _meeting(slug: str) -> Meeting:
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))
    if meeting is None:
        raise click.ClickException(f"No meeting with the slug {slug}.")
    return meeting


@tokens_group.command("create")
@click.option("--meeting", "slug", required=True, help="Slug of the meeting the device scans for.")
@click.option("--name", required=True, help="Name of the device, shown in the scan history.")
def create_command(slug: str, name: str) -> None:
    """Make a token and print it once; only its hash is kept (the same rules as the devices page)."""
    try:
        _, plain = create_device(_meeting(slug), name, actor=None)
    except DeviceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(plain)


@tokens_group.command("revoke")
@click.option("--meeting", "slug", required=True)
@click.option("--name", required=True)
def revoke_command(slug: str, name: str) -> None:
    """Revoke every live token of the named device."""
    meeting = _meeting(slug)
    devices = db.session.scalars(
        sa.select(DeviceToken).where(
            DeviceToken.meeting_id == meeting.id, DeviceToken.name == name, DeviceToken.revoked_at.is_(None)
        )
    ).all()
    for device in devices:
        revoke_device(device, actor=None)
    click.echo(f"Revoked {len(devices)} token(s).")
