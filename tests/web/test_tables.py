"""Every table of every page sits in a box that scrolls sideways, so a wide table never widens a phone's page."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: A table and the markup just before it: the scroll box must open there.
TABLE = re.compile(r"(?P<before>[^\n]*\n?[^\n]*)\n\s*<table\b")


def test_every_table_is_inside_a_scroll_box() -> None:
    unwrapped = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for found in TABLE.finditer(text):
            if 'class="table-scroll"' not in found.group("before"):
                line = text.count("\n", 0, found.end()) + 1
                unwrapped.append(f"{template.relative_to(TEMPLATES)}:{line}")
        assert text.count("<table") == text.count('class="table-scroll"'), template.name
    assert not unwrapped, "tables outside a .table-scroll box: " + ", ".join(unwrapped)
