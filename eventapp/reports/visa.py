"""Visa invitation letters: a PDF on the host's letterhead for an approved registrant who asked."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from eventapp.badges.fonts import PRIMARY, font_files
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
        raise VisaLetterError("This registration did not ask for a visa invitation letter.", 404)
    if registration.anonymised_at is not None:
        raise VisaLetterError("This registration was anonymised after the meeting.", 404)
    if registration.status != RegistrationStatus.APPROVED:
        raise VisaLetterError(
            f"A visa letter is issued once the registration is approved; it is {registration.status.label.lower()}.",
            403,
        )
    if not registration.passport_number_encrypted:
        raise VisaLetterError("No passport details are on record for this registration.", 404)


def letter_filename(registration: Registration) -> str:
    return f"visa-letter-{registration.meeting.slug}-{registration.id}.pdf"


def _passport(registration: Registration) -> tuple[str, str]:
    try:
        number = decrypt_text(registration.passport_number_encrypted or "")
        expiry = decrypt_text(registration.passport_expiry_encrypted) if registration.passport_expiry_encrypted else ""
    except DecryptionError as exc:
        raise VisaLetterError("The passport details cannot be read with the current data key.", 404) from exc
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
    """The letter as PDF bytes; raises VisaLetterError when it may not be issued."""
    check_letter_allowed(registration)
    number, expiry = _passport(registration)
    meeting = registration.meeting
    pdf = _pdf(
        [
            registration.honorific,
            registration.given_name,
            registration.family_name,
            registration.position,
            registration.organisation,
            meeting.title,
            meeting.theme,
            meeting.city,
            meeting.venue,
            meeting.host_ministry,
            meeting.host_address,
            meeting.letter_signatory_name,
            meeting.letter_signatory_title,
        ]
    )
    width = pdf.epw

    pdf.set_font(FONT, "", 13)
    _line(pdf, width, 7, meeting.host_ministry or meeting.secretariat, align="C")
    pdf.set_font(FONT, "", 9.5)
    if meeting.host_address.strip():
        _line(pdf, width, 5, meeting.host_address.strip(), align="C")
    pdf.ln(3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(8)

    pdf.set_font(FONT, "", 10.5)
    _line(pdf, width, 6, f"{meeting.city}, {format_date(utcnow().astimezone(meeting.zone).date())}", align="R")
    pdf.ln(6)
    pdf.set_font(FONT, "", 12)
    _line(pdf, width, 7, "Invitation letter for visa purposes", align="L")
    pdf.ln(2)
    pdf.set_font(FONT, "", 10.5)
    _line(pdf, width, 6, "To the consular services concerned,")
    pdf.ln(3)

    name = " ".join(p for p in (registration.honorific, registration.given_name, registration.family_name) if p)
    where = ", ".join(p for p in (meeting.venue, meeting.city, country_name(meeting.country_iso3)) if p)
    dates = format_date_range(meeting.starts_on, meeting.ends_on)
    _line(
        pdf,
        width,
        6,
        f"We are pleased to confirm that the person named below is invited to take part in the {meeting.title}, "
        f"held in {where} from {dates}.",
    )
    pdf.ln(3)

    details = [
        ("Name", name),
        ("Nationality", country_name(registration.nationality) or "—"),
        ("Passport number", number),
    ]
    if registration.passport_country:
        details.append(("Passport issued by", country_name(registration.passport_country)))
    if expiry:
        details.append(("Passport valid until", expiry))
    if registration.position or registration.organisation:
        details.append(("Position", ", ".join(p for p in (registration.position, registration.organisation) if p)))
    details += [("Meeting dates", dates), ("City", meeting.city)]
    for label, value in details:
        pdf.set_font(FONT, "", 10.5)
        pdf.cell(48, 6, label)
        pdf.set_font(FONT, "", 10.5)
        _line(pdf, width - 48, 6, value)
    pdf.ln(3)

    purpose = (
        f"The purpose of the visit is to attend the {meeting.title}, a meeting of the Women, Peace and Security "
        f"Focal Points Network, whose secretariat is {meeting.secretariat or 'UN Women'}."
    )
    if meeting.theme.strip():
        purpose += f" Theme: {' '.join(meeting.theme.split())}"
    _line(pdf, width, 6, purpose)
    pdf.ln(3)
    _line(
        pdf,
        width,
        6,
        "We kindly ask that a visa be granted for the duration of the meeting. This letter does not commit "
        "the host to cover travel or accommodation costs.",
    )
    pdf.ln(14)
    pdf.set_font(FONT, "", 10.5)
    _line(pdf, width, 6, meeting.letter_signatory_name or "")
    pdf.set_font(FONT, "", 10.5)
    _line(pdf, width, 6, meeting.letter_signatory_title or "")
    if meeting.host_ministry:
        _line(pdf, width, 6, meeting.host_ministry)
    return bytes(pdf.output())
