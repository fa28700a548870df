"""The font files a badge PDF registers: static copies of the fonts, made once and kept on disk.

fpdf2 parses and subsets each font file it is given for every document: a variable font's
variation tables too, although a badge prints only the default instance, and every table a badge
never uses. A copy is a pure function of the source file, so it is made once (on first use, or by
`flask badges prepare-fonts`) and kept under the instance folder, named by a digest of what made
it; every worker then reuses it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Collection
from functools import cache
from pathlib import Path

import fontTools
import uharfbuzz
from flask import current_app
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

from eventapp.badges.fonts import MissingFont, font_files, font_path

#: OpenType layout tables: only HarfBuzz reads them when shaping, and fpdf2 drops them from what it
#: embeds; fontTools' subsetter still reads them whole, so a document that shapes nothing is given
#: copies without them.
LAYOUT_TABLES = frozenset({"GDEF", "GSUB", "GPOS"})
#: Vertical writing: neither fpdf2 nor HarfBuzz reads these for horizontal text, but fontTools reads
#: a metric for each of the CJK font's 65,535 glyphs to subset them.
VERTICAL_TABLES = frozenset({"vhea", "vmtx", "VORG"})


def _unused_tables(shaped: bool) -> frozenset[str]:
    return VERTICAL_TABLES if shaped else VERTICAL_TABLES | LAYOUT_TABLES


def cache_folder() -> Path:
    return Path(current_app.instance_path) / "font-cache"


@cache
def _digest(source: Path) -> str:
    """The source file's SHA-256, read once per process."""
    return hashlib.sha256(source.read_bytes()).hexdigest()


@cache
def _tables(source: Path) -> frozenset[str]:
    return frozenset(TTFont(source, lazy=True, fontNumber=0).keys())


#: Families printed from a variable font at another place than its default: axis -> value.
INSTANCES: dict[str, dict[str, float]] = {"NotoSansCondensed": {"wdth": 62.5}}


def _copy_name(source: Path, shaped: bool, family: str) -> str:
    place = sorted(INSTANCES.get(family, {}).items()) or "default"
    without = sorted(_unused_tables(shaped))
    recipe = f"{_digest(source)} instance={place} without={without} fonttools={fontTools.version}"
    # A copy holds one font, so a collection's copy is a plain font file.
    suffix = {".ttc": ".ttf", ".otc": ".otf"}.get(source.suffix.lower(), source.suffix.lower())
    return hashlib.sha256(recipe.encode()).hexdigest()[:32] + suffix


def _make_copy(source: Path, shaped: bool, target: Path, family: str) -> None:
    """Write the copy atomically: workers that race each write a whole file and the last rename wins."""
    font = TTFont(source, fontNumber=0)
    if "fvar" in font:
        # The default instance unless the family names another place (a narrower width).
        location = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes} | INSTANCES.get(family, {})
        instancer.instantiateVariableFont(font, location, inplace=True, static=True)
    for tag in _unused_tables(shaped) & set(font.keys()):
        del font[tag]
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        os.fchmod(handle, 0o644)  # mkstemp's 0600 would keep workers running as another user out
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def embedding_file(family: str, shaped: bool = True) -> Path:
    """The file fpdf2 is given for this family: a static copy made on first use, or the source itself.

    `shaped` says whether the document shapes any text with HarfBuzz (which needs the layout tables).
    """
    source = font_path(family)
    if source is None:
        raise MissingFont(f"{family} is not installed")
    if "fvar" not in _tables(source) and not _tables(source) & _unused_tables(shaped):
        return source
    target = cache_folder() / _copy_name(source, shaped, family)
    if not target.is_file():
        _make_copy(source, shaped, target, family)
    return target


def prepare_all() -> list[Path]:
    """Make every copy a badge can use now, so no request pays for it; remove copies no longer made.

    A copy another fontTools or font package made is no longer named by any recipe; a worker that
    still uses it makes it again.
    """
    paths = [embedding_file(family, shaped) for family in font_files() for shaped in (True, False)]
    for stale in set(cache_folder().iterdir()) - set(paths):
        stale.unlink(missing_ok=True)
    return paths


def document_font(family: str, points: Collection[int], shaped: bool, folder: Path) -> Path:
    """The file fpdf2 is given for this family in one document: its copy cut down by HarfBuzz to the
    characters the document prints (and the glyphs shaping them needs), written into `folder`.

    fpdf2 parses the whole file it is given and fontTools subsets it again on output, at a cost
    that grows with the font (the CJK face has 65,535 glyphs); HarfBuzz cuts a font in about a
    millisecond. Without characters the copy itself is given.
    """
    copy = embedding_file(family, shaped)
    if not points:
        return copy
    wanted = uharfbuzz.SubsetInput()
    for point in points:
        wanted.unicode_set.add(point)
    # Every layout feature (the empty set inverted): HarfBuzz keeps the lookups these characters reach.
    features = wanted.sets(uharfbuzz.SubsetInputSets.LAYOUT_FEATURE_TAG)
    features.clear()
    features.invert()
    wanted.flags |= uharfbuzz.SubsetFlags.DESUBROUTINIZE
    cut = uharfbuzz.subset(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(copy))), wanted)
    if cut is None:
        return copy
    target = folder / f"{family}{copy.suffix}"
    target.write_bytes(cut.blob.data)
    return target
