"""How wide a text prints, and how a name is laid out on a badge: one line, two, or condensed.

Widths come from HarfBuzz with each run's own font, so a name can be judged (fits, or needs the
host's attention) without making a PDF; the PDF draws the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import icu
import uharfbuzz

from eventapp.badges.fonts import CONDENSED, PRIMARY, Run, font_path, runs
from eventapp.badges.static_fonts import INSTANCES

MM_PER_PT = 25.4 / 72
#: No name prints smaller than this on a badge (points).
NAME_FLOOR = 14.0
#: Share of the box's width a line may fill: widths are HarfBuzz's own, so little is kept in reserve.
FILL = 0.99


@cache
def _hb_font(family: str) -> tuple[uharfbuzz.Font, int]:
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font_path(family))))
    font = uharfbuzz.Font(face)
    if family in INSTANCES:
        font.set_variations(INSTANCES[family])
    return font, face.upem


def printed_runs(text: str, condensed: bool = False) -> tuple[Run, ...]:
    """The runs as printed: the primary font's runs in its condensed face when asked and installed."""
    found = runs(text)
    if condensed and font_path(CONDENSED) is not None:
        return tuple(Run(CONDENSED, r.text) if r.family == PRIMARY else r for r in found)
    return found


@lru_cache(maxsize=16384)
def run_width(family: str, text: str) -> float:
    """Width in mm of a run printed at 1 pt."""
    font, upem = _hb_font(family)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(font, buffer, {})
    return sum(p.x_advance for p in buffer.glyph_positions) / upem * MM_PER_PT


def text_width(text: str, condensed: bool = False) -> float:
    """Width in mm of the text printed at 1 pt."""
    return sum(run_width(r.family, r.text) for r in printed_runs(text, condensed))


@lru_cache(maxsize=4096)
def break_points(text: str) -> tuple[int, ...]:
    """Where a line may break (ICU's line-break rules: between words, or between characters in
    scripts written without spaces, such as Chinese or Thai)."""
    breaker = icu.BreakIterator.createLineInstance(icu.Locale.getRoot())
    breaker.setText(text)
    return tuple(i for i in breaker if 0 < i < len(text))


def two_lines(text: str, condensed: bool = False) -> tuple[str, str] | None:
    """The text on two lines broken where the longer line is shortest, or None if it cannot break."""
    best = None
    for cut in break_points(text):
        first, second = text[:cut].rstrip(), text[cut:].strip()
        if not first or not second:
            continue
        longest = max(text_width(first, condensed), text_width(second, condensed))
        if best is None or longest < best[0]:
            best = (longest, first, second)
    return (best[1], best[2]) if best else None


@dataclass(frozen=True)
class NameLayout:
    lines: tuple[str, ...]
    size: float
    condensed: bool = False

    @property
    def below_floor(self) -> bool:
        return self.size < NAME_FLOOR - 1e-6


def layout_name(
    text: str, width: float, start: float, one_line_least: float, two_line_most: float | None = None
) -> NameLayout:
    """The name at the largest size that fits the box's width (mm): one line down to
    `one_line_least`, then two lines, then two condensed lines, down to NAME_FLOOR; past that the
    size that fits (below_floor, which the host is warned of). Two lines are at most
    `two_line_most` points (what the box's height holds), and 80% of `start`."""
    two_start = min(start * 0.8, two_line_most or start)
    one = min(start, width / max(text_width(text), 1e-6) * FILL)
    if one >= one_line_least:
        return NameLayout((text,), one)
    candidates = [NameLayout((text,), one)]
    for condensed in (False, True):
        if condensed and font_path(CONDENSED) is None:
            continue
        if condensed:
            single = min(start, width / max(text_width(text, True), 1e-6) * FILL)
            candidates.append(NameLayout((text,), single, True))
        lines = two_lines(text, condensed)
        if lines:
            widest = max(text_width(line, condensed) for line in lines)
            candidates.append(NameLayout(lines, min(two_start, width / max(widest, 1e-6) * FILL), condensed))
        fitting = [c for c in candidates if not c.below_floor]
        if fitting:
            return _best(fitting)
    return max(candidates, key=lambda c: c.size)


def _best(fitting: list[NameLayout]) -> NameLayout:
    """Regular before condensed, then the largest size."""
    return max(fitting, key=lambda c: (not c.condensed, c.size))
