from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.agenda.services import agenda_by_day
from eventapp.auth import policy
from eventapp.feeds.services import meeting_has_public_agenda
from eventapp.i18n.translated import fill_translation_fields, translations_from_form
from eventapp.meetings.forms import MeetingForm
from eventapp.meetings.services import (
    MeetingData,
    MeetingError,
    create_meeting,
    get_meeting,
    list_meetings,
    to_local,
    update_meeting,
)
from eventapp.members.services import list_members
from eventapp.models import Meeting, MeetingKind, MeetingStatus
from eventapp.web.responses import render_form

bp = Blueprint("meetings", __name__)


def _form(meeting: Meeting | None = None) -> MeetingForm:
    choices = [(m.code, m.name) for m in list_members()]
    if meeting is None or request.method == "POST":
        return MeetingForm(member_choices=choices)
    form = MeetingForm(obj=meeting, member_choices=choices)
    form.cochairs.data = [m.code for m in meeting.cochairs]
    form.registration_opens.data = to_local(meeting.registration_opens_at, meeting.timezone)
    form.registration_closes.data = to_local(meeting.registration_closes_at, meeting.timezone)
    form.edit_deadline.data = to_local(meeting.edit_deadline_at, meeting.timezone)
    return form


def _data(form: MeetingForm) -> MeetingData:
    return MeetingData(
        kind=MeetingKind(form.kind.data),
        number=form.number.data,
        title=form.title.data or "",
        slug=form.slug.data or "",
        theme=form.theme.data or "",
        city=form.city.data or "",
        country_iso3=form.country_iso3.data,
        venue=form.venue.data or "",
        timezone=form.timezone.data or "",
        starts_on=form.starts_on.data,  # type: ignore[arg-type]
        ends_on=form.ends_on.data,  # type: ignore[arg-type]
        secretariat=form.secretariat.data or "",
        status=MeetingStatus(form.status.data),
        registration_opens_local=form.registration_opens.data,
        registration_closes_local=form.registration_closes.data,
        edit_deadline_local=form.edit_deadline.data,
        delegation_quota=form.delegation_quota.data or 0,
        capacity=form.capacity.data,
        requires_host_approval=bool(form.requires_host_approval.data),
        cochair_codes=list(form.cochairs.data or []),
        host_ministry=form.host_ministry.data or "",
        host_address=form.host_address.data or "",
        letter_signatory_name=form.letter_signatory_name.data or "",
        letter_signatory_title=form.letter_signatory_title.data or "",
        anonymise_after_days=form.anonymise_after_days.data or 0,
        title_translations=translations_from_form(form, "title"),
        theme_translations=translations_from_form(form, "theme", multiline=True),
    )


def _attach(form: MeetingForm, error: MeetingError) -> None:
    field = getattr(form, error.field or "", None) or form.title
    field.errors = [*field.errors, str(error)]


def _visible_meeting(slug: str) -> Meeting:
    meeting = get_meeting(slug)
    if meeting is None or not policy.can_view_meeting(current_user, meeting):
        abort(404)
    return meeting


@bp.get("/")
def home() -> str:
    upcoming, past = list_meetings(current_user)
    return render_template("meetings/home.html", upcoming=upcoming, past=past)


@bp.get("/meetings/<slug>")
def show(slug: str) -> str:
    meeting = _visible_meeting(slug)
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        agenda=agenda_by_day(meeting, current_user),
        feed_public=meeting_has_public_agenda(meeting),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@policy.require(policy.can_manage_meetings)
def new() -> tuple[str, int] | Response:
    form = _form()
    if form.validate_on_submit():
        try:
            meeting = create_meeting(_data(form), actor=current_user)
        except MeetingError as exc:
            _attach(form, exc)
        else:
            flash(_("%(title)s was created.", title=meeting.title), "success")
            return redirect(url_for("meetings.show", slug=meeting.slug))
    return render_form("meetings/form.html", form=form, meeting=None)


@bp.route("/meetings/<slug>/edit", methods=["GET", "POST"])
@policy.require(policy.can_manage_meetings)
def edit(slug: str) -> tuple[str, int] | Response:
    meeting = get_meeting(slug) or abort(404)
    form = _form(meeting)
    if request.method == "GET":
        fill_translation_fields(form, "title", meeting.title_translations)
        fill_translation_fields(form, "theme", meeting.theme_translations)
    if form.validate_on_submit():
        try:
            update_meeting(meeting, _data(form), actor=current_user)
        except MeetingError as exc:
            _attach(form, exc)
        else:
            flash(_("%(title)s was saved.", title=meeting.title), "success")
            return redirect(url_for("meetings.show", slug=meeting.slug))
    return render_form("meetings/form.html", form=form, meeting=meeting)
