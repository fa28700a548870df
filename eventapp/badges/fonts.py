"""Where the badge fonts come from, and which font prints each run of text.

A text is cut into runs of one script (characters common to all scripts, like spaces and
digits, join the run around them) and each run is printed with its script's Noto font, so
HarfBuzz shapes a Bengali, Sinhala or Myanmar word with the font that holds its conjuncts.
Latin, Cyrillic, Greek, Arabic, Hebrew, Thai, Devanagari and CJK fonts come from PyPI packages
(requirements.txt); every other script's font from Debian's fonts-noto-core (found by the
script's name: NotoSansBengali, NotoSerifTibetan...). A document gets only the faces its text
needs (faces_for), because fpdf2 parses and embeds every face it is given.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import uharfbuzz
from fontTools import unicodedata as ucd

SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))

#: family -> candidates: ("package", "file inside it") for PyPI, or ("", "file name") for Debian.
SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    "NotoSans": (("fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf"), ("", "NotoSans-Regular.ttf")),
    # The same variable font at its narrowest width (see static_fonts.INSTANCES), for long names.
    "NotoSansCondensed": (("fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf"),),
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
    # Pan-CJK: the Japanese-default face also holds Hangul and the Han characters of Chinese names.
    "NotoSansCJK": (("noto_cjk_sans_jp_regular", "NotoSansCJKjp-Regular.otf"), ("", "NotoSansCJK-Regular.ttc")),
}
PRIMARY = "NotoSans"
CONDENSED = "NotoSansCondensed"

#: Scripts (ISO 15924) printed by a family above; every other script's family is found by its name.
SCRIPT_FAMILIES = {
    "Latn": PRIMARY,
    "Cyrl": PRIMARY,
    "Grek": PRIMARY,
    "Arab": "NotoSansArabic",
    "Hebr": "NotoSansHebrew",
    "Thai": "NotoSansThai",
    "Deva": "NotoSansDevanagari",
    "Hani": "NotoSansCJK",
    "Hira": "NotoSansCJK",
    "Kana": "NotoSansCJK",
    "Hang": "NotoSansCJK",
    "Bopo": "NotoSansCJK",
}
#: Where a character common to all scripts (a symbol, an arrow) is looked for when the run's font lacks it.
SYMBOL_FAMILIES = ("NotoSansSymbols", "NotoSansSymbols2", "NotoSansMath")
#: Characters that draw nothing: never reported as missing.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # variation selectors too (see missing_characters)
COMMON = frozenset({"Zyyy", "Zinh", "Zzzz"})


class MissingFont(RuntimeError):
    """The primary font is installed neither from PyPI nor from Debian."""


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _find(candidates: Iterable[tuple[str, str]]) -> Path | None:
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


def _debian_candidates(family: str) -> tuple[tuple[str, str], ...]:
    return (("", f"{family}-Regular.ttf"), ("", f"{family}-Regular.otf"))


@cache
def font_path(family: str) -> Path | None:
    """The file of an installed family (named in SOURCES or a Debian Noto file), else None."""
    return _find(SOURCES.get(family) or _debian_candidates(family))


def font_files() -> dict[str, Path]:
    """Family -> font file of every family in SOURCES that is installed; MissingFont if the primary is not."""
    if font_path(PRIMARY) is None:
        raise MissingFont("Install fontpkg-noto-sans (pip) or fonts-noto-core (apt) to print badges.")
    return {family: path for family in SOURCES if (path := font_path(family)) is not None}


def missing_families() -> list[str]:
    return [family for family in SOURCES if font_path(family) is None]


@cache
def family_for_script(script: str) -> str | None:
    """The installed family that prints a script (an ISO 15924 code), or None."""
    if script in SCRIPT_FAMILIES:
        family = SCRIPT_FAMILIES[script]
        return family if font_path(family) is not None else None
    if script in COMMON:
        return None
    name = "".join(part.capitalize() for part in ucd.script_name(script, default="").replace("_", " ").split())
    for family in (f"NotoSans{name}", f"NotoSerif{name}"):
        if name and font_path(family) is not None:
            return family
    return None


@cache
def coverage(family: str) -> frozenset[int]:
    """The code points the family's font maps to a glyph, read once per process."""
    path = font_path(family)
    if path is None:
        return frozenset()
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)))
    return frozenset(face.unicodes)


@cache
def covering_family(char: str, preferred: str) -> str | None:
    """The family that draws this character in a run of `preferred`: that one when it can, else another."""
    point = ord(char)
    if point in coverage(preferred):
        return preferred
    candidates = [PRIMARY]
    for script in sorted(ucd.script_extension(char)):
        if (family := family_for_script(script)) is not None:
            candidates.append(family)
    candidates.extend(SYMBOL_FAMILIES)
    return next((f for f in candidates if point in coverage(f)), None)


@dataclass(frozen=True)
class Run:
    family: str
    text: str

    @property
    def right_to_left(self) -> bool:
        strong = (unicodedata.bidirectional(c) for c in self.text)
        return next((d in ("R", "AL") for d in strong if d in ("L", "R", "AL")), False)


@lru_cache(maxsize=8192)
def runs(text: str) -> tuple[Run, ...]:
    """The text cut into runs of one family, in reading order.

    Common and inherited characters (spaces, digits, marks, joiners) belong to the run around
    them, so a joiner inside a Sinhala word is shaped with that word; at the start they wait for
    the first script.
    """
    out: list[list[str]] = []  # [family, text] pairs
    pending = ""
    for char in text:
        script = ucd.script(char)
        family = None if script in COMMON else family_for_script(script) or PRIMARY
        if family is None:
            if out:
                out[-1][1] += char
            else:
                pending += char
            continue
        if out and out[-1][0] == family:
            out[-1][1] += char
        else:
            out.append([family, pending + char])
            pending = ""
    if pending:
        out.append([PRIMARY, pending])
    return tuple(Run(family, part) for family, part in out)


def missing_characters(text: str) -> list[str]:
    """The characters of the text that no installed font draws (in order, once each)."""
    missing: list[str] = []
    for run in runs(text):
        for char in run.text:
            if char.isspace() or char in INVISIBLE or 0xFE00 <= ord(char) <= 0xFE0F:
                continue
            if covering_family(char, run.family) is None and char not in missing:
                missing.append(char)
    return missing


def printable(text: str) -> str:
    """The text without the characters no font draws."""
    missing = set(missing_characters(text))
    return "".join(c for c in text if c not in missing) if missing else text


def faces_for(texts: Iterable[str]) -> dict[str, set[int]]:
    """Family -> the code points of these texts it prints: the primary first, then the others used.

    Each run's characters go to its family, and a character that family lacks to the one that
    draws it (covering_family); one that no font has is left out (see printable).
    """
    chosen: dict[str, set[int]] = {PRIMARY: set()}
    for text in set(texts):
        for run in runs(text):
            for char in run.text:
                if char == "\n":
                    continue
                family = covering_family(char, run.family)
                if family is not None:
                    chosen.setdefault(family, set()).add(ord(char))
    return {family: chosen[family] for family in sorted(chosen, key=lambda f: (f != PRIMARY, f))}
