"""Where the badge fonts come from: PyPI font packages first, Debian's Noto fonts otherwise.

One Noto font per script, registered with fpdf2 as fallbacks of the Latin/Cyrillic face, so a
name in any script picks the font that has its glyphs and HarfBuzz shapes it. A document gets
only the faces its text needs (faces_for), because fpdf2 parses and embeds every face it is
given. PyPI packages (requirements.txt) cover Latin, Cyrillic, Greek, Arabic, Hebrew, Thai,
Devanagari, Chinese, Japanese and Korean; Ethiopic, Georgian and Armenian have no PyPI package,
so they come from Debian's fonts-noto-core (apt install fonts-noto-core).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import uharfbuzz

SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))

#: family -> candidates: ("package", "file inside it") for PyPI, or ("", "file name") for Debian.
SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "NotoSans": (("fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf"), ("", "NotoSans-Regular.ttf")),
    "NotoSansArabic": (
        ("fontpkg_noto_sans_arabic", "files/NotoSansArabic[wdth,wght].ttf"),
        ("", "NotoSansArabic-Regular.ttf"),
    ),
    "NotoSansHebrew": (("fontpkg_heebo", "files/Heebo[wght].ttf"), ("", "NotoSansHebrew-Regular.ttf")),
    "NotoSansThai": (("fontpkg_noto_sans_thai", "files/NotoSansThai[wdth,wght].ttf"), ("", "NotoSansThai-Regular.ttf")),
    "NotoSansDevanagari": (
        ("fontpkg_noto_sans_devanagari", "files/NotoSansDevanagari[wdth,wght].ttf"),
        ("", "NotoSansDevanagari-Regular.ttf"),
    ),
    "NotoSansEthiopic": (("", "NotoSansEthiopic-Regular.ttf"),),
    "NotoSansGeorgian": (("", "NotoSansGeorgian-Regular.ttf"),),
    "NotoSansArmenian": (("", "NotoSansArmenian-Regular.ttf"),),
    # Pan-CJK: the Japanese-default face also holds Hangul and the Han characters of Chinese names.
    "NotoSansCJK": (("noto_cjk_sans_jp_regular", "NotoSansCJKjp-Regular.otf"), ("", "NotoSansCJK-Regular.ttc")),
}
PRIMARY = "NotoSans"


class MissingFont(RuntimeError):
    """A script's font is installed neither from PyPI nor from Debian."""


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _find(candidates: tuple[tuple[str, str], ...]) -> Path | None:
    for package, name in candidates:
        if package:
            base = _package_dir(package)
            if base is not None and (base / name).is_file():
                return base / name
        else:
            for folder in SYSTEM_DIRS:
                if (folder / name).is_file():
                    return folder / name
    return None


@cache
def font_files() -> dict[str, Path]:
    """Family -> font file for every family that is installed; MissingFont if the primary is not."""
    found = {family: path for family, candidates in SOURCES.items() if (path := _find(candidates)) is not None}
    if PRIMARY not in found:
        raise MissingFont("Install fontpkg-noto-sans (pip) or fonts-noto-core (apt) to print badges.")
    return found


def missing_families() -> list[str]:
    return [family for family in SOURCES if family not in font_files()]


@cache
def coverage(family: str) -> frozenset[int]:
    """The code points the family's font maps to a glyph, read once per process."""
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font_files()[family])))
    return frozenset(face.unicodes)


def faces_for(texts: Iterable[str]) -> dict[str, set[int]]:
    """Family -> the code points of these texts it prints: the primary first, then the fallbacks used.

    Mirrors fpdf2's fallback rule: a character the primary lacks goes to the first fallback (in
    SOURCES order) that has it; one that no font has stays with the primary.
    """
    installed = font_files()
    primary = coverage(PRIMARY)
    fallbacks = [family for family in installed if family != PRIMARY]
    chosen: dict[str, set[int]] = {PRIMARY: set()}
    for point in {ord(c) for text in texts for c in text} - {ord("\n")}:
        family = PRIMARY
        if point not in primary:
            family = next((f for f in fallbacks if point in coverage(f)), PRIMARY)
        chosen.setdefault(family, set()).add(point)
    return {family: chosen[family] for family in installed if family in chosen}
