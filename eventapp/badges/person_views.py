"""One person's badge as the hosts check it: what prints, warnings, a preview image, the photo."""

from __future__ import annotations

import io

import pypdfium2
from flask import Response, abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response as BaseResponse

from eventapp.auth.policy import can_manage_meetings, require
from eventapp.badges.names import name_problems, printed_name
from eventapp.badges.pdf import content_for, render_contents
from eventapp.badges.photos import cropped_photo, replace_photo
from eventapp.badges.services import badge_token, live_badges
from eventapp.badges.tokens import DECIMAL_LENGTH
from eventapp.badges.views import bp, meeting_or_404, registration_or_404
from eventapp.models import Meeting, Registration
from eventapp.names.order import effective_order
from eventapp.registration.errors import RegistrationError
from eventapp.registration.people import PHOTO_MAX_BYTES
from eventapp.web.formatting import format_date_range
from eventapp.web.forms import AppForm
from eventapp.web.responses import render_form

#: Points per pixel of the preview image: an A6 badge about 440 pixels wide.
PREVIEW_SCALE = 1.5


class PhotoForm(AppForm):
    photo = FileField(_l("New photo"), description=_l("JPEG or PNG, smaller than 2 MB."))


def _page(meeting: Meeting, person: Registration, form: PhotoForm) -> tuple[str, int]:
    return render_form(
        "badges/person.html",
        meeting=meeting,
        person=person,
        form=form,
        printed=printed_name(person),
        problems=name_problems(person),
        order=effective_order(person),
    )


@bp.get("/meetings/<slug>/badges/people/<int:registration_id>")
@require(can_manage_meetings)
def person(slug: str, registration_id: int) -> tuple[str, int]:
    meeting = meeting_or_404(slug)
    return _page(meeting, registration_or_404(meeting, registration_id), PhotoForm())


@bp.post("/meetings/<slug>/badges/people/<int:registration_id>/photo")
@require(can_manage_meetings)
def replace(slug: str, registration_id: int) -> tuple[str, int] | BaseResponse:
    meeting = meeting_or_404(slug)
    registration = registration_or_404(meeting, registration_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        return _page(meeting, registration, form)
    upload = form.photo.data
    data = upload.stream.read(PHOTO_MAX_BYTES + 1) if isinstance(upload, FileStorage) and upload.filename else b""
    if not data:
        form.photo.errors = [_("Choose a photo to upload.")]
        return _page(meeting, registration, form)
    try:
        replace_photo(registration, data, actor=current_user)
    except RegistrationError as exc:
        form.photo.errors = [str(exc)]
        return _page(meeting, registration, form)
    flash(_("The photo of %(name)s was replaced.", name=registration.full_name), "success")
    return redirect(url_for("badges.person", slug=slug, registration_id=registration.id))


@bp.get("/meetings/<slug>/badges/people/<int:registration_id>/photo.jpg")
@require(can_manage_meetings)
def photo(slug: str, registration_id: int) -> Response:
    """The person's photo cut to the shape every page and the badge show."""
    meeting = meeting_or_404(slug)
    path = cropped_photo(registration_or_404(meeting, registration_id)) or abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/meetings/<slug>/badges/people/<int:registration_id>/preview.png")
@require(can_manage_meetings)
def preview(slug: str, registration_id: int) -> Response:
    """The A6 badge as it would print now, as an image (no badge is issued to make it)."""
    meeting = meeting_or_404(slug)
    registration = registration_or_404(meeting, registration_id)
    live = live_badges([registration.id]).get(registration.id)
    token = badge_token(live) if live else "0" * DECIMAL_LENGTH
    dates = format_date_range(meeting.starts_on, meeting.ends_on)
    pdf = render_contents(meeting.title, [content_for(registration, token)], "a6", dates)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=PREVIEW_SCALE).to_pil()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return Response(out.getvalue(), mimetype="image/png", headers={"Cache-Control": "private, no-store"})
