"""The outbox in the app: hosts and admins read every queued message and its attachments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventapp.extensions import db
from eventapp.mail.services import Attachment, queue_email
from eventapp.models import MailStatus, OutboxMessage
from eventapp.models.base import utcnow
from tests.conftest import add_meeting

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def queue(to: str, subject: str, *, minutes_ago: int = 0, **kw: object) -> OutboxMessage:
    message = queue_email(to, subject, kw.pop("body", f"Body of {subject}"), **kw)  # type: ignore[arg-type]
    message.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return message


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (None, 302),
        ("fp@example.org", 403),
        ("scanner@example.org", 403),
        ("host@example.org", 200),
        ("admin@example.org", 200),
    ],
)
def test_outbox_is_for_hosts_and_admins(client, auth, users, email, expected):
    message = queue("someone@example.org", "Hello", attachments=[Attachment("a.ics", "text/calendar", ICS)])
    if email:
        auth.login(email)
    assert client.get("/admin/outbox").status_code == expected
    assert client.get(f"/admin/outbox/{message.id}").status_code == expected
    assert client.get(f"/admin/outbox/{message.id}/attachments/0").status_code == expected


def test_list_is_newest_first_and_filters(client, auth, users):
    geneva = add_meeting("2030-geneva", title="Geneva meeting")
    nairobi = add_meeting("2031-nairobi", title="Nairobi meeting")
    queue("amina@example.org", "Oldest subject", minutes_ago=30, meeting_id=geneva.id)
    queue("elena@example.org", "Middle subject", minutes_ago=20, meeting_id=nairobi.id)
    queue("amina@example.org", "Newest subject", minutes_ago=10, meeting_id=nairobi.id)
    auth.login("admin@example.org")

    html = client.get("/admin/outbox").get_data(as_text=True)
    assert html.index("Newest subject") < html.index("Middle subject") < html.index("Oldest subject")
    assert "3 messages" in html
    html = client.get("/admin/outbox?to=AMINA@").get_data(as_text=True)
    assert "Newest subject" in html and "Oldest subject" in html and "Middle subject" not in html
    html = client.get("/admin/outbox?meeting=2031-nairobi").get_data(as_text=True)
    assert "Newest subject" in html and "Middle subject" in html and "Oldest subject" not in html
    html = client.get("/admin/outbox?to=amina&meeting=2031-nairobi").get_data(as_text=True)
    assert "1 message." in html and "Newest subject" in html


def test_message_shows_text_and_attachment_links(client, auth, users):
    message = queue(
        "amina@example.org",
        "Your registration <b>received</b>",
        body="Dear Амина,\nyour registration was received.",
        attachments=[Attachment("2030-geneva.ics", "text/calendar", ICS)],
    )
    db.session.expire_all()
    assert message.status == MailStatus.KEPT, "outbox backend keeps the message once delivered inline"
    auth.login("host@example.org")
    html = client.get(f"/admin/outbox/{message.id}").get_data(as_text=True)
    assert "Dear Амина,\nyour registration was received." in html
    assert "&lt;b&gt;received&lt;/b&gt;" in html and "<b>received</b>" not in html
    assert "2030-geneva.ics" in html
    assert f"/admin/outbox/{message.id}/attachments/0" in html
    assert "Kept in the outbox" in html

    download = client.get(f"/admin/outbox/{message.id}/attachments/0")
    assert download.status_code == 200
    assert download.get_data() == ICS
    assert download.mimetype == "text/calendar"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "2030-geneva.ics" in download.headers["Content-Disposition"]
    assert client.get(f"/admin/outbox/{message.id}/attachments/1").status_code == 404
    assert client.get("/admin/outbox/999999").status_code == 404


def test_admins_see_the_outbox_in_the_navigation(client, auth, users):
    auth.login("admin@example.org")
    assert 'href="/admin/outbox"' in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("fp@example.org")
    assert 'href="/admin/outbox"' not in client.get("/").get_data(as_text=True)


def test_jobs_worker_needs_redis(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
