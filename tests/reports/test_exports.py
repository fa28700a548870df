"""CSV and XLSX exports: read back with csv and openpyxl, scripts kept, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from eventapp.models import RegistrationCategory, RegistrationStatus
from eventapp.reports.exports import neutralise
from tests.conftest import add_meeting
from tests.reports.helpers import add_delegation, add_registration

NAMES = [
    ("Йоана", "Попеску"),
    ("美玲", "王"),
    ("فاطمة", "الزهراء"),
    ("Ngũgĩ", "wa Thiong'o"),
    ("Ελένη", "Παπαδοπούλου"),
]
HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.fixture
def meeting(app):
    return add_meeting("2030-geneva")


@pytest.fixture
def filled(meeting, member):
    delegation = add_delegation(meeting, member)
    for given, family in NAMES:
        add_registration(meeting, given_name=given, family_name=family, status=RegistrationStatus.APPROVED)
    for i, text in enumerate(HOSTILE):
        add_registration(
            meeting, given_name=f"Hostile{i}", family_name="Row", organisation=text, category=RegistrationCategory.MEDIA
        )
    add_registration(meeting, given_name="Delegate", family_name="Rou", delegation=delegation)
    return meeting


def _csv_rows(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark so Excel detects the encoding"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_keeps_every_script_and_neutralises_formulas(client, auth, users, filled):
    auth.login("host@example.org")
    rows = _csv_rows(client, f"/meetings/{filled.slug}/registrations.csv")
    assert len(rows) == len(NAMES) + len(HOSTILE) + 1
    names = {(r["Given name"], r["Family name"]) for r in rows}
    assert set(NAMES) <= names
    organisations = {r["Organisation"] for r in rows if r["Given name"].startswith("Hostile")}
    assert organisations == {"'" + text for text in HOSTILE}
    delegate = next(r for r in rows if r["Given name"] == "Delegate")
    assert delegate["Member"] == "Romania" and delegate["Category"] == "Member delegation"


def test_csv_export_follows_the_filters(client, auth, users, filled):
    auth.login("host@example.org")
    rows = _csv_rows(client, f"/meetings/{filled.slug}/registrations.csv?status=approved")
    assert sorted((r["Given name"], r["Family name"]) for r in rows) == sorted(NAMES)
    rows = _csv_rows(client, f"/meetings/{filled.slug}/registrations.csv?member=ROU")
    assert [r["Given name"] for r in rows] == ["Delegate"]


def test_xlsx_reads_back_with_openpyxl(client, auth, users, filled):
    auth.login("admin@example.org")
    response = client.get(f"/meetings/{filled.slug}/registrations.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    given, family, org = header.index("Given name"), header.index("Family name"), header.index("Organisation")
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(NAMES) + len(HOSTILE) + 1
    assert set(NAMES) <= {(r[given].value, r[family].value) for r in rows}
    hostile = [r[org] for r in rows if str(r[given].value).startswith("Hostile")]
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    assert {c.value for c in hostile} == {"'" + text.replace("\r", "\n") for text in HOSTILE}
    # No cell is stored as a formula.
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_neutralise_leaves_ordinary_values_alone():
    assert neutralise("Ministry of Foreign Affairs") == "Ministry of Foreign Affairs"
    assert neutralise(42) == 42
    assert neutralise("-") == "'-"
    assert neutralise("") == ""
