"""Sorting names the way their script sorts them (ICU, with CLDR's collation rules).

A list holds names in many scripts, so a key starts with the script's place in a fixed order
(Latin first, then Greek, Cyrillic... as CLDR's root collation orders scripts) and goes on with
that script's own collation: pinyin for Han, the Japanese order for kana, the Korean one for Hangul.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

import icu
from fontTools import unicodedata as ucd

from eventapp.names.scripts import main_script

#: The collation used for names in a script; scripts not listed use CLDR's root collation.
SCRIPT_LOCALES = {"Hani": "zh", "Hira": "ja", "Kana": "ja", "Hang": "ko", "Cyrl": "ru", "Arab": "ar", "Grek": "el"}


@cache
def _collator(locale: str) -> icu.Collator:
    collator = icu.Collator.createInstance(icu.Locale(locale))
    collator.setStrength(icu.Collator.TERTIARY)
    return collator


@cache
def _script_rank(script: str) -> int:
    """The script's place in the root collation's order of scripts (by a letter of that script)."""
    if script == "Latn":
        return 0
    sample = SAMPLE_LETTERS.get(script) or _first_letter(script)
    key = _collator("root").getSortKey(sample) if sample else b"\xff"
    return min(1 + key[0], 255)


#: A letter of the script that sorts where the script's names do (the first one found may be a sign).
SAMPLE_LETTERS = {"Hani": "一", "Hira": "あ", "Kana": "ア", "Hang": "가"}


@cache
def _first_letter(script: str) -> str:
    for point in range(0x41, 0x30000):
        char = chr(point)
        if ucd.script(char) == script and unicodedata.category(char) in ("Lu", "Ll", "Lo"):
            return char
    return ""


@lru_cache(maxsize=16384)
def sort_key(family_name: str, given_name: str) -> bytes:
    """The key a list of people sorts by: family name, then given name (one name sorts as a family name)."""
    family, given = family_name.strip(), given_name.strip()
    if not family:
        family, given = given, ""
    script = main_script(family + given) or "Latn"
    collator = _collator(SCRIPT_LOCALES.get(script, "root"))
    rank = _script_rank(script)
    # 0x01 separates the parts: it sorts below every byte of a collation key's body.
    return bytes([rank]) + collator.getSortKey(family) + b"\x01" + collator.getSortKey(given)
