"""A badge PDF embeds the fonts its text needs and no others, and every character has a glyph."""

from __future__ import annotations

import io
import logging

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from eventapp.badges.fonts import PRIMARY, coverage, faces_for, font_path
from eventapp.badges.pdf import BadgeContent, render_contents
from eventapp.models import RegistrationCategory
from tests.badges.test_pdf import NAMES, page_text

TOKEN = "A" * 127


def embedded_fonts(pdf: bytes) -> set[str]:
    """Names of every font program in the file (referenced by a page or not), subset tag removed."""
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor":
            assert any(key in obj for key in ("/FontFile2", "/FontFile3")), obj["/FontName"]
            names.add(str(obj["/FontName"]).split("+", 1)[-1])
    return names


def badge(name: str, affiliation: str = "Côte d'Ivoire", label: str = "Member delegation") -> BadgeContent:
    return BadgeContent(name, affiliation, RegistrationCategory.DELEGATE, TOKEN, label)


def render_logged(caplog: pytest.LogCaptureFixture, contents: list[BadgeContent], layout: str = "a6") -> bytes:
    """Render, failing if fpdf2 reports characters that no embedded font can draw."""
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        pdf = render_contents("5th Capital-Level Meeting", contents, layout)
    missing = [r.getMessage() for r in caplog.records if "missing the following glyphs" in r.getMessage()]
    assert missing == []
    return pdf


def test_a_latin_badge_embeds_only_the_latin_font(app, caplog):
    pdf = render_logged(caplog, [badge("Žofia Łukasiewicz-Ñúñez")])
    assert embedded_fonts(pdf) == {"NotoSans"}
    assert "Łukasiewicz-Ñúñez" in page_text(pdf)


def test_cyrillic_and_greek_names_need_no_other_font(app, caplog):
    pdf = render_logged(caplog, [badge(NAMES["Mongolian Cyrillic"]), badge("Νίκος Παπαδόπουλος")], "a4-4up")
    assert embedded_fonts(pdf) == {"NotoSans"}


def test_names_in_several_scripts_embed_exactly_their_fonts(app, caplog):
    names = [NAMES["Latin"], NAMES["Arabic"], NAMES["Chinese"], NAMES["Korean"], NAMES["Thai"]]
    pdf = render_logged(caplog, [badge(n) for n in names], "a4-4up")
    fonts = embedded_fonts(pdf)
    assert "NotoSans" in fonts and "NotoSansArabic" in fonts and "NotoSansThai" in fonts
    assert len(fonts) == 4 and any(f.startswith("NotoSansCJK") for f in fonts)
    text = page_text(pdf)
    assert [n for n in names if not all(w in text for w in n.split())] == []


def test_a_translated_category_label_brings_its_font(app, caplog):
    pdf = render_logged(caplog, [badge("Ana Pop", label="成员国代表团")])
    fonts = embedded_fonts(pdf)
    assert len(fonts) == 2 and any(f.startswith("NotoSansCJK") for f in fonts)
    assert "成员国代表团" in page_text(pdf)


def test_every_script_in_one_batch_draws_every_glyph(app, caplog):
    pdf = render_logged(caplog, [badge(name) for name in NAMES.values()], "a4-4up")
    chosen = list(faces_for(NAMES.values()))
    assert len(embedded_fonts(pdf)) == len(chosen)
    uncovered = {c for name in NAMES.values() for c in name if not any(ord(c) in coverage(f) for f in chosen)}
    assert uncovered == set()
    text = page_text(pdf)
    assert {s: n for s, n in NAMES.items() if not all(w in text for w in n.split())} == {}


def test_fonts_are_chosen_from_the_characters():
    assert faces_for(["Ab", "b"]) == {PRIMARY: {ord("A"), ord("b")}}
    chosen = faces_for(["Ana", "محمد", "王小明"])
    assert list(chosen) == [PRIMARY, "NotoSansArabic", "NotoSansCJK"]
    assert chosen["NotoSansCJK"] == {ord(c) for c in "王小明"}
    # A character no font has stays with the primary font rather than pulling in another.
    assert list(faces_for(["\U0010fffd"])) == [PRIMARY]
    assert faces_for([]) == {PRIMARY: set()}
    assert all(font_path(f) is not None for f in faces_for(NAMES.values()))
