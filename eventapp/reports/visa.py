"""Visa invitation letters: a PDF on the host's letterhead for an approved registrant who asked."""

from __future__ import annotations

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from eventapp.badges.fonts import PRIMARY, font_files
from eventapp.i18n.locales import text_direction
from eventapp.models import Registration, RegistrationStatus
from eventapp.models.base import utcnow
from eventapp.privacy.crypto import DecryptionError, decrypt_text
from eventapp.web.formatting import country_name, format_date, format_date_range

FONT = PRIMARY

#: Scripts Noto Sans lacks: (first, last code point) -> the fallback family that has them.
SCRIPT_FONTS: tuple[tuple[int, int, str], ...] = (
    (0x0530, 0x058F, "NotoSansArmenian"),
    (0x0590, 0x05FF, "NotoSansHebrew"),
    (0x0600, 0x06FF, "NotoSansArabic"),
    (0x0750, 0x077F, "NotoSansArabic"),
    (0x0900, 0x097F, "NotoSansDevanagari"),
    (0x0E00, 0x0E7F, "NotoSansThai"),
    (0x10A0, 0x10FF, "NotoSansGeorgian"),
    (0x1100, 0x11FF, "NotoSansCJK"),
    (0x1200, 0x139F, "NotoSansEthiopic"),
    (0x2E80, 0x9FFF, "NotoSansCJK"),
    (0xAC00, 0xD7AF, "NotoSansCJK"),
    (0xF900, 0xFAFF, "NotoSansCJK"),
    (0xFB1D, 0xFB4F, "NotoSansHebrew"),
    (0xFB50, 0xFDFF, "NotoSansArabic"),
    (0xFE70, 0xFEFF, "NotoSansArabic"),
    (0xFF00, 0xFFEF, "NotoSansCJK"),
)


class VisaLetterError(Exception):
    """No letter can be made; `status` is the HTTP answer (403 not yet allowed, 404 nothing to make)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def check_letter_allowed(registration: Registration) -> None:
    """Raise VisaLetterError unless this registrant may have a letter now."""
    if not registration.needs_visa_letter:
        raise VisaLetterError(_("This registration did not ask for a visa invitation letter."), 404)
    if registration.anonymised_at is not None:
        raise VisaLetterError(_("This registration was anonymised after the meeting."), 404)
    if registration.status != RegistrationStatus.APPROVED:
        raise VisaLetterError(
            _(
                "A visa letter is issued once the registration is approved; it is %(status)s.",
                status=str(registration.status.label).lower(),
            ),
            403,
        )
    if not registration.passport_number_encrypted:
        raise VisaLetterError(_("No passport details are on record for this registration."), 404)


def letter_filename(registration: Registration) -> str:
    return f"visa-letter-{registration.meeting.slug}-{registration.id}.pdf"


def _passport(registration: Registration) -> tuple[str, str]:
    try:
        number = decrypt_text(registration.passport_number_encrypted or "")
        expiry = decrypt_text(registration.passport_expiry_encrypted) if registration.passport_expiry_encrypted else ""
    except DecryptionError as exc:
        raise VisaLetterError(_("The passport details cannot be read with the current data key."), 404) from exc
    return number, expiry


def fallback_families(*texts: str) -> list[str]:
    """The script fonts these texts need beyond Noto Sans (loading a font costs time: only what is used)."""
    wanted: list[str] = []
    for char in set("".join(texts)):
        point = ord(char)
        for first, last, family in SCRIPT_FONTS:
            if first <= point <= last and family not in wanted:
                wanted.append(family)
    return sorted(wanted)


def _pdf(texts: list[str]) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    files = font_files()
    # The variable font's default instance (Regular; Latin, Greek, Cyrillic, Vietnamese). Asking fpdf2 for
    # other instances costs seconds per letter, so emphasis is by size only.
    pdf.add_font(FONT, "", str(files[FONT]))
    fallbacks = [f for f in fallback_families(*texts) if f in files]
    if fallbacks:
        for family in fallbacks:
            pdf.add_font(family, "", str(files[family]))
        pdf.set_fallback_fonts(fallbacks, exact_match=False)
        # Arabic and the Indic scripts join and reorder letters: HarfBuzz shapes them.
        pdf.set_text_shaping(True)
    pdf.add_page()
    return pdf


def _line(pdf: FPDF, width: float, height: float, text: str, align: str = "L") -> None:
    """A paragraph that wraps, then back to the left margin on the next line."""
    pdf.multi_cell(width, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_letter(registration: Registration) -> bytes:
    """The letter as PDF bytes, in the registrant's language; raises VisaLetterError when it may not be issued."""
    check_letter_allowed(registration)
    number, expiry = _passport(registration)
    with force_locale(registration.locale or "en"):
        return _letter(registration, number, expiry)


def _letter(registration: Registration, number: str, expiry: str) -> bytes:
    meeting = registration.meeting
    name = " ".join(p for p in (registration.honorific, registration.given_name, registration.family_name) if p)
    where = ", ".join(p for p in (meeting.venue, meeting.city, country_name(meeting.country_iso3)) if p)
    dates = format_date_range(meeting.starts_on, meeting.ends_on)
    title = _("Invitation letter for visa purposes")
    salutation = _("To the consular services concerned,")
    invitation = _(
        "We are pleased to confirm that the person named below is invited to take part in the %(meeting)s, "
        "held in %(place)s from %(dates)s.",
        meeting=meeting.title,
        place=where,
        dates=dates,
    )
    details = [
        (_("Name"), name),
        (_("Nationality"), country_name(registration.nationality) or "—"),
        (_("Passport number"), number),
    ]
    if registration.passport_country:
        details.append((_("Passport issued by"), country_name(registration.passport_country)))
    if expiry:
        details.append((_("Passport valid until"), expiry))
    if registration.position or registration.organisation:
        details.append((_("Position"), ", ".join(p for p in (registration.position, registration.organisation) if p)))
    details += [(_("Meeting dates"), dates), (_("City"), meeting.city)]
    purpose = _(
        "The purpose of the visit is to attend the %(meeting)s, a meeting of the Women, Peace and Security "
        "Focal Points Network, whose secretariat is %(secretariat)s.",
        meeting=meeting.title,
        secretariat=meeting.secretariat or _("UN Women"),
    )
    if meeting.theme.strip():
        purpose += " " + _("Theme: %(theme)s", theme=" ".join(meeting.theme.split()))
    request = _(
        "We kindly ask that a visa be granted for the duration of the meeting. This letter does not commit "
        "the host to cover travel or accommodation costs."
    )
    place_and_date = f"{meeting.city}, {format_date(utcnow().astimezone(meeting.zone).date())}"

    pdf = _pdf(
        [
            title,
            salutation,
            invitation,
            purpose,
            request,
            place_and_date,
            *(f"{label}{value}" for label, value in details),
            registration.position,
            registration.organisation,
            meeting.host_ministry,
            meeting.host_address,
            meeting.secretariat,
            meeting.letter_signatory_name,
            meeting.letter_signatory_title,
        ]
    )
    width = pdf.epw
    # Right-to-left languages (Arabic) start their lines on the right; the date goes to the other side.
    rtl = text_direction(get_locale()) == "rtl"
    start, end = ("R", "L") if rtl else ("L", "R")

    pdf.set_font(FONT, "", 13)
    _line(pdf, width, 7, meeting.host_ministry or meeting.secretariat, align="C")
    pdf.set_font(FONT, "", 9.5)
    if meeting.host_address.strip():
        _line(pdf, width, 5, meeting.host_address.strip(), align="C")
    pdf.ln(3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(8)

    pdf.set_font(FONT, "", 10.5)
    _line(pdf, width, 6, place_and_date, align=end)
    pdf.ln(6)
    pdf.set_font(FONT, "", 12)
    _line(pdf, width, 7, title, align=start)
    pdf.ln(2)
    pdf.set_font(FONT, "", 10.5)
    _line(pdf, width, 6, salutation, align=start)
    pdf.ln(3)
    _line(pdf, width, 6, invitation, align=start)
    pdf.ln(3)

    for label, value in details:
        if rtl:
            _line(pdf, width, 6, f"{label}: {value}", align=start)
        else:
            pdf.cell(48, 6, label)
            _line(pdf, width - 48, 6, value)
    pdf.ln(3)

    _line(pdf, width, 6, purpose, align=start)
    pdf.ln(3)
    _line(pdf, width, 6, request, align=start)
    pdf.ln(14)
    _line(pdf, width, 6, meeting.letter_signatory_name or "", align=start)
    _line(pdf, width, 6, meeting.letter_signatory_title or "", align=start)
    if meeting.host_ministry:
        _line(pdf, width, 6, meeting.host_ministry, align=start)
    return bytes(pdf.output())
