"""Nameplates (tent cards) for the members at the table, and the seating list in protocol order.

Protocol order: the co-chairs first, then the Member States in English alphabetical order
starting from a letter the host draws (as the UN General Assembly does), then the regional
organisations, then observers (organisations of approved participants who came without a
member's delegation). Every member of the network has a place: all are invited.
"""

from __future__ import annotations

import secrets
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import icu
import sqlalchemy as sa
from flask_babel import gettext as _

from eventapp.audit.services import record
from eventapp.badges.fonts import faces_for
from eventapp.badges.measure import layout_name
from eventapp.badges.pdf import BadgePDF, Layout, shaped_families
from eventapp.extensions import db
from eventapp.i18n.locales import LANGUAGES
from eventapp.i18n.translated import list_entry
from eventapp.i18n.translated import member_name as translated_member_name
from eventapp.models import (
    Meeting,
    Member,
    MemberKind,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    User,
)
from eventapp.models.base import N_
from eventapp.web.formatting import format_date_range

DEFAULT_LANGUAGES = ("en", "fr")
#: The groups of the seating list, in order.
GROUPS = {
    "cochair": N_("Co-chair"),
    "state": N_("Member State"),
    "regional": N_("Regional organisation"),
    "observer": N_("Observer"),
}
NAMEPLATE = Layout("nameplate", N_("A4 landscape, folded"), (297, 210), (297, 210), 1, 1)
SEATING = Layout("seating", N_("A4"), (210, 297), (210, 297), 1, 1)


class NameplateError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Seat:
    group: str
    #: The name in each of the meeting's nameplate languages, in their order.
    names: tuple[str, ...]
    member: Member | None = None

    @property
    def group_label(self) -> str:
        return _(GROUPS[self.group])


def languages_of(meeting: Meeting) -> list[str]:
    """The meeting's nameplate languages, in order (English and French unless the host chose)."""
    chosen = [code for code in (meeting.nameplate_languages or "").split(",") if code in LANGUAGES]
    return chosen or list(DEFAULT_LANGUAGES)


def set_languages(meeting: Meeting, languages: Sequence[str], *, actor: User | None) -> None:
    """Keep the chosen UN languages, in the order of the six, and commit."""
    chosen = [code for code in LANGUAGES if code in set(languages)]
    if not chosen:
        raise NameplateError("languages", _("Choose at least one language."))
    meeting.nameplate_languages = ",".join(chosen)
    record("meeting.nameplate_languages", meeting, actor=actor, meeting_id=meeting.id)
    db.session.commit()


def draw_letter(meeting: Meeting, letter: str | None = None, *, actor: User | None) -> str:
    """Draw (or set) the letter Member States are seated from, and commit."""
    letter = (letter or secrets.choice(string.ascii_uppercase)).upper()
    if len(letter) != 1 or letter not in string.ascii_uppercase:
        raise NameplateError("letter", _("Choose a letter from A to Z."))
    meeting.seating_letter = letter
    record("meeting.seating_letter", meeting, actor=actor, meeting_id=meeting.id, details={"letter": letter})
    db.session.commit()
    return letter


def member_name(member: Member, language: str) -> str:
    """The member's name on a nameplate in a language: the name the reader of that language gets,
    without the sentence article ("the African Union" of a sentence is "African Union" on a label)."""
    return list_entry(translated_member_name(member, language))


def _initial(text: str) -> str:
    base = unicodedata.normalize("NFKD", text.strip())
    return next((c.upper() for c in base if c.isalpha()), "")


def seating_order(meeting: Meeting) -> list[Seat]:
    """Everyone at the table in protocol order."""
    languages = languages_of(meeting)
    collator = icu.Collator.createInstance(icu.Locale("en"))
    members = list(db.session.scalars(sa.select(Member)))
    chairs = {m.id for m in meeting.cochairs}
    states = sorted(
        (m for m in members if m.kind == MemberKind.STATE and m.id not in chairs),
        key=lambda m: collator.getSortKey(m.sort_name),
    )
    letter = meeting.seating_letter or "A"
    # From the drawn letter to Z, then from A: the list turns round at the letter.
    states = [m for m in states if _initial(m.sort_name) >= letter] + [
        m for m in states if _initial(m.sort_name) < letter
    ]
    regional = sorted(
        (m for m in members if m.kind != MemberKind.STATE and m.id not in chairs),
        key=lambda m: collator.getSortKey(m.sort_name),
    )

    def seat(group: str, member: Member) -> Seat:
        return Seat(group, tuple(member_name(member, lang) for lang in languages), member)

    seats = [seat("cochair", m) for m in meeting.cochairs]
    seats += [seat("state", m) for m in states] + [seat("regional", m) for m in regional]
    observers = db.session.scalars(
        sa.select(Registration.organisation)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == RegistrationStatus.APPROVED,
            Registration.delegation_id.is_(None),
            Registration.category != RegistrationCategory.SECRETARIAT,
            Registration.organisation != "",
        )
        .distinct()
    )
    for organisation in sorted(set(observers), key=collator.getSortKey):
        seats.append(Seat("observer", (organisation,) * len(languages)))
    return seats


class NameplatePDF(BadgePDF):
    def nameplate(self, names: Sequence[str]) -> None:
        """One tent card: the same face on both halves of the sheet, the upper one upside down
        so it reads from the other side once folded along the middle."""
        self.add_page()
        w, h = self.layout.page
        self.set_draw_color(190, 190, 190)
        self.set_dash_pattern(dash=2, gap=2)
        self.line(0, h / 2, w, h / 2)
        self.set_dash_pattern()
        self.face(names, h / 2)
        with self.rotation(180, x=w / 2, y=h / 4):
            self.face(names, 0)

    def face(self, names: Sequence[str], top: float) -> None:
        w, h = self.layout.page[0], self.layout.page[1] / 2
        pad = 12
        self.set_text_color(0, 0, 0)
        main = layout_name(names[0], w - 2 * pad, 80, 44)
        others = list(dict.fromkeys(n for n in names[1:] if n != names[0]))
        main_h = h * (0.55 if others else 0.8)
        self.draw_name(main, pad, top + h * 0.08, w - 2 * pad, main_h)
        self.set_text_color(60, 60, 60)
        for i, name in enumerate(others):
            row = (h * 0.3) / max(len(others), 1)
            self.fit_text(name, pad, top + h * 0.08 + main_h + i * row, w - 2 * pad, row, min(30, row * 2.2), 9)


def _document(layout: Layout, texts: list[str], pdf_class: type[BadgePDF]) -> BadgePDF:
    faces = faces_for(texts)
    return pdf_class(layout, faces, shaped_families(faces, texts))


def render_nameplates(meeting: Meeting) -> bytes:
    """A4 landscape sheets, one tent card per member, in seating order (observers have none)."""
    seats = [s for s in seating_order(meeting) if s.member is not None]
    pdf = _document(NAMEPLATE, [n for s in seats for n in s.names], NameplatePDF)
    for seat_ in seats:
        pdf.nameplate(seat_.names)
    if pdf.page == 0:
        pdf.add_page()
    return bytes(pdf.output())


def render_seating_list(meeting: Meeting) -> bytes:
    """The seating list: one numbered line per place, with its group, in protocol order."""
    seats = seating_order(meeting)
    title = meeting.title
    heading = _("Seating order")
    letter_line = _("Member States from the letter %(letter)s", letter=meeting.seating_letter or "A")
    dates = format_date_range(meeting.starts_on, meeting.ends_on)
    subtitle = f"{heading} · {dates} · {letter_line}"
    texts = [title, subtitle, "0123456789"] + [t for s in seats for t in (s.names[0], s.group_label)]
    pdf = _document(SEATING, texts, BadgePDF)
    margin, row = 18.0, 7.0
    y = 0.0

    def new_page() -> float:
        pdf.add_page()
        pdf.set_text_color(0, 0, 0)
        pdf.fit_text(title, margin, 12, 174, 8, 14, 8, align="L")
        pdf.set_text_color(70, 70, 70)
        pdf.fit_text(subtitle, margin, 20, 174, 6, 10, 7, align="L")
        return 32.0

    y = new_page()
    for number, seat_ in enumerate(seats, start=1):
        if y + row > 297 - margin:
            y = new_page()
        pdf.set_text_color(0, 0, 0)
        pdf.text_line(str(number), margin, y, 12, row, 11, align="L")
        pdf.fit_text(seat_.names[0], margin + 12, y, 110, row, 11, 7, align="L")
        pdf.set_text_color(90, 90, 90)
        pdf.fit_text(seat_.group_label, margin + 126, y, 48, row, 10, 7, align="L")
        y += row
    return bytes(pdf.output())
