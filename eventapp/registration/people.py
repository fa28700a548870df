"""Checking and storing one person's details: names in any script, email, passport and photo."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pycountry
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _

from eventapp.models import Registration
from eventapp.privacy.crypto import decrypt_text, encrypt_text
from eventapp.registration.errors import RegistrationError

PHOTO_MAX_BYTES = 2 * 1024 * 1024
TEXT_LIMITS = {
    "given_name": 100,
    "family_name": 100,
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
    if code and pycountry.countries.get(alpha_3=code) is None:
        raise RegistrationError(_("%(code)s is not a country code we know.", code=code), field=field)
    return code


def _text(data: PersonData, name: str) -> str:
    # Only outer whitespace goes: the name itself is kept exactly (no case or Unicode folding).
    value = (getattr(data, name) or "").strip()
    if len(value) > TEXT_LIMITS[name]:
        raise RegistrationError(_("Keep this under %(limit)d characters.", limit=TEXT_LIMITS[name]), field=name)
    return value


def clean_person(data: PersonData, *, meeting_ends_on: date | None = None) -> dict[str, object]:
    """Column values for a person's details; raises RegistrationError naming the field at fault."""
    values: dict[str, object] = {name: _text(data, name) for name in TEXT_LIMITS}
    for required in ("given_name", "family_name"):
        if not values[required]:
            raise RegistrationError(_("This is needed."), field=required)
    values["email"] = normalise_email(data.email)
    values["nationality"] = _country(data.nationality, "nationality")
    values["country"] = _country(data.country, "country")
    values["needs_visa_letter"] = bool(data.needs_visa_letter)
    values.update(_passport(data, meeting_ends_on))
    return values


def _passport(data: PersonData, meeting_ends_on: date | None) -> dict[str, object]:
    if not data.needs_visa_letter:
        # Not asked for, so not kept: drop whatever was there before.
        return {"passport_number_encrypted": None, "passport_expiry_encrypted": None, "passport_country": None}
    number = (data.passport_number or "").strip()
    if not number:
        raise RegistrationError(_("The visa letter needs the passport number."), field="passport_number")
    if len(number) > 40:
        raise RegistrationError(_("Keep this under %(limit)d characters.", limit=40), field="passport_number")
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


def photo_kind(data: bytes) -> str:
    """'jpg' or 'png' when the bytes really are such an image, else a RegistrationError."""
    if len(data) > PHOTO_MAX_BYTES:
        raise RegistrationError(_("The photo must be smaller than 2 MB."), field="photo")
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "png"
    if data.startswith(b"\xff\xd8\xff") and data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return "jpg"
    raise RegistrationError(_("The photo must be a JPEG or PNG image."), field="photo")


def upload_folder() -> Path:
    folder = current_app.config.get("UPLOAD_FOLDER") or str(Path(current_app.instance_path) / "uploads")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_photo(data: bytes) -> str:
    """Write a checked photo under a random name; returns the file name to keep."""
    name = f"{secrets.token_hex(16)}.{photo_kind(data)}"
    (upload_folder() / name).write_bytes(data)
    return name


def photo_file(registration: Registration) -> Path | None:
    """Where the person's stored photo is, or None when they gave none (or the file is gone)."""
    if not registration.photo_filename:
        return None
    path = upload_folder() / Path(registration.photo_filename).name
    return path if path.is_file() else None


def discard_photo(name: str | None) -> None:
    if name:
        (upload_folder() / name).unlink(missing_ok=True)
