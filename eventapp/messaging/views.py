"""Hosts write to a group of participants, preview who gets it, send, and read what went to whom."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.i18n.locales import LANGUAGES
from eventapp.i18n.translated import list_entry, member_name
from eventapp.meetings.services import get_meeting
from eventapp.messaging import services
from eventapp.messaging.audience import Audience
from eventapp.messaging.forms import MessageForm
from eventapp.messaging.starters import BY_KEY, STARTERS
from eventapp.models import Meeting, MessageTemplate
from eventapp.models.messaging import Versions
from eventapp.reports.services import meeting_members

bp = Blueprint("messaging", __name__)

PERSON_PAGE = "workspace.participant"


def _meeting(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None:
        abort(404)
    return meeting


def _form(meeting: Meeting) -> MessageForm:
    form = MessageForm()
    members = [(m.code, list_entry(member_name(m))) for m in meeting_members(meeting)]
    form.member.choices = [("", _("Any member")), *members]
    return form


def _fill_versions(form: MessageForm, default_locale: str, versions: Versions) -> None:
    form.default_locale.data = default_locale
    for code in LANGUAGES:
        version = versions.get(code, {})
        form[f"subject_{code}"].data = version.get("subject", "")
        form[f"body_{code}"].data = version.get("body", "")


def _draft(form: MessageForm) -> services.Draft:
    texts = {code: (form[f"subject_{code}"].data or "", form[f"body_{code}"].data or "") for code in LANGUAGES}
    audience = Audience.from_data(
        {
            "statuses": form.statuses.data,
            "categories": form.categories.data,
            "member": form.member.data,
            "presence": form.presence.data,
            "need": form.need.data,
        }
    )
    return services.clean_draft(form.default_locale.data or "", texts, audience)


def _attach(form: MessageForm, error: services.MessageError) -> None:
    field = form[error.field] if error.field and error.field in form else form.statuses
    field.errors = [*field.errors, str(error)]


@bp.get("/meetings/<slug>/messages")
@policy.require(policy.can_view_registrations)
def index(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template(
        "messaging/index.html",
        meeting=meeting,
        sent=services.sent_messages(meeting),
        starters=STARTERS,
        audience_of=lambda message: Audience.from_data(message.audience).describe(),
    )


@bp.route("/meetings/<slug>/messages/new", methods=["GET", "POST"])
@policy.require(policy.can_view_registrations)
def compose(slug: str) -> tuple[str, int] | Response:
    meeting = _meeting(slug)
    form = _form(meeting)
    if request.method == "GET":
        if starter := BY_KEY.get(request.args.get("starter", "")):
            _fill_versions(form, "en", starter.versions())
        elif template := db.session.get(MessageTemplate, request.args.get("template", 0, type=int) or 0):
            _fill_versions(form, template.default_locale, template.versions)
        return _compose_page(meeting, form), 200
    action = request.form.get("action", "preview")
    preview = changed = None
    if form.validate_on_submit():
        try:
            draft = _draft(form)
            if action == "send":
                message = services.send_message(
                    meeting,
                    draft,
                    by=current_user,
                    expected=form.expected.data or "",
                    send_token=form.send_token.data,
                )
                count = message.recipient_count
                flash(
                    ngettext(
                        "Your message is on its way to %(num)d person.",
                        "Your message is on its way to %(num)d people.",
                        count,
                    ),
                    "success",
                )
                return redirect(url_for("messaging.show", slug=meeting.slug, sent_id=message.id))
            if action == "save_template":
                template = services.save_template(form.template_name.data or "", draft, by=current_user)
                flash(_("The template %(name)s was saved.", name=template.name), "success")
            preview = services.preview(meeting, draft)
            form.expected.data, form.send_token.data = preview.key, services.new_send_token()
        except services.MessageError as exc:
            db.session.rollback()
            _attach(form, exc)
        except services.AudienceChanged as exc:
            db.session.rollback()
            changed = exc.count
            preview = services.preview(meeting, draft)
            form.expected.data, form.send_token.data = preview.key, services.new_send_token()
    return _compose_page(meeting, form, preview, changed), 422 if form.errors else 200


def _compose_page(
    meeting: Meeting, form: MessageForm, preview: services.Preview | None = None, changed: int | None = None
) -> str:
    return render_template(
        "messaging/compose.html",
        meeting=meeting,
        form=form,
        preview=preview,
        changed=changed,
        languages=LANGUAGES,
        languages_list=list(LANGUAGES.items()),
        starters_list=STARTERS,
        saved_templates=services.templates() if request.method == "GET" else [],
    )


@bp.get("/meetings/<slug>/messages/<int:sent_id>")
@policy.require(policy.can_view_registrations)
def show(slug: str, sent_id: int) -> str:
    meeting = _meeting(slug)
    message = services.get_sent(meeting, sent_id)
    if message is None:
        abort(404)
    audience = Audience.from_data(message.audience)
    return render_template(
        "messaging/show.html",
        meeting=meeting,
        message=message,
        audience=audience,
        languages=LANGUAGES,
        can_read_outbox=policy.can_read_outbox(current_user),
        person_url=_person_url(meeting),
    )


def _person_url(meeting: Meeting) -> Callable[[int], str] | None:
    """Links to each person's page in the workspace, when that page exists."""
    if PERSON_PAGE not in current_app.view_functions:
        return None
    return lambda registration_id: url_for(PERSON_PAGE, slug=meeting.slug, registration_id=registration_id)


@bp.get("/meetings/<slug>/messages/templates")
@policy.require(policy.can_view_registrations)
def templates(slug: str) -> str:
    meeting = _meeting(slug)
    return render_template(
        "messaging/templates.html",
        meeting=meeting,
        templates=services.templates(),
        starters=STARTERS,
        languages=LANGUAGES,
    )


@bp.post("/meetings/<slug>/messages/templates/<int:template_id>/delete")
@policy.require(policy.can_view_registrations)
def delete_template(slug: str, template_id: int) -> Response:
    meeting = _meeting(slug)
    template = db.session.get(MessageTemplate, template_id)
    if template is None:
        abort(404)
    services.delete_template(template)
    flash(_("The template %(name)s was deleted.", name=template.name), "success")
    return redirect(url_for("messaging.templates", slug=meeting.slug))
