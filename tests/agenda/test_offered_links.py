"""Pages offer a feed or PDF link only where it answers: no link to a 404, published or not."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.models import Meeting, MeetingStatus, SessionAccess
from eventapp.registration.tokens import make_manage_token
from tests.agenda.builders import add_registration, add_session
from tests.conftest import AuthActions, Users, add_meeting

#: Addresses of feeds, PDFs and the agenda, wherever a page puts them (links, <link rel>, webcal).
OFFERED = re.compile(r'(?:href)="((?:webcal|https?)://[^"]+|/[^"]*(?:\.ics|\.pdf|/agenda)(?:\?[^"]*)?)"')


def offered(html: str) -> set[str]:
    return {m.replace("&amp;", "&") for m in OFFERED.findall(html)}


def _meeting(*, published: bool, status: MeetingStatus = MeetingStatus.PUBLISHED) -> Meeting:
    return add_meeting(
        "2030-new-york",
        timezone="America/New_York",
        starts_on=date(2030, 6, 3),
        ends_on=date(2030, 6, 4),
        agenda_published=published,
        status=status,
    )


def _follow(app: Flask, signed_in: FlaskClient, link: str) -> int:
    """A webcal link opens in a calendar app, which has no sign-in; any other in the same browser."""
    if link.startswith("webcal://"):
        return app.test_client().get("/" + link.split("/", 3)[3]).status_code
    path = "/" + link.split("/", 3)[3] if "://" in link else link
    return signed_in.get(path).status_code


def _pages(meeting: Meeting, session_id: int, token: str) -> list[str]:
    return [
        f"/meetings/{meeting.slug}",
        f"/meetings/{meeting.slug}/agenda",
        f"/meetings/{meeting.slug}/sessions/{session_id}",
        f"/meetings/{meeting.slug}/agenda/edit",
        f"/meetings/{meeting.slug}/agenda/edit/grid",
        f"/r/{token}/agenda",
    ]


@pytest.mark.parametrize(
    ("published", "status"),
    [(False, MeetingStatus.PUBLISHED), (True, MeetingStatus.DRAFT), (True, MeetingStatus.PUBLISHED)],
    ids=["agenda-not-published", "meeting-draft", "published"],
)
def test_no_page_offers_a_feed_or_pdf_that_answers_404(
    app: Flask, client: FlaskClient, auth: AuthActions, users: Users, published: bool, status: MeetingStatus
) -> None:
    meeting = _meeting(published=published, status=status)
    opening = add_session(meeting, "Opening", "2030-06-03 09:00", "2030-06-03 10:00")
    closed = add_session(meeting, "Closed", "2030-06-03 11:00", "2030-06-03 12:00", access=SessionAccess.DELEGATIONS)
    token = make_manage_token(add_registration(meeting, "amina@example.org"))
    db.session.commit()
    auth.login(users.host.email)

    seen: dict[str, set[str]] = {}
    for page in [*_pages(meeting, opening.id, token), f"/meetings/{meeting.slug}/sessions/{closed.id}"]:
        response = client.get(page)
        assert response.status_code == 200, page
        seen[page] = offered(response.get_data(as_text=True))
        for link in seen[page]:
            assert _follow(app, client, link) != 404, f"{page} offers {link}, which answers 404"

    feeds = {link for links in seen.values() for link in links if link.endswith(".ics")}
    if published and status == MeetingStatus.PUBLISHED:
        # The links are there when they answer: the test would see a 404 if one were wrong.
        assert any(link.startswith("webcal://") and "agenda.ics" in link for link in feeds)
        assert any("/calendar/" in link for link in feeds)
        assert any(".pdf" in link for link in seen[f"/meetings/{meeting.slug}/agenda"])
    else:
        assert not any(link.startswith("webcal://") and "/calendar/" not in link for link in feeds)
        assert not any("agenda.ics" in link for link in feeds)
        # A person's own feed follows the agenda's publication, whatever the meeting's state.
        assert any("/calendar/" in link for link in feeds) == published
    # A closed session's file downloads for the host, but no calendar app could subscribe to it.
    closed_page = seen[f"/meetings/{meeting.slug}/sessions/{closed.id}"]
    assert not any(link.startswith("webcal://") and f"/sessions/{closed.id}.ics" in link for link in closed_page)


def test_an_unpublished_agenda_offers_the_public_neither_feed_nor_pdf(client: FlaskClient) -> None:
    meeting = _meeting(published=False)
    add_session(meeting, "Opening", "2030-06-03 09:00", "2030-06-03 10:00")
    for page in (f"/meetings/{meeting.slug}", f"/meetings/{meeting.slug}/agenda"):
        links = offered(client.get(page).get_data(as_text=True))
        assert not any(link.endswith((".ics", ".pdf")) or ".pdf?" in link for link in links), page
