from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.auth import policy
from eventapp.i18n.translated import fill_translation_fields, translations_from_form
from eventapp.members.forms import MemberForm
from eventapp.members.services import (
    MemberData,
    MemberError,
    create_member,
    get_member_by_code,
    list_members,
    update_member,
)
from eventapp.models import MemberKind
from eventapp.web.responses import render_form

bp = Blueprint("members", __name__, url_prefix="/members")


def _data(form: MemberForm) -> MemberData:
    return MemberData(
        kind=MemberKind(form.kind.data),
        name=form.name.data or "",
        iso3=form.iso3.data,
        code=form.code.data,
        sort_name=form.sort_name.data,
        joined_on=form.joined_on.data,
        name_translations=translations_from_form(form, "name"),
    )


def _attach(form: MemberForm, error: MemberError) -> None:
    field = getattr(form, error.field or "", None) or form.name
    field.errors = [*field.errors, str(error)]


@bp.get("/")
def index() -> str:
    members = list_members()
    states = [m for m in members if m.is_state]
    organisations = [m for m in members if not m.is_state]
    return render_template("members/index.html", states=states, organisations=organisations)


@bp.route("/new", methods=["GET", "POST"])
@policy.require(policy.can_manage_members)
def new() -> tuple[str, int] | Response:
    form = MemberForm()
    if form.validate_on_submit():
        try:
            member = create_member(_data(form), actor=current_user)
        except MemberError as exc:
            _attach(form, exc)
        else:
            flash(_("%(name)s was added.", name=member.name), "success")
            return redirect(url_for("members.index"))
    return render_form("members/form.html", form=form, member=None)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@policy.require(policy.can_manage_members)
def edit(code: str) -> tuple[str, int] | Response:
    member = get_member_by_code(code) or abort(404)
    form = MemberForm(obj=member)
    if request.method == "GET":
        fill_translation_fields(form, "name", member.name_translations)
    if form.validate_on_submit():
        try:
            update_member(member, _data(form), actor=current_user)
        except MemberError as exc:
            _attach(form, exc)
        else:
            flash(_("%(name)s was saved.", name=member.name), "success")
            return redirect(url_for("members.index"))
    return render_form("members/form.html", form=form, member=member)
