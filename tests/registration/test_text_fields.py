"""Text that must not be stored is refused next to its field; names in every script are kept as typed.

One-line fields refuse line breaks, tabs, control and format characters (keeping zero-width
joiners inside words) and names need a letter (eventapp/web/text.py); a photo is kept only as
Pillow decodes and re-encodes it, without its metadata (eventapp/registration/people.py).
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import Form

from eventapp.agenda.forms import RoomForm, SessionForm
from eventapp.extensions import db
from eventapp.meetings.forms import MeetingForm
from eventapp.members.forms import MemberForm
from eventapp.models import OutboxMessage, Registration
from eventapp.registration.errors import RegistrationError
from eventapp.registration.people import PHOTO_MAX_PIXELS, clean_person, clean_photo
from eventapp.web.forms import TextRules
from eventapp.web.text import text_problem
from tests.registration.conftest import PNG, form_data, open_meeting, person

#: Values no one-line field may hold, by the kind of character that makes them unstorable.
UNSTORABLE = {
    "CR/LF (a header injected into an email)": "Eve\r\nBcc: everyone@example.org",
    "LF": "Eve\nAdams",
    "TAB": "Eve\tAdams",
    "NUL (read as U+FFFD)": "Eve\x00",
    "bell": "Eve\x07",
    "line separator": "Eve\u2028Adams",
    "zero-width space only": "\u200b",
    "zero-width space inside": "E\u200bve",
    "lone BOM": "\ufeff",
    "right-to-left override": "Eve\u202eevE",
    "left-to-right embedding": "\u202aEve",
    "first-strong isolate": "\u2068Eve\u2069",
    "right-to-left mark": "Eve\u200f",
    "zero-width joiner alone": "\u200d",
    "joiner at the end of a word": "Eve\u200d",
    "soft hyphen": "Ev\u00ade",
}
#: Names that hold no letter.
LETTERLESS = ["12345", "...", "- -", "(+)"]
#: Names in many scripts, each kept exactly as typed.
NAMES = [
    "Nguyễn Thị Minh Khai",
    "محمد",
    "李小龙",
    "Ṣàngó",
    "O'Brien-Smith",
    "क्\u200dष",  # Devanagari: virama, ZWJ, letter
    "फ़\u200cलक",  # Devanagari with ZWNJ between letters
    "فاطمه\u200cزهرا",  # Persian: ZWNJ inside the name
    "Ольга Петрова",
    "Ελένη",
    "김민준",
    "สมชาย",
    "አበበ",
    "გიორგი",
    "שרה",
    "Zoë d’Arcy",
]


def _error_next_to(page: str, field: str) -> str:
    """The text of the error paragraph tied to a field (empty when there is none)."""
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    if not found:
        return ""
    text = re.sub(r'<span class="error-icon"[^>]*>.*?</span>|<[^>]+>', "", found.group(1))
    return " ".join(html.unescape(text).split())


def _stored() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Registration.id))) or 0,
        db.session.scalar(select(func.count(OutboxMessage.id))) or 0,
    )


def _apply(client: FlaskClient, slug: str, **overrides: object) -> tuple[int, str]:
    response = client.post(f"/meetings/{slug}/apply", data=form_data(**overrides), content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


# --- one-line fields on the application form ------------------------------------------------------


@pytest.mark.parametrize("field", ["given_name", "family_name", "organisation", "position", "honorific"])
@pytest.mark.parametrize("kind", sorted(UNSTORABLE))
def test_unstorable_characters_are_refused_next_to_the_field(client: FlaskClient, field: str, kind: str) -> None:
    meeting = open_meeting()
    status, page = _apply(client, meeting.slug, **{field: UNSTORABLE[kind]})
    assert status == 422
    message = _error_next_to(page, field)
    assert "one line" in message or "invisible character U+" in message, (kind, message)
    assert _stored() == (0, 0)
    # What was typed elsewhere comes back, ready to send again.
    assert "Twenty years of mediation work in the Sahel." in page and 'value="amina@example.org"' in page


def test_the_invisible_character_is_named_in_the_message(client: FlaskClient) -> None:
    meeting = open_meeting()
    _, page = _apply(client, meeting.slug, given_name="Eve\u202eevE")
    assert _error_next_to(page, "given_name") == "Remove the invisible character U+202E from this text."
    _, page = _apply(client, meeting.slug, family_name="Adams\r\nBcc: everyone@example.org")
    assert _error_next_to(page, "family_name") == "Write this on one line, without line breaks or tabs."


def test_the_refused_value_comes_back_in_its_field(client: FlaskClient) -> None:
    meeting = open_meeting()
    _, page = _apply(client, meeting.slug, given_name="Eve\u202eevE", family_name="Adams")
    assert 'value="Eve\u202eevE"' in page and 'value="Adams"' in page


@pytest.mark.parametrize("name", LETTERLESS)
def test_a_name_needs_a_letter(client: FlaskClient, name: str) -> None:
    meeting = open_meeting()
    status, page = _apply(client, meeting.slug, given_name=name)
    assert status == 422 and _error_next_to(page, "given_name") == "A name needs at least one letter."
    assert _stored() == (0, 0)


@pytest.mark.parametrize("name", NAMES)
def test_names_in_every_script_are_accepted_and_kept_exactly(client: FlaskClient, name: str) -> None:
    meeting = open_meeting()
    status, page = _apply(client, meeting.slug, given_name=name, family_name=name, organisation=name)
    assert status == 302, _error_next_to(page, "given_name") or _error_next_to(page, "family_name")
    stored = db.session.scalar(select(Registration))
    assert (stored.given_name, stored.family_name, stored.organisation) == (name, name, name)


def test_a_text_area_keeps_its_lines_and_refuses_the_rest(client: FlaskClient) -> None:
    meeting = open_meeting()
    status, page = _apply(client, meeting.slug, motivation="Line one\r\n\tLine two \u202e")
    assert status == 422 and "U+202E" in _error_next_to(page, "motivation")
    assert _stored() == (0, 0)
    status, _ = _apply(client, meeting.slug, motivation="Line one\r\n\tLine two", dietary_needs="Halal\r\nNo nuts")
    assert status == 302
    stored = db.session.scalar(select(Registration))
    assert stored.motivation == "Line one\r\n\tLine two" and stored.dietary_needs == "Halal\r\nNo nuts"


def test_the_service_keeps_the_rule_for_every_entry_point(app: Flask) -> None:
    """Delegations, self-service and applications all clean a person through clean_person."""
    with pytest.raises(RegistrationError) as broken:
        clean_person(person(given_name="Eve\r\nBcc: everyone@example.org"))
    assert broken.value.field == "given_name"
    with pytest.raises(RegistrationError) as hidden:
        clean_person(person(organisation="\u202eOrg"))
    assert hidden.value.field == "organisation"
    with pytest.raises(RegistrationError) as letterless:
        clean_person(person(family_name="123"))
    assert letterless.value.field == "family_name"
    assert clean_person(person(given_name="क्\u200dष", motivation="One\nTwo"))["given_name"] == "क्\u200dष"


@pytest.mark.parametrize(
    ("value", "multiline", "refused"),
    [
        ("क्\u200dष", False, False),
        ("\u200dक", False, True),
        ("a\u200cb", False, False),
        ("1\u200c2", False, True),
        ("👩\u200d💻", False, True),
        ("Line\nline", True, False),
        ("Line\u2028line", True, True),
        ("\ufffd", True, True),
        ("\U000e0041", False, True),  # a tag character
        ("\ue000", False, False),  # private use: some names need it, nothing hides behind it
    ],
)
def test_the_rule_itself(app: Flask, value: str, multiline: bool, refused: bool) -> None:
    with app.test_request_context():
        assert (text_problem(value, multiline=multiline) is not None) == refused


# --- every form of the app ------------------------------------------------------------------------


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_form_of_the_app_keeps_the_text_rule(app: Flask) -> None:
    ours = {form for form in _all_subclasses(Form) if form.__module__.startswith("eventapp.")}
    assert len(ours) > 10 and any(not issubclass(form, FlaskForm) for form in ours)  # sub-forms too
    assert {form.__qualname__ for form in ours if not issubclass(form, TextRules)} == set()


def _validated(app: Flask, form_class: type, data: MultiDict[str, str], **kwargs: object) -> dict[str, object]:
    with app.test_request_context(method="POST", data=data):
        form = form_class(meta={"csrf": False}, **kwargs)
        form.validate()
        return dict(form.errors)


def test_members_meetings_and_agenda_forms_refuse_it_too(app: Flask) -> None:
    member = MultiDict({"kind": "state", "name": "Roman\u202eia", "iso3": "ROU"})
    assert list(_validated(app, MemberForm, member)) == ["name"]
    meeting = MultiDict({"city": "Gen\u00adeva", "title": "5th meeting\nBcc: x"})
    errors = _validated(app, MeetingForm, meeting, member_choices=[])
    assert {"city", "title"} <= errors.keys()
    session = MultiDict({"title": "Panel", "speakers-0-name": "Eve\r\nAdams", "speakers-0-affiliation": "UN\u200b"})
    errors = _validated(app, SessionForm, session, room_choices=[], registrant_choices=[])
    speaker = errors["speakers"][0]  # type: ignore[index]
    assert {"name", "affiliation"} <= speaker.keys()
    # A room may be a number; only names of people, places and bodies need a letter.
    assert "name" not in _validated(app, RoomForm, MultiDict({"name": "101"}))


# --- photos ---------------------------------------------------------------------------------------


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° to show it upright
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (46.0, 12.0, 30.5), 3: "E", 4: (6.0, 8.0, 59.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def _png(size: tuple[int, int], mode: str = "1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def _upload(client: FlaskClient, slug: str, content: bytes, filename: str) -> tuple[int, str]:
    return _apply(client, slug, photo=(io.BytesIO(content), filename))


def test_a_jpeg_is_stored_without_its_exif_and_gps(client: FlaskClient, app: Flask) -> None:
    meeting = open_meeting()
    sent = _jpeg_with_gps()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)  # the test photo has a location
    status, _ = _upload(client, meeting.slug, sent, "me.jpg")
    assert status == 302
    name = db.session.scalar(select(Registration)).photo_filename
    stored = (Path(app.config["UPLOAD_FOLDER"]) / name).read_bytes()
    assert name.endswith(".jpg") and stored != sent
    kept = Image.open(io.BytesIO(stored))
    assert kept.format == "JPEG" and dict(kept.getexif()) == {} and "exif" not in kept.info
    assert b"PhoneMaker" not in stored and b"taken at home" not in stored and b"Exif" not in stored
    assert kept.size == (20, 40)  # turned upright before its orientation tag went


@pytest.mark.parametrize(
    "content",
    [
        b"This is a letter, not a photo.",
        b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20 + b"\xff\xd9",
        PNG[:40] + PNG[-12:],
    ],
    ids=["text", "jpeg markers around junk", "png without its pixels"],
)
def test_a_file_pillow_cannot_decode_is_refused_next_to_the_photo(client: FlaskClient, content: bytes) -> None:
    meeting = open_meeting()
    status, page = _upload(client, meeting.slug, content, "me.jpg")
    assert status == 422 and _error_next_to(page, "photo") == "The photo must be a JPEG or PNG image."
    assert _stored() == (0, 0) and 'value="Amina"' in page


@pytest.mark.parametrize(
    "size", [(6000, 5000), (20000, 20000)], ids=["over the app's limit", "a decompression bomb for Pillow"]
)
def test_a_photo_with_too_many_pixels_is_refused(client: FlaskClient, app: Flask, size: tuple[int, int]) -> None:
    meeting = open_meeting()
    sent = _png(size)
    assert len(sent) < 100_000 and size[0] * size[1] > PHOTO_MAX_PIXELS
    status, page = _upload(client, meeting.slug, sent, "me.png")
    assert status == 422 and "too many pixels" in _error_next_to(page, "photo")
    assert _stored() == (0, 0)
    assert not list(Path(app.config["UPLOAD_FOLDER"]).glob("*"))


def test_transparency_and_png_stay(app: Flask) -> None:
    image = Image.new("RGBA", (3, 2), (10, 20, 30, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    photo = clean_photo(out.getvalue())
    assert photo.kind == "png" and Image.open(io.BytesIO(photo.data)).getpixel((0, 0)) == (10, 20, 30, 0)
