"""Scanning devices of a meeting, made and revoked by hosts in the app.

A device's token is shown once, inside a link to the device scanner page; only its hash is kept
(eventapp/api/auth.py checks it on every request, so a revoked device is refused at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from eventapp.api.auth import create_device_token
from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import CheckIn, DeviceToken, Meeting, User
from eventapp.models.base import utcnow


class DeviceError(ValueError):
    """A device could not be made; the message is safe to show next to the name field."""


@dataclass
class DeviceRow:
    device: DeviceToken
    last_scan_at: datetime | None
    scans: int


def list_devices(meeting: Meeting) -> list[DeviceRow]:
    """The meeting's devices, live ones first, each with its last scan and how many it made."""
    devices = db.session.scalars(sa.select(DeviceToken).where(DeviceToken.meeting_id == meeting.id)).all()
    # Scans name their device (CheckIn.device is the device's name, unique within a meeting).
    stats = {
        name: (last, count)
        for name, last, count in db.session.execute(
            sa.select(CheckIn.device, sa.func.max(CheckIn.recorded_at), sa.func.count(CheckIn.id))
            .where(CheckIn.meeting_id == meeting.id, CheckIn.scanned_by_id.is_(None))
            .group_by(CheckIn.device)
        )
    }
    rows = [DeviceRow(d, *stats.get(d.name, (None, 0))) for d in devices]
    return sorted(rows, key=lambda r: (r.device.revoked_at is not None, r.device.name.casefold()))


def create_device(meeting: Meeting, name: str, *, actor: User | None) -> tuple[DeviceToken, str]:
    """A new device for the meeting; returns it and its token (shown once). Commits.

    `actor` None: made on the command line (`flask tokens create`)."""
    clean = " ".join(name.split())
    if not clean:
        raise DeviceError(_("Give the device a name, such as “Main door tablet”."))
    if len(clean) > 120:
        raise DeviceError(_("The name is at most 120 characters."))
    taken = db.session.scalar(
        sa.select(DeviceToken.id).where(
            DeviceToken.meeting_id == meeting.id, sa.func.lower(DeviceToken.name) == clean.lower()
        )
    )
    if taken is not None:
        raise DeviceError(_("This meeting already has a device called %(name)s; scans are kept by name.", name=clean))
    device, token = create_device_token(meeting, clean)
    device.created_by_id = actor.id if actor is not None else None
    record("device.create", device, actor=actor, meeting_id=meeting.id, details={"name": clean})
    db.session.commit()
    return device, token


def get_device(meeting: Meeting, device_id: int) -> DeviceToken | None:
    device = db.session.get(DeviceToken, device_id)
    return device if device is not None and device.meeting_id == meeting.id else None


def revoke_device(device: DeviceToken, *, actor: User | None) -> bool:
    """Revoke a device; its next request is refused. False when it was revoked already. Commits."""
    if device.revoked_at is not None:
        return False
    device.revoked_at = utcnow()
    record("device.revoke", device, actor=actor, meeting_id=device.meeting_id, details={"name": device.name})
    db.session.commit()
    return True


def note_refused_request(device_id: int) -> None:
    """Count a request a revoked device still made (a phone syncing its offline queue); own transaction."""
    db.session.execute(
        sa.update(DeviceToken)
        .where(DeviceToken.id == device_id)
        .values(refused_count=DeviceToken.refused_count + 1, last_refused_at=utcnow())
    )
    db.session.commit()
