"""The agenda as a PDF (fpdf2, Noto Sans; other scripts' Noto fonts are added when the text needs them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import fontpkg
from flask_babel import get_locale
from flask_babel import gettext as _
from fpdf import FPDF

from eventapp.badges.fonts import PRIMARY, font_files
from eventapp.badges.pdf import needs_shaping
from eventapp.i18n.locales import text_direction
from eventapp.models import Meeting, Session, SessionAccess, SessionStatus
from eventapp.web.formatting import format_date, format_date_range

FAMILY = "NotoSans"


@dataclass(frozen=True)
class Line:
    text: str
    size: float = 10
    bold: bool = False
    gap: float = 5.2
    space_before: float = 0


@lru_cache(maxsize=1)
def _font_path() -> Path:
    return fontpkg.path("Noto Sans", weight=400)


def _beyond_noto_sans(text: str) -> bool:
    # Noto Sans covers Latin, Greek and Cyrillic; Arabic, CJK and the rest come from fallbacks.
    return any(ord(ch) >= 0x0590 for ch in text)


def _pdf(lines: list[Line]) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    # The packaged font is variable; pinning weights (instancing) takes seconds, so the default
    # (regular) instance is used and bold is drawn with a thin outline.
    pdf.add_font(FAMILY, "", str(_font_path()))
    if any(_beyond_noto_sans(line.text) for line in lines):
        # Loading the other fonts costs about half a second: only when a line needs them.
        fallbacks = {family: path for family, path in font_files().items() if family != PRIMARY}
        for family, path in fallbacks.items():
            pdf.add_font(family, "", str(path))
        pdf.set_fallback_fonts(list(fallbacks), exact_match=False)
    return pdf


def _draw(pdf: FPDF, line: Line, align: str) -> None:
    if line.space_before:
        pdf.ln(line.space_before)
    pdf.set_font(FAMILY, "", line.size)
    pdf.set_text_shaping(needs_shaping(line.text))
    if line.bold:
        with pdf.local_context(text_mode="FILL_STROKE", line_width=line.size / 60):
            pdf.multi_cell(0, line.gap, line.text, align=align, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, line.gap, line.text, align=align, new_x="LMARGIN", new_y="NEXT")


def agenda_lines(meeting: Meeting, agenda: list[tuple[date, list[Session]]]) -> list[Line]:
    """What the PDF says, line by line, in the reader's language; times in the meeting's zone."""
    zone = meeting.zone
    lines = [
        Line(meeting.title, 16, True, 8),
        Line(f"{format_date_range(meeting.starts_on, meeting.ends_on)} · {meeting.city}", 11),
        Line(_("All times are in %(zone)s.", zone=meeting.timezone), 9),
    ]
    if not agenda:
        lines.append(Line(_("The agenda is not published yet."), 11, space_before=4))
    for day, sessions in agenda:
        lines.append(Line(format_date(day), 13, True, 7, space_before=4))
        for s in sessions:
            start, end = s.starts_at.astimezone(zone), s.ends_at.astimezone(zone)
            tags = [s.type.label]
            if s.access != SessionAccess.OPEN:
                tags.append(s.access.label)
            if s.status != SessionStatus.CONFIRMED:
                tags.append(s.status.label.upper())
            lines.append(Line(f"{start:%H:%M}–{end:%H:%M} {start.tzname()}   {s.title}", 10.5, True, space_before=1.5))
            details = " · ".join(tags)
            if s.room is not None:
                details += f" · {s.room.name}"
            if s.track:
                details += f" · {s.track}"
            lines.append(Line(details, 9))
            people = ", ".join(p.display_name for p in s.speakers if p.display_name)
            if people:
                lines.append(Line(_("With %(names)s", names=people), 9))
    return lines


def agenda_pdf(meeting: Meeting, agenda: list[tuple[date, list[Session]]]) -> bytes:
    """A printable agenda, times in the meeting's zone (named on the first page)."""
    lines = agenda_lines(meeting, agenda)
    pdf = _pdf(lines)
    pdf.set_title(_("%(title)s: agenda", title=meeting.title))
    pdf.set_author(meeting.secretariat or "WPS Focal Points Network")
    pdf.add_page()
    align = "R" if text_direction(get_locale()) == "rtl" else "L"
    for line in lines:
        _draw(pdf, line, align)
    return bytes(pdf.output())
