"""Checking and storing one person's details: names in any script, email, passport and photo."""

from __future__ import annotations

import io
import secrets
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from eventapp import countries
from eventapp.models import NameOrder, Registration
from eventapp.names.scripts import is_latin
from eventapp.privacy.crypto import decrypt_text, encrypt_text
from eventapp.registration.errors import RegistrationError
from eventapp.web.text import has_letter, text_problem

PHOTO_MAX_BYTES = 2 * 1024 * 1024
#: Pixels a photo may have (a 6000 x 4000 camera image): a few KB of PNG can claim billions, and
#: decoding allocates them all. Far below Pillow's own bomb limit, which it also keeps.
PHOTO_MAX_PIXELS = 25_000_000
#: What Pillow reads and writes for a photo: the two formats the form asks for, no other decoder.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png"}
#: Names whose text goes into letters and emails: when given they must hold a letter.
NAMES = ("given_name", "family_name", "badge_name", "latin_name")
#: Texts of several lines; every other text is one line.
MULTILINE = frozenset({"accessibility_needs", "dietary_needs", "motivation"})
TEXT_LIMITS = {
    "given_name": 100,
    "family_name": 100,
    "badge_name": 100,
    "latin_name": 200,
    "honorific": 40,
    "position": 200,
    "organisation": 200,
    "phone": 40,
    "gender": 40,
    "accessibility_needs": 1000,
    "dietary_needs": 1000,
    "motivation": 2000,
}


@dataclass
class PersonData:
    """What a person (or their focal point) types about them."""

    given_name: str
    family_name: str
    email: str
    #: The name exactly as it should appear on the badge (optional).
    badge_name: str = ""
    #: The name in Latin letters (optional unless the badge cannot print the person's script).
    latin_name: str = ""
    #: A NameOrder value, or empty for the order offered by the name's script and nationality.
    name_order: str | None = None
    honorific: str = ""
    position: str = ""
    organisation: str = ""
    phone: str = ""
    nationality: str | None = None
    country: str | None = None
    gender: str = ""
    accessibility_needs: str = ""
    dietary_needs: str = ""
    needs_visa_letter: bool = False
    passport_number: str = ""
    passport_expiry: date | None = None
    passport_country: str | None = None
    motivation: str = ""
    #: Raw bytes of an uploaded photo, if one was sent.
    photo: bytes | None = None


def normalise_email(value: str) -> str:
    """The address as stored: checked for shape (no DNS lookup) and lower-cased."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise RegistrationError(_("This is not a valid email address: %(reason)s", reason=exc), field="email") from exc
    return result.normalized.lower()


def _country(value: str | None, field: str) -> str | None:
    code = (value or "").strip().upper() or None
    if code and not countries.is_known(code):
        raise RegistrationError(_("%(code)s is not a country code we know.", code=code), field=field)
    return code


def _text(data: PersonData, name: str) -> str:
    # Outer whitespace goes and the text is composed (NFC: "e" + combining acute is stored as "é",
    # which every font prints as one letter); no case or compatibility folding.
    value = unicodedata.normalize("NFC", (getattr(data, name) or "").strip())
    if len(value) > TEXT_LIMITS[name]:
        raise RegistrationError(_("Keep this under %(limit)d characters.", limit=TEXT_LIMITS[name]), field=name)
    if problem := text_problem(value, multiline=name in MULTILINE):
        raise RegistrationError(problem, field=name)
    return value


def clean_person(data: PersonData, *, meeting_ends_on: date | None = None) -> dict[str, object]:
    """Column values for a person's details; raises RegistrationError naming the field at fault."""
    values: dict[str, object] = {name: _text(data, name) for name in TEXT_LIMITS}
    values.update(_names(values, data.name_order))
    values["email"] = normalise_email(data.email)
    values["nationality"] = _country(data.nationality, "nationality")
    values["country"] = _country(data.country, "country")
    values["needs_visa_letter"] = bool(data.needs_visa_letter)
    values.update(_passport(data, meeting_ends_on))
    return values


def _names(values: dict[str, object], order: str | None) -> dict[str, object]:
    """The name fields: one name is a whole name (kept as the given name); the badge must be able
    to print the name, or have the Latin-script version to print instead."""
    from eventapp.badges.fonts import missing_characters

    given, family = str(values["given_name"]), str(values["family_name"])
    if not given and family:
        given, family = family, ""
    if not given:
        raise RegistrationError(_("This is needed."), field="given_name")
    for field in NAMES:
        text = {"given_name": given, "family_name": family}.get(field, str(values[field]))
        if text and not has_letter(text):
            raise RegistrationError(_("A name needs at least one letter."), field=field)
    latin = str(values["latin_name"])
    if latin and not is_latin(latin):
        raise RegistrationError(
            _("Write this version of the name in Latin letters (A to Z, with accents)."), field="latin_name"
        )
    try:
        chosen = NameOrder(order) if order else None
    except ValueError:
        raise RegistrationError(_("Choose an order from the list."), field="name_order") from None
    printed = str(values["badge_name"]) or f"{given} {family}"
    if missing_characters(printed) and not latin:
        raise RegistrationError(
            _("Badges cannot print some characters of this name: please give it in Latin letters too."),
            field="latin_name",
        )
    return {"given_name": given, "family_name": family, "name_order": chosen}


def _passport(data: PersonData, meeting_ends_on: date | None) -> dict[str, object]:
    if not data.needs_visa_letter:
        # Not asked for, so not kept: drop whatever was there before.
        return {"passport_number_encrypted": None, "passport_expiry_encrypted": None, "passport_country": None}
    number = (data.passport_number or "").strip()
    if not number:
        raise RegistrationError(_("The visa letter needs the passport number."), field="passport_number")
    if len(number) > 40:
        raise RegistrationError(_("Keep this under %(limit)d characters.", limit=40), field="passport_number")
    if problem := text_problem(number):
        raise RegistrationError(problem, field="passport_number")
    if data.passport_expiry is None:
        raise RegistrationError(_("The visa letter needs the passport's expiry date."), field="passport_expiry")
    if meeting_ends_on and data.passport_expiry < meeting_ends_on:
        raise RegistrationError(_("This passport expires before the meeting ends."), field="passport_expiry")
    country = _country(data.passport_country, "passport_country")
    if country is None:
        raise RegistrationError(_("Which country issued the passport?"), field="passport_country")
    return {
        "passport_number_encrypted": encrypt_text(number),
        "passport_expiry_encrypted": encrypt_text(data.passport_expiry.isoformat()),
        "passport_country": country,
    }


def passport_of(registration: Registration) -> tuple[str, date | None]:
    """The decrypted passport number and expiry, for the person's own edit form."""
    number = decrypt_text(registration.passport_number_encrypted) if registration.passport_number_encrypted else ""
    expiry = registration.passport_expiry_encrypted
    return number, date.fromisoformat(decrypt_text(expiry)) if expiry else None


# --- photos --------------------------------------------------------------------------------------


#: What Pillow raises for bytes that are not, or not wholly, a JPEG or PNG image.
UNREADABLE = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error)


@dataclass(frozen=True)
class Photo:
    """A photo as stored: decoded and encoded again by Pillow, with none of the sender's metadata."""

    data: bytes
    kind: str


def clean_photo(data: bytes) -> Photo:
    """The photo re-encoded in its own format (JPEG or PNG), or a RegistrationError for the photo field.

    Only what Pillow decodes whole is kept, so a file that merely starts like an image is refused;
    EXIF (GPS, camera, date), XMP and comments are dropped, the colour profile and transparency kept.
    """
    if len(data) > PHOTO_MAX_BYTES:
        raise RegistrationError(_("The photo must be smaller than 2 MB."), field="photo")
    try:
        image = Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS))
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except UNREADABLE as exc:
        raise _not_an_image() from exc
    with image:
        width, height = image.size
        if width * height > PHOTO_MAX_PIXELS:
            raise _too_many_pixels()
        try:
            return _reencoded(image)
        except UNREADABLE as exc:
            raise _not_an_image() from exc


def _not_an_image() -> RegistrationError:
    return RegistrationError(_("The photo must be a JPEG or PNG image."), field="photo")


def _too_many_pixels() -> RegistrationError:
    return RegistrationError(
        _("The photo has too many pixels: send one of at most %(limit)d megapixels.", limit=PHOTO_MAX_PIXELS // 10**6),
        field="photo",
    )


def _reencoded(image: Image.Image) -> Photo:
    source_format = str(image.format)
    image.load()
    kept = {key: image.info[key] for key in ("icc_profile", "transparency") if key in image.info}
    # The stored file has no EXIF, so its orientation is applied to the pixels first.
    ImageOps.exif_transpose(image, in_place=True)
    if source_format == "JPEG" and image.mode not in ("L", "RGB"):
        # CMYK and other JPEG modes become RGB, which every browser shows; their profile no longer fits.
        image = image.convert("RGB")
        kept.pop("icc_profile", None)
    image.info = {}
    out = io.BytesIO()
    if source_format == "JPEG":
        image.save(out, "JPEG", quality=90, **kept)
    else:
        image.save(out, "PNG", **kept)
    return Photo(out.getvalue(), PHOTO_FORMATS[source_format])


def photo_kind(data: bytes) -> str:
    """'jpg' or 'png' when Pillow reads the bytes as such an image whole, else a RegistrationError."""
    return clean_photo(data).kind


def upload_folder() -> Path:
    folder = current_app.config.get("UPLOAD_FOLDER") or str(Path(current_app.instance_path) / "uploads")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_photo(data: bytes) -> str:
    """Write the photo as Pillow re-encodes it, under a random name; returns the file name to keep."""
    photo = clean_photo(data)
    name = f"{secrets.token_hex(16)}.{photo.kind}"
    (upload_folder() / name).write_bytes(photo.data)
    return name


def photo_file(registration: Registration) -> Path | None:
    """Where the person's stored photo is, or None when they gave none (or the file is gone)."""
    if not registration.photo_filename:
        return None
    path = upload_folder() / Path(registration.photo_filename).name
    return path if path.is_file() else None


def discard_photo(name: str | None) -> None:
    """Delete a stored photo and the copy of it cut to the badge's shape."""
    from eventapp.badges.photos import discard_crop

    if name:
        (upload_folder() / name).unlink(missing_ok=True)
        discard_crop(name)
