"""CSV and XLSX exports of a registration list, safe to open in a spreadsheet.

Always in English, whatever the host's interface language: other tools read these columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Font

from eventapp.models import Registration
from eventapp.web.formatting import country_name

EXPORT_LOCALE = "en"

#: Spreadsheets run a cell starting with one of these as a formula (CSV/DDE injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: list[tuple[str, Callable[[Registration], object]]] = [
    ("ID", lambda r: r.id),
    ("Honorific", lambda r: r.honorific),
    ("Given name", lambda r: r.given_name),
    ("Family name", lambda r: r.family_name),
    ("Email", lambda r: r.email),
    ("Phone", lambda r: r.phone),
    ("Category", lambda r: str(r.category.label)),
    ("Status", lambda r: str(r.status.label)),
    ("Member", lambda r: r.delegation.member.name if r.delegation else ""),
    ("Head of delegation", lambda r: "yes" if r.delegation and r.delegation.head_registration_id == r.id else ""),
    ("Position", lambda r: r.position),
    ("Organisation", lambda r: r.organisation),
    ("Nationality", lambda r: country_name(r.nationality)),
    ("Country", lambda r: country_name(r.country)),
    ("Gender", lambda r: r.gender),
    ("Accessibility needs", lambda r: r.accessibility_needs),
    ("Dietary needs", lambda r: r.dietary_needs),
    ("Visa letter", lambda r: "yes" if r.needs_visa_letter else ""),
    ("On participant list", lambda r: "yes" if r.consent_participant_list else ""),
    ("Registered (UTC)", lambda r: r.created_at.strftime("%Y-%m-%d %H:%M") if r.created_at else ""),
]


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _rows(registrations: Iterable[Registration]) -> list[list[object]]:
    with force_locale(EXPORT_LOCALE):
        return [[title for title, _ in COLUMNS]] + [
            [neutralise(get(registration)) for _, get in COLUMNS] for registration in registrations
        ]


def to_csv(registrations: Iterable[Registration]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel reads non-Latin names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(_rows(registrations))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(registrations: Iterable[Registration], *, title: str = "Registrations") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in _rows(registrations):
        # Text cells are stored as strings, never as formulas: openpyxl treats "=..." as a formula otherwise.
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
