"""Message catalogues: extract msgids from the source tree, compile .po into .mo.

`make translations` does the same with pybabel; the tests and the test session use these.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = PROJECT_ROOT / "eventapp" / "translations"
MAPPING = PROJECT_ROOT / "babel.cfg"
#: `_l` is lazy_gettext (form labels, enum titles); the Makefile passes the same keywords.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
#: Folders with no user-visible strings of ours (and big ones not worth walking).
SKIPPED_DIRS = {"node_modules", "static", "tests", "migrations", "instance", "bench", "translations", "__pycache__"}


def _walk_this(path: str) -> bool:
    name = os.path.basename(path)
    return not (name.startswith(".") or name in SKIPPED_DIRS)


def extract_messages(root: Path = PROJECT_ROOT) -> Iterator[tuple[str, int, str | tuple[str, ...]]]:
    """(file, line, message) for every marked string under `root`, as babel.cfg maps them."""
    with MAPPING.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, directory_filter=_walk_this
    ):
        yield filename, lineno, message


def catalogue_path(locale: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / locale / "LC_MESSAGES" / "messages.po"


def compile_catalogues(directory: Path = TRANSLATIONS, *, only_stale: bool = True) -> list[Path]:
    """Write messages.mo beside each messages.po (atomically; fuzzy entries left out)."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if only_stale and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po:
            catalog = read_po(po, locale=po_path.parents[1].name)
        # Another process may compile at the same time: write aside, then rename.
        fd, tmp = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as mo:
            write_mo(mo, catalog, use_fuzzy=False)
        os.replace(tmp, mo_path)
        written.append(mo_path)
    return written
