"""Host views follow the host's language; exports stay in English for the tools that read them."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh
from openpyxl import load_workbook

from eventapp.models import RegistrationStatus
from eventapp.reports.exports import COLUMNS
from tests.conftest import AuthActions, Users, add_meeting
from tests.reports.helpers import add_registration

FRENCH = {"Accept-Language": "fr"}


@pytest.fixture(autouse=True)
def _locale_per_request(app: Flask) -> None:
    # The test client shares the test's app context, where Flask-Babel would keep the first locale.
    app.before_request(refresh)


def test_exports_keep_english_headers_and_titles_under_a_french_interface(
    client: FlaskClient, auth: AuthActions, users: Users
) -> None:
    meeting = add_meeting("2030-geneva")
    add_registration(meeting, given_name="Amina", family_name="Diallo", status=RegistrationStatus.APPROVED)
    auth.login("host@example.org")
    page = client.get(f"/meetings/{meeting.slug}/registrations", headers=FRENCH).get_data(as_text=True)
    assert "Approuvée" in page and "Société civile" in page  # the page itself is in French

    body = client.get(f"/meetings/{meeting.slug}/registrations.csv", headers=FRENCH).get_data()
    header, row = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == [title for title, _ in COLUMNS]
    assert row[header.index("Category")] == "Civil society"
    assert row[header.index("Status")] == "Approved"

    body = client.get(f"/meetings/{meeting.slug}/registrations.xlsx", headers=FRENCH).get_data()
    sheet = load_workbook(io.BytesIO(body)).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert values[0] == header
    assert values[1][header.index("Status")] == "Approved"
