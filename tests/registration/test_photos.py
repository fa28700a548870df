"""The photo a person sends with their registration reaches the hosts who review it, and only them."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from eventapp.extensions import db
from eventapp.registration.people import clean_photo
from tests.conftest import AuthActions, Users
from tests.registration.conftest import PNG, applicant, open_meeting


def _photo_url(slug: str, registration_id: int) -> str:
    return f"/meetings/{slug}/registrations/{registration_id}/photo"


def test_hosts_see_an_applicants_photo_in_the_review_queue(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = open_meeting()
    with_photo = applicant(meeting, "amina@example.org", photo=PNG)
    without = applicant(meeting, "elena@example.org")
    slug, photo_id, plain_id = meeting.slug, with_photo.id, without.id
    db.session.commit()
    auth.login("host@example.org")

    html = client.get(f"/meetings/{slug}/review").get_data(as_text=True)
    assert _photo_url(slug, photo_id) in html
    assert _photo_url(slug, plain_id) not in html

    answer = client.get(_photo_url(slug, photo_id))
    assert answer.status_code == 200 and answer.data == clean_photo(PNG).data
    assert answer.mimetype == "image/png"
    assert "no-store" in answer.headers["Cache-Control"]
    assert client.get(_photo_url(slug, plain_id)).status_code == 404


@pytest.mark.parametrize(("email", "expected"), [(None, 302), ("fp@example.org", 403), ("scanner@example.org", 403)])
def test_only_hosts_open_registration_photos(
    client: FlaskClient, auth: AuthActions, users: Users, email: str | None, expected: int
) -> None:
    meeting = open_meeting()
    registration = applicant(meeting, "amina@example.org", photo=PNG)
    url = _photo_url(meeting.slug, registration.id)
    db.session.commit()
    if email:
        auth.login(email)
    assert client.get(url).status_code == expected


def test_a_photo_is_only_reached_through_its_own_meeting(client: FlaskClient, auth: AuthActions, users: Users) -> None:
    geneva = open_meeting("2030-geneva")
    nairobi = open_meeting("2031-nairobi")
    registration = applicant(geneva, "amina@example.org", photo=PNG)
    wrong, right = _photo_url(nairobi.slug, registration.id), _photo_url(geneva.slug, registration.id)
    db.session.commit()
    auth.login("host@example.org")
    assert client.get(wrong).status_code == 404
    assert client.get(right).status_code == 200
