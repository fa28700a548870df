"""A registrant downloads their own badge from the manage link, once approved, and only theirs."""

from __future__ import annotations

from eventapp.models import RegistrationStatus
from eventapp.registration.tokens import make_manage_token
from tests.badges.test_pdf import page_text
from tests.checkin.builders import add_registration
from tests.conftest import add_meeting


def test_approved_registrant_downloads_their_badge(client, app):
    meeting = add_meeting()
    ana = add_registration(meeting, "Ana", "Pop")
    add_registration(meeting, "Ion", "Ionescu")
    token = make_manage_token(ana)
    assert "download>My badge (PDF)</a>" in client.get(f"/r/{token}").text
    response = client.get(f"/r/{token}/badge.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = page_text(response.data)
    assert "Ana" in text and "Ionescu" not in text


def test_no_badge_before_approval_or_with_a_bad_link(client, app):
    meeting = add_meeting()
    waiting = add_registration(meeting, "Ion", "Ionescu", status=RegistrationStatus.SUBMITTED)
    token = make_manage_token(waiting)
    assert "My badge" not in client.get(f"/r/{token}").text
    assert client.get(f"/r/{token}/badge.pdf").status_code == 404
    assert client.get(f"/r/{token[:-2]}xx/badge.pdf").status_code == 404
