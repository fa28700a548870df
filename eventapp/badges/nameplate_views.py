"""Host pages: nameplates for the members at the table, and the seating list in protocol order."""

from __future__ import annotations

import string

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from eventapp.auth.policy import can_manage_meetings, require
from eventapp.badges.nameplates import (
    NameplateError,
    draw_letter,
    languages_of,
    render_nameplates,
    render_seating_list,
    seating_order,
    set_languages,
)
from eventapp.badges.views import bp, meeting_or_404
from eventapp.i18n.locales import LANGUAGES
from eventapp.models import Meeting
from eventapp.web.forms import AppForm, pair_choices
from eventapp.web.responses import render_form

LETTERS = [SelectChoice(c, c) for c in string.ascii_uppercase]


class LanguagesForm(AppForm):
    languages = SelectMultipleField(
        _l("Languages of the nameplates"),
        choices=pair_choices(list(LANGUAGES.items())),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        description=_l("Each nameplate gives the member's name in these languages, the first one largest."),
    )


class LetterForm(AppForm):
    letter = SelectField(
        _l("Letter"),
        choices=[SelectChoice("", _l("Draw one at random")), *LETTERS],
        description=_l("Member States sit in English alphabetical order from this letter."),
    )


def _page(
    meeting: Meeting, languages_form: LanguagesForm | None = None, letter_form: LetterForm | None = None
) -> tuple[str, int]:
    if languages_form is None:
        languages_form = LanguagesForm(data={"languages": languages_of(meeting)})
    return render_form(
        "badges/nameplates.html",
        meeting=meeting,
        languages_form=languages_form,
        letter_form=letter_form or LetterForm(),
        seats=seating_order(meeting),
        plate_languages=[LANGUAGES[code] for code in languages_of(meeting)],
        plate_codes=languages_of(meeting),
    )


@bp.get("/meetings/<slug>/nameplates")
@require(can_manage_meetings)
def nameplates(slug: str) -> tuple[str, int]:
    return _page(meeting_or_404(slug))


@bp.post("/meetings/<slug>/nameplates/languages")
@require(can_manage_meetings)
def nameplate_languages(slug: str) -> tuple[str, int] | BaseResponse:
    meeting = meeting_or_404(slug)
    form = LanguagesForm()
    if not form.validate_on_submit():
        return _page(meeting, languages_form=form)
    try:
        set_languages(meeting, form.languages.data or [], actor=current_user)
    except NameplateError as exc:
        form.languages.errors = [exc.message]
        return _page(meeting, languages_form=form)
    flash(
        _("Nameplates will print in: %(languages)s.", languages=", ".join(LANGUAGES[c] for c in languages_of(meeting))),
        "success",
    )
    return redirect(url_for("badges.nameplates", slug=slug))


@bp.post("/meetings/<slug>/nameplates/letter")
@require(can_manage_meetings)
def seating_letter(slug: str) -> tuple[str, int] | BaseResponse:
    meeting = meeting_or_404(slug)
    form = LetterForm()
    if not form.validate_on_submit():
        return _page(meeting, letter_form=form)
    try:
        letter = draw_letter(meeting, form.letter.data or None, actor=current_user)
    except NameplateError as exc:
        form.letter.errors = [exc.message]
        return _page(meeting, letter_form=form)
    flash(_("Member States now sit in alphabetical order from the letter %(letter)s.", letter=letter), "success")
    return redirect(url_for("badges.nameplates", slug=slug))


@bp.get("/meetings/<slug>/nameplates.pdf")
@require(can_manage_meetings)
def nameplates_pdf(slug: str) -> Response:
    meeting = meeting_or_404(slug)
    return Response(
        render_nameplates(meeting),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="nameplates-{meeting.slug}.pdf"'},
    )


@bp.get("/meetings/<slug>/seating.pdf")
@require(can_manage_meetings)
def seating_pdf(slug: str) -> Response:
    meeting = meeting_or_404(slug)
    return Response(
        render_seating_list(meeting),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="seating-{meeting.slug}.pdf"'},
    )
