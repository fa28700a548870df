"""The writing systems of a text (ISO 15924 codes, from the Unicode Script property)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from fontTools import unicodedata as ucd

#: Common and inherited characters (spaces, digits, marks) belong to every script.
COMMON = frozenset({"Zyyy", "Zinh", "Zzzz"})
#: Scripts whose names are written family name first with no space between the parts.
EAST_ASIAN = frozenset({"Hani", "Hira", "Kana", "Hang"})


@lru_cache(maxsize=8192)
def main_script(text: str) -> str | None:
    """The script most of the text's letters are in."""
    counts = Counter(ucd.script(c) for c in text if ucd.script(c) not in COMMON)
    return counts.most_common(1)[0][0] if counts else None


def is_latin(text: str) -> bool:
    """Whether every letter of the text is in the Latin script (and there is one)."""
    scripts = {ucd.script(c) for c in text} - COMMON
    return scripts == {"Latn"}
