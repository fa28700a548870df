"""Members of the network: listing, creating, editing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from eventapp import countries
from eventapp.audit.services import changes, record
from eventapp.extensions import db
from eventapp.models import Member, MemberKind, User


class MemberError(ValueError):
    """A member could not be saved; `field` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class MemberData:
    """The editable fields of a member, as a form or an import row gives them."""

    kind: MemberKind
    name: str
    iso3: str | None = None
    code: str | None = None
    sort_name: str | None = None
    joined_on: date | None = None
    #: The name in the six languages ({"fr": ...}); None leaves the stored ones as they are.
    name_translations: dict[str, str] | None = None


def derive_sort_name(name: str) -> str:
    """Alphabetical key as the communiqués order members: no leading 'the', no accents."""
    base = name.strip()
    if base.lower().startswith("the "):
        base = base[4:]
    decomposed = unicodedata.normalize("NFKD", base)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def list_members(kind: MemberKind | None = None) -> list[Member]:
    """Member States first, then regional organisations, each alphabetically."""
    query = select(Member)
    if kind is not None:
        query = query.where(Member.kind == kind)
    members = db.session.scalars(query).all()
    return sorted(members, key=lambda m: (not m.is_state, m.sort_name.casefold()))


def get_member_by_code(code: str) -> Member | None:
    code = code.strip().upper()
    return db.session.scalar(select(Member).where(func.upper(Member.code) == code))


def clean_member_data(data: MemberData, *, existing: Member | None = None) -> dict[str, object]:
    """Check the rules for a member and return column values; raise MemberError."""
    name = " ".join(data.name.split())
    if not name:
        raise MemberError(_("Give the member's name as the communiqués write it."), field="name")
    if len(name) > 200:
        raise MemberError(_("The name is at most 200 characters."), field="name")
    iso3 = (data.iso3 or "").strip().upper() or None
    code = (data.code or "").strip().upper() or None
    if data.kind == MemberKind.STATE:
        if iso3 is None:
            raise MemberError(_("A Member State needs its ISO 3166 alpha-3 code."), field="iso3")
        if not countries.is_known(iso3):
            raise MemberError(_("%(code)s is not an ISO 3166 alpha-3 country code.", code=iso3), field="iso3")
        if not countries.is_state(iso3):
            raise MemberError(
                _(
                    "%(name)s is not a State in the UN's list; only States are Member States.",
                    name=countries.country_name(iso3),
                ),
                field="iso3",
            )
        code = code or iso3
        if code != iso3:
            raise MemberError(_("For a Member State the code is its ISO alpha-3 code."), field="code")
    else:
        if iso3 is not None:
            raise MemberError(_("Regional organisations have no ISO country code; leave it empty."), field="iso3")
        if code is None:
            raise MemberError(_("Give the organisation's short code, such as ECOWAS."), field="code")
    if not code.replace("-", "").isalnum() or len(code) > 16:
        raise MemberError(_("The code is 2-16 letters or digits."), field="code")
    clash = get_member_by_code(code)
    if clash is not None and clash is not existing:
        raise MemberError(
            _("Another member already uses the code %(code)s (%(name)s).", code=code, name=clash.name), field="code"
        )
    if iso3:
        clash = db.session.scalar(select(Member).where(Member.iso3 == iso3))
        if clash is not None and clash is not existing:
            raise MemberError(_("%(name)s already has the code %(code)s.", name=clash.name, code=iso3), field="iso3")
    sort_name = " ".join((data.sort_name or "").split()) or derive_sort_name(name)
    return {
        "kind": data.kind,
        "name": name,
        "iso3": iso3,
        "code": code,
        "sort_name": sort_name,
        "joined_on": data.joined_on,
    } | ({"name_translations": data.name_translations} if data.name_translations is not None else {})


def create_member(data: MemberData, *, actor: User | None = None) -> Member:
    values = clean_member_data(data)
    member = Member(**values)
    db.session.add(member)
    record("member.create", member, actor=actor, details={"code": member.code, "name": member.name})
    db.session.commit()
    return member


def update_member(member: Member, data: MemberData, *, actor: User | None = None) -> Member:
    values = clean_member_data(data, existing=member)
    changed = changes(member, values)
    if changed:
        record("member.update", member, actor=actor, details=changed)
    db.session.commit()
    return member
