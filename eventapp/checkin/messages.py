"""The scanner page's words, in the page's language, for static/js/scanner.js and checkin-offline.js."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from eventapp.i18n.scripts import COUNT, plural_templates


def scanner_messages() -> dict[str, object]:
    return {
        "results": {
            "admitted": _("Admitted"),
            "exited": _("Exit recorded"),
            "already_inside": _("Already inside"),
            "not_allowed": _("Not allowed here"),
            "not_approved": _("Not approved"),
            "revoked": _("Badge revoked"),
            "invalid": _("Invalid badge"),
            "wrong_meeting": _("Another meeting's badge"),
        },
        "checked_here": {
            "offline": _("Checked on this device — offline; will sync"),
            "slow": _("Checked on this device — the server is slow; will sync"),
            "unanswered": _("Checked on this device — the server did not answer; will sync"),
        },
        "photo_of": _("Photo of %(name)s", name="{name}"),
        "online": _("Online"),
        "offline": _("Offline: scans are queued"),
        "waiting": plural_templates(
            lambda n: ngettext("%(count)s scan waiting to sync", "%(count)s scans waiting to sync", n, count=COUNT)
        ),
        "offline_list": plural_templates(
            lambda n: ngettext("Offline list: %(count)s person", "Offline list: %(count)s people", n, count=COUNT)
        ),
        "saved_copy": _("(saved copy)"),
        "no_offline_list": _("No offline list on this device yet."),
        "refused": _("Request refused."),
        "start_camera": _("Start camera"),
        "stop_camera": _("Stop camera"),
        "no_decoder": _("The QR decoder is not installed (run make vendor); use the code field."),
        "camera_unavailable": _("Camera unavailable: %(error)s", error="{error}"),
        "reasons": {
            "not_a_badge": _("This is not a badge of the network."),
            "other_meeting": _("This badge is for another meeting."),
            "no_signature_check": _("This device cannot check signatures offline."),
            "bad_signature": _("The badge's signature does not check out."),
            "replaced": _("This badge was replaced; ask for the new one."),
            "not_on_list": _("Not on this device's list; check when back online."),
            "delegations_only": _("Members' delegations only."),
            "invitation_only": _("By invitation only."),
            "already_scanned": _("Already scanned in here."),
        },
    }
