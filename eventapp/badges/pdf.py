"""Badge PDFs with fpdf2: one badge, or batch sheets, names shaped by HarfBuzz in any script.

The QR code is drawn as vector rectangles straight from qrcode's module matrix (one rectangle per
run of dark modules in a row), which is much faster than making an image per badge and stays
sharp at any printer resolution.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import qrcode
import qrcode.constants
from flask_babel import force_locale
from fpdf import FPDF

from eventapp.badges.fonts import CONDENSED, PRIMARY, Run, faces_for, runs
from eventapp.badges.measure import MM_PER_PT, NameLayout, layout_name, printed_runs, run_width, text_width
from eventapp.badges.names import printed_name
from eventapp.badges.photos import PHOTO_RATIO, cropped_photo
from eventapp.badges.qr import ALPHANUMERIC, codewords
from eventapp.badges.static_fonts import document_font
from eventapp.models import Meeting, MemberKind, Registration, RegistrationCategory
from eventapp.models.base import N_
from eventapp.web.formatting import country_name, format_date_range

MM_PER_INCH = 25.4
#: The name's box reaches this share of the badge's width from each edge (other texts keep 5%).
NAME_MARGIN = 0.03
#: Line height of a name on two lines, in times its size.
LINE_SPACING = 1.35
#: Fixed QR mask pattern (0-7); see qr_runs.
QR_MASK = 2


@dataclass(frozen=True)
class Layout:
    name: str
    label: str
    page: tuple[float, float]
    badge: tuple[float, float]
    columns: int
    rows: int

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS = {
    "a6": Layout("a6", N_("A6, one badge per page"), (105, 148), (105, 148), 1, 1),
    "a4-4up": Layout("a4-4up", N_("A4, four A6 badges per sheet"), (210, 297), (105, 148), 2, 2),
    "letter-4x3": Layout(
        "letter-4x3",
        N_("Letter, 4 x 3 in badges"),
        (8.5 * MM_PER_INCH, 11 * MM_PER_INCH),
        (4 * MM_PER_INCH, 3 * MM_PER_INCH),
        2,
        3,
    ),
}

#: Band colour (RGB) and label colour per category; the label text says the category too.
CATEGORY_STYLE: dict[RegistrationCategory, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    RegistrationCategory.DELEGATE: ((0, 94, 184), (255, 255, 255)),
    RegistrationCategory.CIVIL_SOCIETY: ((0, 128, 72), (255, 255, 255)),
    RegistrationCategory.WOMEN_PEACEBUILDER: ((110, 40, 150), (255, 255, 255)),
    RegistrationCategory.PARLIAMENTARIAN: ((160, 20, 40), (255, 255, 255)),
    RegistrationCategory.ACADEMIA: ((230, 120, 0), (0, 0, 0)),
    RegistrationCategory.PRIVATE_SECTOR: ((90, 90, 90), (255, 255, 255)),
    RegistrationCategory.MEDIA: ((250, 210, 0), (0, 0, 0)),
    RegistrationCategory.SECRETARIAT: ((20, 20, 20), (255, 255, 255)),
}


@dataclass(frozen=True)
class BadgeContent:
    name: str
    affiliation: str
    category: RegistrationCategory
    token: str
    #: The category as printed, in the badge's language (the band's colour says it too).
    category_label: str = ""
    #: The country an applicant works in (delegates' member is their affiliation).
    country: str = ""
    #: The person's photo cropped to the badge's shape.
    photo: Path | None = None


def content_for(registration: Registration, token: str) -> BadgeContent:
    """What one badge shows; the category label and country in the current language (see render_badges)."""
    member = registration.delegation.member if registration.delegation else None
    if member is not None:
        affiliation = country_name(member.iso3) if member.kind == MemberKind.STATE else member.name
        country = ""
    else:
        affiliation, country = registration.organisation, country_name(registration.country)
    return BadgeContent(
        printed_name(registration).text,
        affiliation,
        registration.category,
        token,
        registration.category.label,
        country=country,
        photo=cropped_photo(registration),
    )


@cache
def _qr_version(length: int, numeric: bool = False) -> int:
    """The smallest QR version that holds a numeric or alphanumeric text of this length at level M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(("1" if numeric else "A") * length, optimize=0)
    code.best_fit()
    return int(code.version or 1)


def qr_runs(token: str) -> tuple[int, list[tuple[int, int, int]]]:
    """(size in modules, [(row, first column, length)]) of the dark runs, quiet zone excluded.

    The version and mask are fixed rather than searched: any mask is valid for decoders, and
    trying all eight was most of the time spent per badge.
    """
    numeric = token.isdigit() and token.isascii()
    code = qrcode.QRCode(
        version=_qr_version(len(token), numeric),
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
        mask_pattern=QR_MASK,
    )
    code.add_data(token, optimize=0)
    if numeric or all(c in ALPHANUMERIC for c in token):
        code.data_cache = codewords(token, code.version, qrcode.constants.ERROR_CORRECT_M)
    code.make(fit=False)
    runs = []
    for r, row in enumerate(code.modules):
        c = 0
        size = len(row)
        while c < size:
            if row[c]:
                start = c
                while c < size and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(code.modules), runs


def needs_shaping(text: str) -> bool:
    """Whether HarfBuzz must shape the text: scripts from Hebrew on, or combining marks.

    Precomposed Latin, Greek and Cyrillic render right without it, and skipping it makes the
    repeated labels and most names several times cheaper to draw.
    """
    for ch in text:
        code = ord(ch)
        if (code >= 0x0590 and not 0x1E00 <= code <= 0x1FFF) or unicodedata.combining(ch):
            return True
    return False


def category_text(content: BadgeContent) -> str:
    """The band's label as printed."""
    return (content.category_label or content.category.label).upper()


def printed_texts(meeting_title: str, contents: Sequence[BadgeContent], dates: str = "") -> list[str]:
    """Every text the badges print; the fonts a document embeds are chosen from these."""
    texts = [meeting_title, dates]
    for content in contents:
        texts.extend((category_text(content), content.name, content.affiliation, content.country))
    return texts


def shaped_families(faces: Mapping[str, Collection[int]], texts: Iterable[str]) -> set[str]:
    """The families that print a character, other than white space, of a run that needs shaping."""
    points = {
        ord(c) for text in texts for run in runs(text) if needs_shaping(run.text) for c in run.text if not c.isspace()
    }
    return {family for family, printed in faces.items() if not points.isdisjoint(printed)}


def visual_order(line: Sequence[Run]) -> list[Run]:
    """Runs left to right: a right-to-left line reverses its runs, keeping left-to-right groups in order."""
    if not line:
        return []
    groups: list[list[Run]] = []
    for run in line:
        if groups and groups[-1][0].right_to_left == run.right_to_left:
            groups[-1].append(run)
        else:
            groups.append([run])
    rtl_line = line[0].right_to_left
    ordered = []
    for group in reversed(groups) if rtl_line else groups:
        ordered.extend(reversed(group) if group[0].right_to_left else group)
    return ordered


class BadgePDF(FPDF):
    def __init__(self, layout: Layout, faces: Mapping[str, Collection[int]], shaped: Collection[str]) -> None:
        """A document with these font families, each for its code points (see faces_for).

        `shaped`: the families HarfBuzz shapes text with (see shaped_families). The document's
        cut-down fonts live in a folder of its own until it is output.
        """
        super().__init__(unit="mm", format=layout.page)
        self.layout = layout
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.set_creator("WPS Focal Points Network")
        self.font_folder = tempfile.TemporaryDirectory(prefix="badge-fonts-")
        for family, points in faces.items():
            # fpdf2 reads a width for every character a face maps (about 45,000 in the CJK face),
            # so each face maps only the characters it prints here (none given: all of them).
            self.add_font(
                family,
                "",
                str(document_font(family, points, family in shaped, Path(self.font_folder.name))),
                unicode_range=sorted(points) or None,
            )
        self.families = set(faces)
        self.set_fallback_fonts([family for family in faces if family != PRIMARY], exact_match=False)
        self.set_font(PRIMARY, size=10)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        """The document; its cut-down fonts are removed once it is written."""
        try:
            return super().output(*args, **kwargs)
        finally:
            self.font_folder.cleanup()

    def text_line(
        self,
        text: str,
        x: float,
        y: float,
        width: float,
        height: float,
        size: float,
        condensed: bool = False,
        align: str = "C",
    ) -> None:
        """One line in the box (centred, or from its left edge with align="L"), each run in its own font."""
        placed = visual_order(printed_runs(text, condensed))
        widths = [run_width(r.family, r.text) * size for r in placed]
        left = x + (max(0.0, (width - sum(widths)) / 2) if align == "C" else 0.0)
        for run, run_w in zip(placed, widths, strict=True):
            family = run.family if run.family in self.families else PRIMARY
            self.set_font(family, size=size)
            self.set_text_shaping(needs_shaping(run.text))
            self.set_xy(left, y)
            self.cell(run_w, height, run.text, align="C")
            left += run_w

    def fit_text(
        self, text: str, x: float, y: float, width: float, height: float, start: float, least: float, align: str = "C"
    ) -> None:
        """One line, shrunk to fit the width (not below `least`)."""
        size = max(least, min(start, width / max(text_width(text), 1e-6) * 0.98))
        self.text_line(text, x, y, width, height, size, align=align)

    def draw_name(self, layout: NameLayout, x: float, y: float, width: float, height: float) -> None:
        """The name's one or two lines centred in the box."""
        if len(layout.lines) == 1:
            self.text_line(layout.lines[0], x, y, width, height, layout.size, layout.condensed)
            return
        line_h = max(height / 2, layout.size * MM_PER_PT * LINE_SPACING)
        top = y + (height - 2 * line_h) / 2
        for i, text in enumerate(layout.lines):
            self.text_line(text, x, top + i * line_h, width, line_h, layout.size, layout.condensed)

    def draw_qr(self, token: str, x: float, y: float, side: float) -> None:
        """The QR's dark runs as rectangles in one fill operation (one content-stream write)."""
        size, qr = qr_runs(token)
        k = self.k
        module = side / size * k
        left, top = x * k, (self.h - y) * k
        # Map one unit to one module, y downwards, so each run is written as small integers;
        # rows overlap by 2% so no hairline shows between them.
        ops = [f"q 0 g {module:.4f} 0 0 {-module:.4f} {left:.3f} {top:.3f} cm"]
        ops.extend([f"{c} {r} {n} 1.02 re" for r, c, n in qr])
        ops.append("f Q")
        # fpdf2 has no public call for a batch of rectangles; _out writes to the page's stream.
        self._out(" ".join(ops))

    def badge(self, meeting_title: str, content: BadgeContent, x: float, y: float, dates: str = "") -> None:
        w, h = self.layout.badge
        pad = w * 0.05
        band = h * 0.12
        fill, ink = CATEGORY_STYLE.get(content.category, ((0, 0, 0), (255, 255, 255)))
        self.set_draw_color(200, 200, 200)
        self.rect(x, y, w, h)  # cutting guide
        self.set_fill_color(*fill)
        self.rect(x, y, w, band, style="F")
        self.set_text_color(*ink)
        self.fit_text(category_text(content), x + pad, y, w - 2 * pad, band, band * 1.6, 6)
        self.set_text_color(60, 60, 60)
        landscape = w > h
        title_y = y + band + h * 0.015
        # Landscape badges keep the right-hand column for the photo and the QR.
        title_w = (w * 0.58 if landscape else w) - 2 * pad
        self.fit_text(meeting_title, x + pad, title_y, title_w, h * 0.05, h * 0.08, 5)
        if dates:
            self.fit_text(dates, x + pad, title_y + h * 0.05, title_w, h * 0.035, h * 0.055, 5)
        self.set_text_color(0, 0, 0)
        text_w = (w * 0.58 if landscape else w) - 2 * pad
        name_y = y + band + h * (0.14 if landscape else 0.11)
        name_h = name_box_height(self.layout)
        name_pad = w * NAME_MARGIN
        name_w = (w * 0.58 if landscape else w) - 2 * name_pad
        self.draw_name(name_layout(content.name, self.layout), x + name_pad, name_y, name_w, name_h)
        self.set_text_color(40, 40, 40)
        below = name_y + name_h + h * 0.01
        self.fit_text(content.affiliation, x + pad, below, text_w, h * 0.07, h * (0.14 if landscape else 0.1), 6)
        if content.country:
            self.set_text_color(80, 80, 80)
            self.fit_text(content.country, x + pad, below + h * 0.07, text_w, h * 0.05, h * 0.07, 5)
        if landscape:
            side = min(w * 0.36, h - band - 2 * pad)
            if content.photo is not None:
                # The photo in the room above the QR, as large as it fits.
                side = min(side, h * 0.45)
                top = y + band + pad / 3
                photo_h = y + h - pad - side - side * 0.1 - top  # a tenth of the QR: its quiet zone
                photo_w = photo_h * PHOTO_RATIO
                self.image(str(content.photo), x + w - pad - side / 2 - photo_w / 2, top, photo_w, photo_h)
            self.draw_qr(content.token, x + w - pad - side, y + h - pad - side, side)
            return
        bottom = y + h - pad
        if content.photo is not None:
            # Photo and QR side by side, a QR quiet zone (4 modules) apart.
            side = min(w * 0.43, h * 0.34)
            photo_h = side
            photo_w = photo_h * PHOTO_RATIO
            gap = (w - 2 * pad - photo_w - side) / 3
            self.image(str(content.photo), x + pad + gap, bottom - photo_h, photo_w, photo_h)
            self.draw_qr(content.token, x + w - pad - gap - side, bottom - side, side)
        else:
            side = min(w * 0.5, h * 0.4)
            self.draw_qr(content.token, x + (w - side) / 2, bottom - side, side)


def name_layout(name: str, layout: Layout) -> NameLayout:
    """How the name prints on this layout's badge (one size rule for the PDF and the host's warnings)."""
    w, h = layout.badge
    landscape = w > h
    width = (w * 0.58 if landscape else w) - 2 * w * NAME_MARGIN
    start = h * (0.3 if landscape else 0.2)
    # Two lines share the name's box; scripts with stacked marks need 1.35 times their size.
    two_line_most = name_box_height(layout) / 2 / (MM_PER_PT * LINE_SPACING)
    return layout_name(name, width, start, start * 0.75, two_line_most)


def name_box_height(layout: Layout) -> float:
    w, h = layout.badge
    return h * (0.24 if w > h else 0.17)


def render_contents(meeting_title: str, contents: Iterable[BadgeContent], layout: str = "a6", dates: str = "") -> bytes:
    """Badges on sheets of the chosen layout, in order, as PDF bytes, with only the fonts they use."""
    chosen = LAYOUTS.get(layout) or LAYOUTS["a6"]
    contents = list(contents)
    texts = printed_texts(meeting_title, contents, dates)
    faces = faces_for(texts)
    condensed = [line for c in contents if (n := name_layout(c.name, chosen)).condensed for line in n.lines]
    if condensed:
        faces.setdefault(CONDENSED, set()).update(ord(ch) for line in condensed for ch in line)
    pdf = BadgePDF(chosen, faces, shaped_families(faces, texts))
    bw, bh = chosen.badge
    pw, ph = chosen.page
    left, top = (pw - chosen.columns * bw) / 2, (ph - chosen.rows * bh) / 2
    for i, content in enumerate(contents):
        slot = i % chosen.per_page
        if slot == 0:
            pdf.add_page()
        col, row = slot % chosen.columns, slot // chosen.columns
        pdf.badge(meeting_title, content, left + col * bw, top + row * bh, dates)
    if pdf.page == 0:
        pdf.add_page()
    return bytes(pdf.output())


def render_badges(
    meeting: Meeting, registrations: Sequence[Registration], layout: str = "a6", locale: str | None = None
) -> bytes:
    """Issue missing badges and render them (the caller commits the new badges).

    Category labels are printed in `locale` (a person's own badge: their registration's language),
    else in the current language.
    """
    from eventapp.badges.services import badge_token, issue_badges

    badges = issue_badges(registrations)
    with force_locale(locale) if locale else nullcontext():
        contents = [content_for(r, badge_token(badges[r.id])) for r in registrations]
        dates = format_date_range(meeting.starts_on, meeting.ends_on)
    return render_contents(meeting.title, contents, layout, dates)
