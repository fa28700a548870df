"""The agenda as a PDF (fpdf2, with Noto Sans so names in any Latin, Greek or Cyrillic script print)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import fontpkg
from fpdf import FPDF

from eventapp.models import Meeting, Session, SessionAccess, SessionStatus
from eventapp.web.formatting import format_date, format_date_range

FAMILY = "NotoSans"


@lru_cache(maxsize=1)
def _font_path() -> Path:
    return fontpkg.path("Noto Sans", weight=400)


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    # The packaged font is variable; pinning weights (instancing) takes seconds, so the default
    # (regular) instance is used and bold is drawn with a thin outline.
    pdf.add_font(FAMILY, "", str(_font_path()))
    return pdf


def _line(pdf: FPDF, text: str, size: float = 10, style: str = "", gap: float = 5.2) -> None:
    pdf.set_font(FAMILY, "", size)
    if "B" in style:
        with pdf.local_context(text_mode="FILL_STROKE", line_width=size / 60):
            pdf.multi_cell(0, gap, text, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, gap, text, new_x="LMARGIN", new_y="NEXT")


def agenda_pdf(meeting: Meeting, agenda: list[tuple[date, list[Session]]]) -> bytes:
    """A printable agenda, times in the meeting's zone (named on the first page)."""
    zone = meeting.zone
    pdf = _pdf()
    pdf.set_title(f"{meeting.title}: agenda")
    pdf.set_author(meeting.secretariat or "WPS Focal Points Network")
    pdf.add_page()
    _line(pdf, meeting.title, 16, "B", 8)
    _line(pdf, f"{format_date_range(meeting.starts_on, meeting.ends_on)} · {meeting.city}", 11)
    _line(pdf, f"All times are in {meeting.timezone}.", 9)
    if not agenda:
        pdf.ln(4)
        _line(pdf, "The agenda is not published yet.", 11)
    for day, sessions in agenda:
        pdf.ln(4)
        _line(pdf, format_date(day), 13, "B", 7)
        for s in sessions:
            start, end = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
            tags = [s.type.label]
            if s.access != SessionAccess.OPEN:
                tags.append(s.access.label)
            if s.status != SessionStatus.CONFIRMED:
                tags.append(s.status.label.upper())
            pdf.ln(1.5)
            _line(pdf, f"{start:%H:%M}–{end:%H:%M} {start.tzname()}   {s.title}", 10.5, "B")
            details = " · ".join(tags)
            if s.room is not None:
                details += f" · {s.room.name}"
            if s.track:
                details += f" · {s.track}"
            _line(pdf, details, 9)
            people = ", ".join(p.display_name for p in s.speakers if p.display_name)
            if people:
                _line(pdf, f"With {people}", 9)
    return bytes(pdf.output())
