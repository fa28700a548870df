"""Hosts' pages for a meeting's scanning devices, and the scanner page a device opens from its link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.auth import policy
from eventapp.auth.forms import ActionForm
from eventapp.auth.twofactor import qr_data_uri
from eventapp.checkin.messages import scanner_messages
from eventapp.checkin.services import ENTRANCE
from eventapp.devices.forms import DeviceForm
from eventapp.devices.services import DeviceError, create_device, get_device, list_devices, revoke_device
from eventapp.meetings.services import get_meeting
from eventapp.models import Meeting, User

bp = Blueprint("devices", __name__)


def _meeting(slug: str) -> Meeting:
    return get_meeting(slug) or abort(404)


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _page(meeting: Meeting, form: DeviceForm, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "devices/index.html", meeting=meeting, rows=list_devices(meeting), form=form, action=ActionForm()
        ),
        status,
    )


@bp.route("/meetings/<slug>/devices", methods=["GET", "POST"])
@policy.require(policy.can_manage_devices)
def index(slug: str) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    form = DeviceForm()
    if not form.validate_on_submit():
        return _page(meeting, form, 422 if request.method == "POST" else 200)
    try:
        device, token = create_device(meeting, form.name.data or "", actor=_me())
    except DeviceError as exc:
        form.name.errors = [str(exc)]
        return _page(meeting, form, 422)
    # The token lives only in the link's fragment, which browsers never send to a server.
    link = url_for("devices.scanner", slug=meeting.slug, _external=True) + "#device=" + token
    page = make_response(
        render_template("devices/created.html", meeting=meeting, device=device, link=link, qr=qr_data_uri(link))
    )
    page.headers["Cache-Control"] = "no-store"  # shown once: not kept for the back button
    return page


@bp.post("/meetings/<slug>/devices/<int:device_id>/revoke")
@policy.require(policy.can_manage_devices)
def revoke(slug: str, device_id: int) -> Response:
    meeting = _meeting(slug)
    device = get_device(meeting, device_id) or abort(404)
    if ActionForm().validate_on_submit() and revoke_device(device, actor=_me()):
        flash(_("%(name)s is revoked; its next scan is refused.", name=device.name), "success")
    return redirect(url_for("devices.index", slug=meeting.slug))


@bp.get("/meetings/<slug>/scanner/device")
def scanner(slug: str) -> str:
    """The scanner page for a device without an account: the token comes from the link's fragment.

    The page holds nothing private: the checkpoints and the offline list come from the API with the token.
    """
    meeting = _meeting(slug)
    if not policy.can_view_meeting(current_user, meeting):
        abort(404)
    return render_template(
        "devices/scanner.html",
        meeting=meeting,
        checkpoints=[(ENTRANCE, _("Venue entrance"))],
        messages=scanner_messages(),
    )
