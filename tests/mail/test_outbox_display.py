"""The outbox as hosts read it: times day first on a 24-hour clock, a message's text wrapped in its box."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.mail.services import queue_email
from tests.conftest import AuthActions, Users

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def test_outbox_times_are_day_first_and_the_text_wraps(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    message = queue_email("amina@example.org", "Your registration", "Dear Amina,\n\n" + "a long line " * 40)
    message.created_at = datetime(2030, 6, 5, 21, 5, tzinfo=UTC)
    db.session.commit()
    auth.login(users.host.email)

    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert '<td class="nowrap">5 June 2030, 21:05</td>' in listing and "Queued (UTC)" in listing
    page = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "5 June 2030, 21:05, Coordinated Universal Time (UTC)" in page
    assert '<pre class="mail-body">Dear Amina,' in page
    rule = re.search(r"\.mail-body \{([^}]*)\}", CSS.read_text(encoding="utf-8"))
    assert rule is not None and "white-space: pre-wrap" in rule.group(1) and "overflow-wrap: anywhere" in rule.group(1)
