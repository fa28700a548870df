from __future__ import annotations

import io
import unicodedata
import uuid

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from eventapp.badges.pdf import BadgeContent, render_contents
from eventapp.extensions import db
from eventapp.models import CheckIn, RegistrationCategory
from tests.checkin.builders import add_registration, device_token
from tests.conftest import add_meeting, add_member

NAMES = {
    "Arabic": "محمد عبد الله",
    "Hebrew": "דוד כהן",
    "Thai": "สมชาย ใจดี",
    "Amharic": "አበበ በቀለ",
    "Devanagari": "राम प्रसाद",
    "Georgian": "ნინო ბერიძე",
    "Armenian": "Արամ Պետրոսյան",
    "Mongolian Cyrillic": "Батбаяр Дорж",
    "Chinese": "王小明",
    "Japanese": "山田 太郎",
    "Korean": "김민준",
    "Latin": "Žofia Łukasiewicz Ñúñez Çağrı Đặng Thị Hương Ångström Øre",
}


def page_text(pdf: bytes) -> str:
    """Text of every page, without the control characters some shaped glyphs extract as."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cc")


def decode_qr_codes(pdf: bytes, scale: float = 3) -> list[str]:
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=scale).to_pil()
        found.extend(r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode)
    return found


@pytest.mark.parametrize("layout", ["a6", "a4-4up", "letter-4x3"])
def test_names_in_every_script_are_in_the_pdf(app, layout):
    contents = [
        BadgeContent(name, "Côte d'Ivoire", RegistrationCategory.DELEGATE, "A" * 127) for name in NAMES.values()
    ]
    text = page_text(render_contents("5th Capital-Level Meeting", contents, layout))
    # Right-to-left names come out in visual word order, so compare word by word.
    missing = {script: name for script, name in NAMES.items() if not all(w in text for w in name.split())}
    assert missing == {}
    assert "MEMBER DELEGATION" in text and "Côte d'Ivoire" in text


def test_long_names_shrink_to_fit(app):
    long = "Maria Alexandra Konstantinopoulou-Wolfeschlegelsteinhausenberger de la Santísima Trinidad"
    pdf = render_contents("M", [BadgeContent(long, "X", RegistrationCategory.MEDIA, "A" * 127)], "a6")
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    index = text.get_text_range().index("Maria")
    box = text.get_charbox(index)
    last = text.get_charbox(text.get_text_range().index("Trinidad") + 7)
    width, _ = page.get_size()
    assert box[0] >= 0 and last[2] <= width
    assert long.split()[-1] in page_text(pdf)


def test_each_category_has_its_label(app):
    contents = [BadgeContent("A B", "X", c, "A" * 127) for c in RegistrationCategory]
    text = page_text(render_contents("M", contents, "a4-4up"))
    for category in RegistrationCategory:
        assert category.label.upper() in text


def test_qr_from_the_printed_badge_scans_through_the_api(client, app):
    meeting = add_meeting()
    person = add_registration(meeting, "Nino", "ბერიძე", member=add_member("GEO", "Georgia"))
    bearer = device_token(meeting)
    headers = {"Authorization": f"Bearer {bearer}"}
    pdf = client.get(f"/api/v1/meetings/{meeting.slug}/participants/{person.id}/badge.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    codes = decode_qr_codes(pdf.data)
    assert len(codes) == 1
    assert "Nino" not in codes[0]
    body = {"token": codes[0], "checkpoint": "entrance", "direction": "in", "nonce": uuid.uuid4().hex}
    scanned = client.post(f"/api/v1/meetings/{meeting.slug}/scans", json=body, headers=headers).json
    assert scanned["result"] == "admitted"
    assert scanned["participant"]["name"] == "Nino ბერიძე"
    assert db.session.query(CheckIn).count() == 1


def test_every_qr_on_a_batch_sheet_decodes(app):
    meeting = add_meeting()
    people = [add_registration(meeting, f"P{i}", "Doe") for i in range(4)]
    from eventapp.badges.pdf import render_badges

    pdf = render_badges(meeting, people, "a4-4up")
    db.session.commit()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert len(set(decode_qr_codes(pdf))) == 4
