"""A delegation's side: the meeting's speakers' lists, inscribing once, and withdrawing."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.auth import policy
from eventapp.extensions import db
from eventapp.models import Delegation, RepresentationLevel, SpeakersList
from eventapp.speakers.blueprint import bp
from eventapp.speakers.errors import SpeakersError
from eventapp.speakers.forms import ConfirmForm, InscriptionForm
from eventapp.speakers.services import (
    inscribe,
    inscription_of,
    list_of_session,
    lists_for_delegation,
    speakers_of_delegation,
    withdraw,
)
from eventapp.web.forms import pair_choices
from eventapp.web.responses import render_form

signed_in = policy.require(lambda user: True)


def _delegation(delegation_id: int) -> Delegation:
    """The delegation, for its member's focal point, hosts and the secretariat (signed in)."""
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    if not policy.can_open_delegation(current_user, delegation):
        abort(403)
    return delegation


def _list(delegation: Delegation, session_id: int) -> SpeakersList:
    found = list_of_session(session_id)
    if found is None or found.session.meeting_id != delegation.meeting_id:
        abort(404)
    return found


@bp.get("/delegations/<int:delegation_id>/speakers")
@signed_in
def delegation_lists(delegation_id: int) -> str:
    delegation = _delegation(delegation_id)
    return render_template(
        "speakers/delegation.html",
        delegation=delegation,
        meeting=delegation.meeting,
        rows=lists_for_delegation(delegation),
        form=ConfirmForm(),
    )


@bp.route("/delegations/<int:delegation_id>/speakers/<int:session_id>", methods=["GET", "POST"])
@signed_in
def inscribe_delegation(delegation_id: int, session_id: int) -> tuple[str, int] | Response:
    delegation = _delegation(delegation_id)
    found = _list(delegation, session_id)
    by_host = policy.can_manage_delegations(current_user)
    back = url_for("speakers.delegation_lists", delegation_id=delegation.id)
    if inscription_of(found, delegation) is not None:
        flash(_("Your delegation is already on this list."), "info")
        return redirect(back)
    people = speakers_of_delegation(delegation)
    form = InscriptionForm()
    form.registration_id.choices = pair_choices(
        [("", _("Choose the speaker"))] + [(str(p.id), f"{p.honorific} {p.full_name}".strip()) for p in people]
    )
    is_open = by_host or found.is_open_for_inscription()
    if is_open and form.validate_on_submit():
        try:
            inscription = inscribe(
                found,
                delegation,
                int(form.registration_id.data),
                RepresentationLevel(form.level.data),
                actor=current_user,
                by_host=by_host,
            )
        except SpeakersError as exc:
            field = getattr(form, exc.field or "", None) or form.registration_id
            field.errors = [*field.errors, str(exc)]
        else:
            flash(
                _(
                    "%(member)s is on the speakers' list of “%(title)s”, number %(position)s for now.",
                    member=delegation.member.name,
                    title=found.session.title,
                    position=inscription.position,
                ),
                "success",
            )
            return redirect(back)
    return render_form(
        "speakers/inscribe.html",
        delegation=delegation,
        meeting=delegation.meeting,
        found=found,
        form=form,
        people=people,
        is_open=is_open,
    )


@bp.post("/delegations/<int:delegation_id>/speakers/<int:session_id>/withdraw")
@signed_in
def withdraw_delegation(delegation_id: int, session_id: int) -> Response:
    delegation = _delegation(delegation_id)
    found = _list(delegation, session_id)
    inscription = inscription_of(found, delegation) or abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            withdraw(inscription, actor=current_user, by_host=policy.can_manage_delegations(current_user))
        except SpeakersError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Your delegation was taken off the list."), "success")
    return redirect(url_for("speakers.delegation_lists", delegation_id=delegation.id))
