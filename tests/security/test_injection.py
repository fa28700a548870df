"""Injection: HTML in names and titles, spreadsheet formulas, iCalendar lines, HTTP headers.

The CSV/XLSX checks of the organisation column are in tests/reports/test_exports.py; the ones
here cover every other text column and cells that try to break out of their quotes.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from eventapp.badges.services import badge_token, issue_badge
from eventapp.extensions import db
from eventapp.models import Registration, RegistrationCategory, RegistrationStatus
from tests.conftest import PASSWORD
from tests.feeds.parsing import parse_both
from tests.security.matrix import OK, cases, send, sign_in_everyone
from tests.security.test_authorisation_matrix import RULES
from tests.security.world import DEVICE_TOKEN, EMAILS, PNG, World, build_world, remove_files

MARKUP = '<script>alert("xss")</script>"\'><img src=x onerror=alert(1)>'


def with_markup(plain: str) -> str:
    return f"{plain} {MARKUP}"


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, object]:
    return {"UPLOAD_FOLDER": str(tmp_path / "uploads")}


class PageInspector(HTMLParser):
    """Collects what a browser would run or show: scripts, event handlers, text and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.injected: list[str] = []
        self.shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and "src" not in values:
            self.injected.append("inline <script>")
        if tag == "img" and values.get("src") == "x":
            self.injected.append("<img src=x>")
        self.injected.extend(f"{tag} {name}=" for name in values if name.startswith("on"))
        self.shown.extend(value for value in values.values() if value)

    def handle_data(self, data: str) -> None:
        self.shown.append(data)


def inspect(html: str) -> PageInspector:
    inspector = PageInspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    with app.app_context():
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _get(app: Flask, client: FlaskClient, url: str) -> str:
    with app.app_context():  # a request context of its own (see matrix.send)
        response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# --- HTML --------------------------------------------------------------------------------------


def _admit_delegate_a(app: Flask, world: World) -> None:
    """So that member A (and its name) shows on the attendance dashboard."""
    delegate = db.session.get(Registration, world.delegate_a)
    token = badge_token(issue_badge(delegate))
    db.session.commit()
    body = {"token": token, "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex}
    with app.app_context():
        answer = app.test_client().post(
            f"/api/v1/meetings/{world.slug}/scans", json=body, headers={"Authorization": f"Bearer {DEVICE_TOKEN}"}
        )
    assert answer.json["result"] == "admitted"


@pytest.mark.parametrize(
    "page, shows",
    [
        ("/meetings/{slug}/agenda", "Opening plenary"),
        ("/meetings/{slug}/review?status=submitted", "Yusuf"),
        ("/meetings/{slug}/registrations", "Xenia"),
        ("/meetings/{slug}/attendance", "Romania"),
        ("/meetings/{slug}/badges", "Xenia"),
    ],
)
def test_names_and_titles_with_markup_are_shown_as_text(app: Flask, page: str, shows: str) -> None:
    world = build_world(with_markup)
    _admit_delegate_a(app, world)
    html = _get(app, _signed_in(app, EMAILS["host"]), page.format(slug=world.slug))
    found = inspect(html)
    assert found.injected == []
    assert any(with_markup(shows) in text for text in found.shown)  # shown, escaped, exactly as typed
    assert MARKUP not in html  # never raw


def test_no_page_runs_markup_from_the_data(app: Flask) -> None:
    """Every HTML page of the authorisation table, as every role that may open it."""
    world = build_world(with_markup)
    _admit_delegate_a(app, world)
    credentials = sign_in_everyone(app, world)
    checked, showing = 0, set()
    for case in cases(app, RULES):
        if case.method != "GET":
            continue
        for role, expected in case.rule.access.items():
            if expected != OK:
                continue
            response = send(app, case, world, role, credentials[role])
            if response.mimetype != "text/html":
                continue
            found = inspect(response.get_data(as_text=True))
            assert found.injected == [], f"{case.describe()} as {role}: {found.injected}"
            checked += 1
            if any(MARKUP in text for text in found.shown):
                showing.add(case.endpoint)
    print(f"HTML injection: {checked} pages checked, {len(showing)} endpoints show the hostile strings")
    assert {"agenda.index", "registration.review", "reports.registrations", "badges.index"} <= showing
    assert {"checkin.dashboard", "registration.delegation", "registration.manage", "mail.outbox"} <= showing


# --- CSV and XLSX ------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3+4", "@SUM(A1)", "\t=1+1", "\r=1+1"]
TEXT_COLUMNS = {
    "Honorific": "honorific",
    "Given name": "given_name",
    "Family name": "family_name",
    "Phone": "phone",
    "Position": "position",
    "Gender": "gender",
    "Accessibility needs": "accessibility_needs",
    "Dietary needs": "dietary_needs",
}


@pytest.fixture
def formula_rows(app: Flask) -> World:
    world = build_world()
    for i, formula in enumerate(FORMULAS):
        values = {field: formula for field in TEXT_COLUMNS.values()}
        db.session.add(
            Registration(
                meeting_id=world.meeting_id,
                category=RegistrationCategory.MEDIA,
                status=RegistrationStatus.SUBMITTED,
                email=f"formula{i}@example.org",
                organisation='Quote", =1+1, "',  # tries to close its own quotes
                **values,
            )
        )
    db.session.add(
        Registration(
            meeting_id=world.meeting_id,
            category=RegistrationCategory.MEDIA,
            given_name="Email",
            family_name="Formula",
            email="=1+2@example.org",  # a valid address that starts like a formula
            organisation="Line one\n=1+1",
        )
    )
    db.session.commit()
    return world


def test_csv_neutralises_formulas_in_every_text_column(app: Flask, formula_rows: World) -> None:
    client = _signed_in(app, EMAILS["host"])
    with app.app_context():
        body = client.get(f"/meetings/{formula_rows.slug}/registrations.csv").get_data()
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    hostile = [r for r in rows if r["Email"].startswith("formula")]
    assert len(hostile) == len(FORMULAS)
    for row in hostile:
        assert None not in row, "a cell broke out of its quotes into extra columns"
        for column in TEXT_COLUMNS:
            assert row[column][:1] == "'" and row[column][1:] in FORMULAS, (column, row[column])
        assert row["Organisation"] == 'Quote", =1+1, "'
    email_row = next(r for r in rows if r["Family name"] == "Formula")
    assert email_row["Email"] == "'=1+2@example.org"
    assert email_row["Organisation"] == "Line one\n=1+1"  # one cell; its second line starts no formula cell


def test_xlsx_stores_no_formula_in_any_column(app: Flask, formula_rows: World) -> None:
    client = _signed_in(app, EMAILS["admin"])
    with app.app_context():
        body = client.get(f"/meetings/{formula_rows.slug}/registrations.xlsx").get_data()
    sheet = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in sheet[1]]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    starts = tuple(f[0] for f in FORMULAS) + ("\n",)  # XML reads a carriage return back as a line feed
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(starts)], "a text cell starts like a formula"
    given = header.index("Given name")
    assert sum(1 for row in sheet.iter_rows(min_row=2) if str(row[given].value).startswith("'")) == len(FORMULAS)


# --- iCalendar ---------------------------------------------------------------------------------

LINES = "\r\nBEGIN:VEVENT\r\nUID:x@evil\r\nEND:VEVENT\r\nATTACH:http://e/;a,b\\c\nX-EVIL:1"  # fits 100 characters
EVENT_PROPERTIES = {
    "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "STATUS", "LAST-MODIFIED", "CREATED",
    "LOCATION", "DESCRIPTION", "URL", "CATEGORIES", "TRANSP",
}  # fmt: skip
CALENDAR_PROPERTIES = {
    "PRODID", "VERSION", "CALSCALE", "METHOD", "X-WR-CALNAME", "X-WR-TIMEZONE", "REFRESH-INTERVAL",
    "X-PUBLISHED-TTL",
}  # fmt: skip


def with_lines(plain: str) -> str:
    """The hostile text as a calendar reads it back (iCalendar text keeps line breaks as LF)."""
    return f"{plain} {LINES}".replace("\r\n", "\n")


def _calendar(app: Flask, url: str) -> icalendar.Calendar:
    with app.app_context():
        response = app.test_client().get(url)
    assert response.status_code == 200, url
    loose, _strict = parse_both(response.get_data())  # the strict parser must accept it too
    return loose


def _check(calendar: icalendar.Calendar, titles: set[str]) -> None:
    assert {c.name for c in calendar.walk()} <= {"VCALENDAR", "VTIMEZONE", "STANDARD", "DAYLIGHT", "VEVENT"}
    assert set(calendar.keys()) <= CALENDAR_PROPERTIES
    events = calendar.walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == titles  # one event per session, text kept whole
    for event in events:
        assert set(event.keys()) <= EVENT_PROPERTIES, set(event.keys()) - EVENT_PROPERTIES
        assert re.fullmatch(r"(session|meeting)-\d+[-@].+", str(event["UID"]))


def test_calendar_lines_in_titles_stay_inside_their_property(app: Flask) -> None:
    world = build_world(lambda plain: f"{plain} {LINES}")
    open_titles = {
        with_lines("Opening plenary"),
        with_lines("Working session"),
        f"Cancelled: {with_lines('Field visit')}",
    }
    meeting_feed = _calendar(app, f"/meetings/{world.slug}/agenda.ics")
    _check(meeting_feed, open_titles)
    event = next(e for e in meeting_feed.walk("VEVENT") if str(e["SUMMARY"]) == with_lines("Opening plenary"))
    assert with_lines("Welcome") in str(event["DESCRIPTION"])
    assert with_lines("Amina Speaker") in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]).startswith(with_lines("Plenary hall"))
    # The parser does not know this X- property is text: undo the TEXT escapes here.
    name = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], str(meeting_feed["X-WR-CALNAME"]))
    assert name == f"{with_lines('Matrix meeting')} (agenda)"

    personal = _calendar(app, f"/calendar/{world.calendar_token_x}.ics")
    _check(
        personal,
        {with_lines("Opening plenary"), with_lines("Working session"), f"Cancelled: {with_lines('Field visit')}"},
    )
    one = _calendar(app, f"/meetings/{world.slug}/sessions/{world.session_open}.ics")
    _check(one, {with_lines("Opening plenary")})
    meeting = _calendar(app, f"/r/{world.manage_token_x}/meeting.ics")
    _check(meeting, {with_lines("Matrix meeting")})


# --- HTTP headers ------------------------------------------------------------------------------

CRLF_COOKIE = "\r\nSet-Cookie: evil=1"
ENCODED_CRLF_COOKIE = "%0D%0ASet-Cookie:%20evil=1"


def _no_injected_header(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert not any("evil" in value for value in headers.getlist("Set-Cookie"))
    assert all("\r" not in value and "\n" not in value for _, value in headers.items())


@pytest.mark.parametrize(
    "target", [f"/{CRLF_COOKIE}", f"/{ENCODED_CRLF_COOKIE}", f"/{CRLF_COOKIE.replace(chr(13), '')}"]
)
def test_next_with_a_line_break_adds_no_header(app: Flask, target: str) -> None:
    build_world()
    with app.app_context():
        client = app.test_client()
        signed_in = client.post("/login", data={"email": EMAILS["host"], "password": PASSWORD, "next": target})
        chose = client.get("/language", query_string={"lang": "fr", "next": target})
        asked = client.get("/members/new", query_string={"then": target})
    for response in (signed_in, chose):
        assert response.status_code == 302
        _no_injected_header(response)
    _no_injected_header(asked)


def test_query_values_in_a_redirect_are_encoded(app: Flask) -> None:
    world = build_world()
    client = _signed_in(app, EMAILS["host"])
    with app.app_context():
        response = client.post(
            f"/meetings/{world.slug}/review?status={ENCODED_CRLF_COOKIE}",
            data={"selected": str(world.registrant_y), "action": "approve"},
        )
    assert response.status_code == 302
    _no_injected_header(response)
    assert "%0D%0A" in response.headers["Location"]


def test_a_line_break_in_a_meeting_address_reaches_no_header(app: Flask) -> None:
    build_world()
    client = _signed_in(app, EMAILS["admin"])
    form = {
        "kind": "capital_level",
        "title": "Meeting in Oslo",
        "slug": f'oslo"{CRLF_COOKIE}',
        "city": "Oslo",
        "timezone": "Europe/Oslo",
        "starts_on": "2032-06-01",
        "ends_on": "2032-06-02",
        "status": "published",
        "delegation_quota": "4",
        "anonymise_after_days": "90",
    }
    with app.app_context():
        refused = client.post("/meetings/new", data=form)
        created = client.post("/meetings/new", data=form | {"slug": "oslo-2032"})
    # A line break is refused next to the field (one-line text), and nothing is created.
    assert refused.status_code == 422
    assert "Write this on one line, without line breaks or tabs." in refused.get_data(as_text=True)
    assert created.status_code == 302
    slug = created.headers["Location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"[a-z0-9-]+", slug)
    with app.app_context():
        pdf = app.test_client().get(f"/meetings/{slug}/agenda.pdf")
        unknown = app.test_client().get(f"/meetings/{slug}{ENCODED_CRLF_COOKIE}/agenda.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["Content-Disposition"] == f'attachment; filename="{slug}-agenda.pdf"'
    assert unknown.status_code == 404
    _no_injected_header(unknown)


def test_an_uploaded_photo_keeps_none_of_its_file_name(app: Flask) -> None:
    world = build_world()
    data = {
        "category": "civil_society",
        "given_name": "Amina",
        "family_name": "Diallo",
        "email": "amina@example.org",
        "organisation": "Femmes pour la paix",
        "country": "SEN",
        "motivation": "Mediation in the Sahel.",
        "consent_data_processing": "y",
        "photo": (io.BytesIO(PNG), f'face"{CRLF_COOKIE}.png'),
    }
    with app.app_context():
        applied = app.test_client().post(f"/meetings/{world.slug}/apply", data=data, content_type="multipart/form-data")
    assert applied.status_code == 302
    registration = db.session.query(Registration).filter_by(email="amina@example.org").one()
    assert re.fullmatch(r"[0-9a-f]{32}\.png", registration.photo_filename or "")
    registration.status = RegistrationStatus.APPROVED
    db.session.commit()
    scanner = _signed_in(app, EMAILS["scanner"])
    with app.app_context():
        photo = scanner.get(f"/meetings/{world.slug}/scanner/photos/{registration.id}")
    # The scanner shows the photo cropped to the badge's shape, re-encoded as JPEG.
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    _no_injected_header(photo)


@pytest.fixture(autouse=True)
def _files(app: Flask) -> object:
    yield
    remove_files()
