"""Photos as every page and the badge show them: cropped to one shape, 3 wide by 4 high."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps

from eventapp.audit.services import record
from eventapp.extensions import db
from eventapp.models import Registration, User
from eventapp.registration.people import discard_photo, photo_file, store_photo

#: Width over height of a photo wherever it is shown.
PHOTO_RATIO = 3 / 4
#: Pixels of the cropped copy: enough for 45 mm at 300 dpi.
CROP_SIZE = (420, 560)


def crop_folder() -> Path:
    folder = Path(current_app.instance_path) / "photo-crops"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cropped_photo(registration: Registration) -> Path | None:
    """The person's photo cut to 3:4 around its centre (a JPEG made once per stored photo), or None."""
    source = photo_file(registration)
    if source is None:
        return None
    target = crop_folder() / f"{source.stem}.jpg"
    if not target.is_file():
        with Image.open(source) as image:
            cropped = ImageOps.fit(image.convert("RGB"), CROP_SIZE, centering=(0.5, 0.4))
        out = io.BytesIO()
        cropped.save(out, "JPEG", quality=88)
        # A temporary file of its own, then a rename: workers that race each write a whole file.
        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            os.fchmod(handle, 0o644)  # as the uploaded photo: mkstemp's 0600 would keep other workers out
            with os.fdopen(handle, "wb") as stream:
                stream.write(out.getvalue())
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return target


def discard_crop(photo_filename: str | None) -> None:
    if photo_filename:
        (crop_folder() / f"{Path(photo_filename).stem}.jpg").unlink(missing_ok=True)


def replace_photo(registration: Registration, data: bytes, *, actor: User | None) -> None:
    """A host puts a new photo in place of the person's (checked as an upload is); commits.

    RegistrationError (field "photo") when the file is not a JPEG or PNG photo we accept.
    """
    old = registration.photo_filename
    new = store_photo(data)
    try:
        registration.photo_filename = new
        record("registration.photo_replace", registration, actor=actor, meeting_id=registration.meeting_id)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        discard_photo(new)
        raise
    discard_photo(old)
