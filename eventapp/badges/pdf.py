"""Badge PDFs with fpdf2: one badge, or batch sheets, names shaped by HarfBuzz in any script.

The QR code is drawn as vector rectangles straight from qrcode's module matrix (one rectangle per
run of dark modules in a row), which is much faster than making an image per badge and stays
sharp at any printer resolution.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

import qrcode
import qrcode.constants
from flask_babel import force_locale
from fpdf import FPDF

from eventapp.badges.fonts import PRIMARY, faces_for
from eventapp.badges.qr import ALPHANUMERIC, codewords
from eventapp.badges.static_fonts import embedding_file
from eventapp.models import Meeting, Registration, RegistrationCategory
from eventapp.models.base import N_

MM_PER_INCH = 25.4
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


def content_for(registration: Registration, token: str) -> BadgeContent:
    """What one badge shows; the category label in the current language (see render_badges)."""
    member = registration.delegation.member if registration.delegation else None
    name = " ".join(p for p in (registration.given_name, registration.family_name) if p)
    affiliation = member.name if member else registration.organisation
    return BadgeContent(name, affiliation, registration.category, token, registration.category.label)


@cache
def _qr_version(length: int) -> int:
    """The smallest QR version that holds an alphanumeric text of this length at level M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data("A" * length, optimize=0)
    code.best_fit()
    return int(code.version or 1)


def qr_runs(token: str) -> tuple[int, list[tuple[int, int, int]]]:
    """(size in modules, [(row, first column, length)]) of the dark runs, quiet zone excluded.

    The version and mask are fixed rather than searched: any mask is valid for decoders, and
    trying all eight was most of the time spent per badge.
    """
    code = qrcode.QRCode(
        version=_qr_version(len(token)),
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
        mask_pattern=QR_MASK,
    )
    code.add_data(token, optimize=0)
    if all(c in ALPHANUMERIC for c in token):
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


def printed_texts(meeting_title: str, contents: Sequence[BadgeContent]) -> list[str]:
    """Every text the badges print; the fonts a document embeds are chosen from these."""
    texts = [meeting_title]
    for content in contents:
        texts.extend((category_text(content), content.name, content.affiliation))
    return texts


def shaped_families(faces: Mapping[str, Collection[int]], texts: Iterable[str]) -> set[str]:
    """The families that print a character, other than white space, of a text that needs shaping.

    Only these are shaped with HarfBuzz: white space between the words of a shaped text in another
    script is drawn from the primary font as fragments of its own, which shaping leaves as they are.
    """
    points = {ord(c) for text in texts if needs_shaping(text) for c in text if not c.isspace()}
    return {family for family, printed in faces.items() if not points.isdisjoint(printed)}


class BadgePDF(FPDF):
    def __init__(self, layout: Layout, faces: Mapping[str, Collection[int]], shaped: Collection[str]) -> None:
        """A document with these font families, each for its code points (see faces_for).

        `shaped`: the families HarfBuzz shapes text with (see shaped_families).
        """
        super().__init__(unit="mm", format=layout.page)
        self.layout = layout
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.set_creator("WPS Focal Points Network")
        for family, points in faces.items():
            # fpdf2 reads a width for every character a face maps (about 45,000 in the CJK face),
            # so each face maps only the characters it prints here (none given: all of them).
            self.add_font(
                family, "", str(embedding_file(family, family in shaped)), unicode_range=sorted(points) or None
            )
        self.set_fallback_fonts([family for family in faces if family != PRIMARY], exact_match=False)
        self.set_text_shaping(True)
        self._sizes: dict[tuple[str, float, float, float], float] = {}

    def _size_to_fit(self, text: str, width: float, start: float, least: float) -> float:
        """The largest size up to `start` at which the text fits; widths scale with the size."""
        key = (text, width, start, least)
        self.set_text_shaping(needs_shaping(text))
        size = self._sizes.get(key)
        if size is None:
            self.set_font(PRIMARY, size=start)
            measured = self.get_string_width(text)
            size = start if measured <= width else max(least, start * width / measured * 0.98)
            self._sizes[key] = size
        self.set_font(PRIMARY, size=size)
        return size

    def fit_text(
        self, text: str, x: float, y: float, width: float, height: float, start: float, least: float, wrap: bool = False
    ) -> None:
        """Text centred in the box: one line shrunk to fit, or two lines when one would be too small."""
        size = self._size_to_fit(text, width, start, least)
        words = text.split()
        if wrap and len(words) > 1 and (self.get_string_width(text) > width or size < start * 0.6):
            # Break at the space nearest the middle and fit both lines with the same size.
            middle = len(text) / 2
            cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - middle))
            lines = [" ".join(words[:cut]), " ".join(words[cut:])]
            longest = max(lines, key=self.get_string_width)
            self._size_to_fit(longest, width, start * 0.75, 3)
            for i, line in enumerate(lines):
                self.set_xy(x, y + i * height / 2)
                self.cell(width, height / 2, line, align="C")
            return
        self.set_xy(x, y)
        self.cell(width, height, text, align="C")

    def draw_qr(self, token: str, x: float, y: float, side: float) -> None:
        """The QR's dark runs as rectangles in one fill operation (one content-stream write)."""
        size, runs = qr_runs(token)
        k = self.k
        module = side / size * k
        left, top = x * k, (self.h - y) * k
        # Map one unit to one module, y downwards, so each run is written as small integers;
        # rows overlap by 2% so no hairline shows between them.
        ops = [f"q 0 g {module:.4f} 0 0 {-module:.4f} {left:.3f} {top:.3f} cm"]
        ops.extend([f"{c} {r} {n} 1.02 re" for r, c, n in runs])
        ops.append("f Q")
        # fpdf2 has no public call for a batch of rectangles; _out writes to the page's stream.
        self._out(" ".join(ops))

    def badge(self, meeting_title: str, content: BadgeContent, x: float, y: float) -> None:
        w, h = self.layout.badge
        pad = w * 0.05
        band = h * 0.12
        fill, ink = CATEGORY_STYLE.get(content.category, ((0, 0, 0), (255, 255, 255)))
        self.set_draw_color(200, 200, 200)
        self.rect(x, y, w, h)  # cutting guide
        self.set_fill_color(*fill)
        self.rect(x, y, w, band, style="F")
        # Category label first: the page's first text is in the primary font (see fpdf2 fallback note).
        self.set_text_color(*ink)
        self.fit_text(category_text(content), x + pad, y, w - 2 * pad, band, band * 1.6, 6)
        self.set_text_color(60, 60, 60)
        self.fit_text(meeting_title, x + pad, y + band + h * 0.02, w - 2 * pad, h * 0.06, h * 0.09, 5)
        self.set_text_color(0, 0, 0)
        landscape = w > h
        text_w = (w * 0.58 if landscape else w) - 2 * pad
        name_y = y + band + h * (0.12 if landscape else 0.1)
        self.fit_text(content.name, x + pad, name_y, text_w, h * 0.14, h * (0.3 if landscape else 0.2), 7, wrap=True)
        self.set_text_color(40, 40, 40)
        self.fit_text(
            content.affiliation,
            x + pad,
            name_y + h * 0.15,
            text_w,
            h * 0.08,
            h * (0.16 if landscape else 0.1),
            5,
            wrap=True,
        )
        if landscape:
            side = min(w * 0.36, h - band - 2 * pad)
            self.draw_qr(content.token, x + w - pad - side, y + h - pad - side, side)
        else:
            side = min(w * 0.5, h * 0.42)
            self.draw_qr(content.token, x + (w - side) / 2, y + h - pad - side, side)


def render_contents(meeting_title: str, contents: Iterable[BadgeContent], layout: str = "a6") -> bytes:
    """Badges on sheets of the chosen layout, in order, as PDF bytes, with only the fonts they use."""
    chosen = LAYOUTS.get(layout) or LAYOUTS["a6"]
    contents = list(contents)
    texts = printed_texts(meeting_title, contents)
    faces = faces_for(texts)
    pdf = BadgePDF(chosen, faces, shaped_families(faces, texts))
    bw, bh = chosen.badge
    pw, ph = chosen.page
    left, top = (pw - chosen.columns * bw) / 2, (ph - chosen.rows * bh) / 2
    for i, content in enumerate(contents):
        slot = i % chosen.per_page
        if slot == 0:
            pdf.add_page()
        col, row = slot % chosen.columns, slot // chosen.columns
        pdf.badge(meeting_title, content, left + col * bw, top + row * bh)
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
    return render_contents(meeting.title, contents, layout)
