"""Member pages and the focal-point directory. Contact details only for staff and the member's own focal points."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from eventapp.auth import policy
from eventapp.members.contact_forms import ContactForm
from eventapp.members.directory import (
    ContactData,
    add_contact,
    contacts_of,
    directory,
    get_contact,
    participation,
    update_contact,
)
from eventapp.members.services import MemberError, get_member_by_code
from eventapp.models import Member
from eventapp.web.responses import render_form

bp = Blueprint("directory", __name__, url_prefix="/members")


def _member(code: str) -> Member:
    return get_member_by_code(code) or abort(404)


def _data(form: ContactForm) -> ContactData:
    return ContactData(
        name=form.name.data or "",
        title=form.title.data or "",
        office=form.office.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/directory")
@policy.require(policy.can_read_directory)
def index() -> str:
    return render_template("members/directory.html", rows=directory())


@bp.get("/<code>")
def member(code: str) -> str:
    """Everyone sees the member; contacts and participation show only to those who may see them."""
    found = _member(code)
    private = policy.can_see_member_contacts(current_user, found)
    current, former = contacts_of(found) if private else ([], [])
    return render_template(
        "members/show.html",
        member=found,
        private=private,
        can_edit=policy.can_edit_member_contacts(current_user, found),
        current=current,
        former=former,
        attendances=participation(found) if private else [],
    )


def _editor(code: str) -> Member:
    found = _member(code)
    if not policy.can_edit_member_contacts(current_user, found):
        abort(403)
    return found


@bp.route("/<code>/focal-points/new", methods=["GET", "POST"])
@policy.require(lambda user: policy.is_admin(user) or policy.is_focal_point(user))
def add(code: str) -> tuple[str, int] | Response:
    found = _editor(code)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact = add_contact(found, _data(form), actor=current_user._get_current_object())
        except MemberError as exc:
            getattr(form, exc.field or "name").errors = [str(exc)]
        else:
            flash(
                _("%(name)s was added as a focal point of %(member)s.", name=contact.name, member=found.name), "success"
            )
            return redirect(url_for("directory.member", code=found.code))
    return render_form("members/contact_form.html", form=form, member=found, contact=None)


@bp.route("/<code>/focal-points/<int:contact_id>", methods=["GET", "POST"])
@policy.require(lambda user: policy.is_admin(user) or policy.is_focal_point(user))
def edit(code: str, contact_id: int) -> tuple[str, int] | Response:
    found = _editor(code)
    contact = get_contact(found, contact_id) or abort(404)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            update_contact(contact, _data(form), actor=current_user._get_current_object())
        except MemberError as exc:
            getattr(form, exc.field or "name").errors = [str(exc)]
        else:
            flash(_("%(name)s was saved.", name=contact.name), "success")
            return redirect(url_for("directory.member", code=found.code))
    return render_form("members/contact_form.html", form=form, member=found, contact=contact)
