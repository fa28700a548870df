"""Names as people write them, from the application form to the printed badge (issue 20)."""

from __future__ import annotations

import io
import unicodedata

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from eventapp.badges.names import name_problems, printed_name
from eventapp.badges.pdf import render_badges
from eventapp.badges.services import live_badges
from eventapp.badges.tokens import verify_token
from eventapp.extensions import db
from eventapp.models import Registration, RegistrationCategory, RegistrationStatus
from eventapp.names.collation import sort_key
from tests.conftest import add_meeting
from tests.registration.conftest import form_data, open_meeting

#: Script -> (given name, family name, nationality, the name as the badge prints it).
PEOPLE = {
    "Bengali": ("রোকেয়া", "হোসেন", "BGD", "রোকেয়া হোসেন"),
    "Tamil": ("லட்சுமி", "ரெட்டி", "IND", "லட்சுமி ரெட்டி"),
    "Sinhala": ("සිරිමාවෝ", "බණ්ඩාරනායක", "LKA", "සිරිමාවෝ බණ්ඩාරනායක"),
    "Khmer": ("សុភា", "សុខ", "KHM", "សុខ សុភា"),  # family name first: Cambodian nationality
    "Myanmar": ("ဆန်းစုကြည်", "အောင်", "MMR", "ဆန်းစုကြည် အောင်"),
    "Lao": ("ສົມພອນ", "ພົມມະຈັນ", "LAO", "ສົມພອນ ພົມມະຈັນ"),
    "Gujarati": ("હંસા", "મહેતા", "IND", "હંસા મહેતા"),
    "Gurmukhi": ("ਹਰਪ੍ਰੀਤ", "ਕੌਰ", "IND", "ਹਰਪ੍ਰੀਤ ਕੌਰ"),
    "Telugu": ("సరోజిని", "నాయుడు", "IND", "సరోజిని నాయుడు"),
    "Kannada": ("ಕಮಲಾದೇವಿ", "ಚಟ್ಟೋಪಾಧ್ಯಾಯ", "IND", "ಕಮಲಾದೇವಿ ಚಟ್ಟೋಪಾಧ್ಯಾಯ"),
    "Malayalam": ("ഗൗരി", "അമ്മ", "IND", "ഗൗരി അമ്മ"),
    "Tibetan": ("བསྟན་འཛིན", "རྒྱ་མཚོ", "CHN", "རྒྱ་མཚོ བསྟན་འཛིན"),  # Chinese nationality: family first
    "Mongolian": ("ᠪᠠᠲᠤ", "ᠳᠣᠷᠵᠢ", "MNG", "ᠳᠣᠷᠵᠢ ᠪᠠᠲᠤ"),
    "Oriya": ("ସୁଜାତା", "ମହାପାତ୍ର", "IND", "ସୁଜାତା ମହାପାତ୍ର"),
    "Thaana": ("އާމިނަތު", "ޝާހިދާ", "MDV", "އާމިނަތު ޝާހިދާ"),
    "Arabic": ("فاطمة", "الزهراء", "EGY", "فاطمة الزهراء"),
    "Hebrew": ("דוד", "כהן", "ISR", "דוד כהן"),
    "Devanagari": ("प्रिया", "शर्मा", "NPL", "प्रिया शर्मा"),
    "Thai": ("สมชาย", "ใจดี", "THA", "สมชาย ใจดี"),
    "Ethiopic": ("አበበ", "በቀለ", "ETH", "አበበ በቀለ"),
    "Georgian": ("ნინო", "ბერიძე", "GEO", "ნინო ბერიძე"),
    "Armenian": ("Արամ", "Պետրոսյան", "ARM", "Արամ Պետրոսյան"),
    "Greek": ("Νίκος", "Παπαδόπουλος", "GRC", "Νίκος Παπαδόπουλος"),
    "Cyrillic": ("Ольга", "Иванова", "UKR", "Ольга Иванова"),
    "Han": ("芳", "王", "CHN", "王芳"),
    "Kana": ("さくら", "たなか", "JPN", "たなかさくら"),
    "Hangul": ("민준", "김", "KOR", "김민준"),
    "Latin with combining marks": ("Zoe\u0308", "Nguye\u0302\u0303n", "FRA", "Zoë Nguyễn"),
}
RIGHT_TO_LEFT = {"Arabic", "Hebrew", "Thaana"}


def squeezed(text: str) -> str:
    """NFC text without white space or control characters (extractors break lines inside words)."""
    return "".join(c for c in unicodedata.normalize("NFC", text) if not c.isspace() and unicodedata.category(c) != "Cc")


def apply(client, meeting, number: int, given: str, family: str, **fields: str):
    data = form_data(given_name=given, family_name=family, email=f"person{number}@example.org", **fields)
    return client.post(f"/meetings/{meeting.slug}/apply", data=data)


def registered(email: str) -> Registration:
    return db.session.scalar(select(Registration).where(Registration.email == email))


def approve(people: list[Registration]) -> None:
    for person in people:
        person.status = RegistrationStatus.APPROVED
    db.session.commit()


def qr_of_each_page(pdf: bytes) -> list[list[str]]:
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=3).to_pil()
        found.append([r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode])
    return found


def test_names_in_28_scripts_register_and_print_and_their_qr_codes_scan(client, app):
    meeting = open_meeting()
    people = []
    for number, (given, family, nationality, _) in enumerate(PEOPLE.values()):
        response = apply(client, meeting, number, given, family, nationality=nationality)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        people.append(registered(f"person{number}@example.org"))
    approve(people)
    assert [p.full_name for p in people] == [shown for *_, shown in PEOPLE.values()]

    pdf = render_badges(meeting, people, "a6")
    db.session.commit()
    pages = [squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == len(PEOPLE) >= 25
    unread = {}
    for (script, (*_, shown)), text in zip(PEOPLE.items(), pages, strict=True):
        # Right-to-left names are extracted in visual word order: each word must be there.
        wanted = shown.split() if script in RIGHT_TO_LEFT else [shown]
        if not all(squeezed(part) in text for part in wanted):
            unread[script] = (shown, text[:80])
    assert unread == {}

    live = live_badges([p.id for p in people])
    codes = qr_of_each_page(pdf)
    for person, found in zip(people, codes, strict=True):
        assert len(found) == 1, person.full_name
        assert verify_token(meeting, found[0]).token_id == live[person.id].token_id


def test_a_name_no_font_prints_asks_for_its_latin_letters_warns_and_prints_them(client, app, users, auth):
    meeting = open_meeting()
    rare = "\U0002ceb0"  # a Han character of CJK Extension F that the CJK font lacks
    response = apply(client, meeting, 1, rare, "王", nationality="CHN")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="latin_name-error"' in page and "Latin letters" in page
    assert rare in page  # what was typed is kept

    assert apply(client, meeting, 1, rare, "王", nationality="CHN", latin_name="WANG Xi").status_code == 302
    person = registered("person1@example.org")
    approve([person])
    printed = printed_name(person)
    assert printed.transliterated and printed.text == "WANG Xi" and printed.missing == (rare,)
    assert "WANG Xi" in " ".join(name_problems(person)) and "U+2CEB0" in " ".join(name_problems(person))
    pdf = render_badges(meeting, [person], "a6")
    db.session.commit()
    assert "WANG Xi" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    auth.login(users.host.email)
    badges_page = client.get(f"/meetings/{meeting.slug}/badges").get_data(as_text=True)
    assert "U+2CEB0" in badges_page and "WANG Xi" in badges_page
    person_page = client.get(f"/meetings/{meeting.slug}/badges/people/{person.id}").get_data(as_text=True)
    assert "U+2CEB0" in person_page and f"/badges/people/{person.id}/preview.png" in person_page
    preview = client.get(f"/meetings/{meeting.slug}/badges/people/{person.id}/preview.png")
    assert preview.status_code == 200 and preview.data.startswith(b"\x89PNG")
    # A batch is held back until the host has seen the name, then printed when they say so.
    batch = {"layout": "a4-4up", "category": ""}
    held = client.post(f"/meetings/{meeting.slug}/badges/batches", data=batch)
    assert held.status_code == 422 and "WANG Xi" in held.get_data(as_text=True)
    made = client.post(f"/meetings/{meeting.slug}/badges/batches", data={**batch, "print_anyway": "y"})
    assert made.status_code == 302


def test_a_name_registered_before_the_check_prints_what_fonts_have_and_warns(app):
    meeting = add_meeting()
    person = Registration(
        meeting=meeting,
        category=RegistrationCategory.MEDIA,
        status=RegistrationStatus.APPROVED,
        email="x@example.org",
        given_name="Ana \U0002ceb0",
        family_name="Pop",
    )
    db.session.add(person)
    db.session.commit()
    assert printed_name(person).text == "Ana Pop"  # never blank, never a box
    assert "Latin letters" in name_problems(person)[0]


def test_east_asian_names_print_family_name_first_without_a_space(client, app):
    meeting = open_meeting()
    names = {"王芳": ("芳", "王", "CHN"), "山田太郎": ("太郎", "山田", "JPN"), "김민준": ("민준", "김", "KOR")}
    for number, (given, family, nationality) in enumerate(names.values()):
        assert apply(client, meeting, number, given, family, nationality=nationality).status_code == 302
    people = [registered(f"person{n}@example.org") for n in range(len(names))]
    approve(people)
    text = squeezed(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_badges(meeting, people))).pages))
    assert all(name in text for name in names)
    # A Latin-script name in the family-first order the person chose.
    assert (
        apply(client, meeting, 9, "Zsófia", "Kovács", nationality="FRA", name_order="family_first").status_code == 302
    )
    assert registered("person9@example.org").full_name == "Kovács Zsófia"


def test_a_single_name_registers_prints_and_sorts(client, app):
    meeting = open_meeting()
    for number, (given, family) in enumerate([("Sukarno", ""), ("Maria", "Tan"), ("John", "Smith"), ("Ana", "Rossi")]):
        assert apply(client, meeting, number, given, family).status_code == 302
    people = list(db.session.scalars(select(Registration)))
    single = next(p for p in people if p.given_name == "Sukarno")
    assert single.family_name == "" and single.full_name == "Sukarno"
    approve(people)
    assert "Sukarno" in PdfReader(io.BytesIO(render_badges(meeting, [single]))).pages[0].extract_text()
    ordered = db.session.scalars(select(Registration).order_by(Registration.name_sort_key)).all()
    assert [p.full_name for p in ordered] == ["Ana Rossi", "John Smith", "Sukarno", "Maria Tan"]


def test_lists_sort_by_family_name_in_each_scripts_own_order():
    assert sort_key("Ångström", "A") < sort_key("Berg", "B")  # root collation: Å with the A's
    assert sort_key("Öztürk", "C") < sort_key("Pérez", "D")
    # Han names in pinyin order: 李 (li) before 王 (wang) before 张 (zhang).
    han = sorted(["张", "王", "李"], key=lambda f: sort_key(f, ""))
    assert han == ["李", "王", "张"]
    assert sort_key("Zhang", "Wei") < sort_key("李", "娜")  # Latin first, then other scripts


def font_sizes_and_lines(pdf: bytes, first: str, last: str) -> tuple[set[float], int]:
    """The font sizes (pt) of the text from `first` to `last` on the first page, and its number of lines."""
    page = pypdfium2.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    everything = textpage.get_text_range()
    start, end = everything.index(first), everything.index(last) + len(last)
    sizes, tops = set(), set()
    for index in range(start, end):
        if not everything[index].isspace():
            sizes.add(round(pdfium_c.FPDFText_GetFontSize(textpage.raw, index), 1))
            tops.add(round(textpage.get_charbox(index, loose=True)[3]))
    return sizes, len(tops)


def test_a_100_character_name_prints_at_14_pt_or_more_on_two_lines(client, app):
    meeting = open_meeting()
    given = "Maria de los Ángeles Guadalupe Concepción"
    family = "Fernández-Villavicencio Rodríguez de la Santísima Trinidad"
    assert len(f"{given} {family}") == 100
    assert apply(client, meeting, 1, given, family).status_code == 302
    person = registered("person1@example.org")
    approve([person])
    assert name_problems(person) == []
    sizes, lines = font_sizes_and_lines(render_badges(meeting, [person]), "Maria de", "Trinidad")
    assert sizes and min(sizes) >= 14 and lines == 2


@pytest.mark.parametrize("layout", ["a6", "a4-4up", "letter-4x3"])
def test_badges_show_the_meeting_dates_the_category_and_the_country(app, layout):
    from tests.checkin.builders import add_registration
    from tests.conftest import add_member

    meeting = add_meeting()
    delegate = add_registration(meeting, "Nino", "Beridze", member=add_member("GEO", "Georgia"))
    guest = add_registration(meeting, "Ana", "Pop", category=RegistrationCategory.ACADEMIA, organisation="Uni")
    guest.country = "ROU"
    db.session.commit()
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_badges(meeting, [delegate, guest], layout))).pages
    )
    assert "Georgia" in text and "Romania" in text and "ACADEMIA" in text
    assert str(meeting.ends_on.year) in text


def test_anonymising_a_meeting_removes_the_names_key_and_cropped_photo(app, tmp_path, monkeypatch):
    from datetime import timedelta

    from eventapp.badges.photos import cropped_photo
    from eventapp.models.base import utcnow
    from eventapp.privacy.purge import run_purge
    from tests.registration.conftest import PNG

    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "face.png").write_bytes(PNG)
    meeting = add_meeting(days_ahead=-200)
    person = Registration(
        meeting=meeting,
        category=RegistrationCategory.MEDIA,
        status=RegistrationStatus.APPROVED,
        email="w@example.org",
        given_name="芳",
        family_name="王",
        badge_name="王芳",
        latin_name="WANG Fang",
        photo_filename="face.png",
    )
    db.session.add(person)
    db.session.commit()
    crop = cropped_photo(person)
    assert crop is not None and crop.is_file()
    run_purge(now=utcnow() + timedelta(days=1))
    db.session.refresh(person)
    assert (person.badge_name, person.latin_name) == ("", "")
    assert person.name_sort_key == sort_key(person.family_name, person.given_name)
    assert not crop.exists()
