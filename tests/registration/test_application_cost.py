"""What one application costs the database: the meeting read once, three rows written, nothing else."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from eventapp.extensions import db
from tests.conftest import count_statements
from tests.registration.conftest import form_data, open_meeting

TABLE = re.compile(r'^(SELECT)\b.*?\bFROM\s+"?(\w+)|^(INSERT) INTO\s+"?(\w+)', re.DOTALL)


def _what(statement: str) -> str:
    """ "SELECT meetings", "INSERT registrations": the statement's verb and its (first) table."""
    found = TABLE.match(statement)
    if found is None:
        return statement.split()[0]
    return " ".join(part for part in found.groups() if part)


def test_an_application_reads_the_meeting_and_writes_the_person_the_audit_entry_and_the_email(
    client: FlaskClient,
) -> None:
    meeting = open_meeting()
    path = f"/meetings/{meeting.slug}/apply"
    assert client.get(path).status_code == 200
    db.session.expire_all()
    with count_statements() as statements:
        response = client.post(path, data=form_data())
    assert response.status_code == 302
    # No "is this address taken?" read: the unique constraint answers it at the insert.
    assert [_what(s) for s in statements] == [
        "SELECT meetings",
        "INSERT registrations",
        "INSERT audit_log",
        "INSERT outbox_messages",
    ]


def test_opening_the_form_reads_the_meeting_only(client: FlaskClient) -> None:
    path = f"/meetings/{open_meeting().slug}/apply"
    db.session.expire_all()
    with count_statements() as statements:
        assert client.get(path).status_code == 200
    assert [_what(s) for s in statements] == ["SELECT meetings"]
