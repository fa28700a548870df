"""After the session: who spoke for which member, in order, with times; those inscribed who did not speak apart."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from fpdf import FPDF

from eventapp.agenda.pdf import FAMILY, Line, _draw, _pdf
from eventapp.i18n.locales import text_direction
from eventapp.models import InscriptionStatus, SpeakerInscription, SpeakersList
from eventapp.reports.exports import neutralise
from eventapp.speakers.services import ordered_inscriptions
from eventapp.web.datetimes import format_clock
from eventapp.web.formatting import format_date


@dataclass(frozen=True)
class Turn:
    """One delegation's turn, as the meeting report writes it."""

    order: int
    member: str
    speaker: str
    level: str
    started_at: datetime | None
    ended_at: datetime | None
    spoken_ms: int | None


@dataclass(frozen=True)
class SessionRecord:
    spoke: list[Turn]
    did_not_speak: list[Turn]
    zone: str


def duration(ms: int | None) -> str:
    """'3:05' (minutes and seconds)."""
    if ms is None:
        return ""
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _turn(order: int, inscription: SpeakerInscription) -> Turn:
    speaker = inscription.registration
    return Turn(
        order=order,
        member=inscription.delegation.member.name,
        speaker=" ".join(p for p in (speaker.honorific, speaker.full_name) if p),
        level=inscription.level.label,
        started_at=inscription.started_at,
        ended_at=inscription.ended_at,
        spoken_ms=inscription.spoken_ms,
    )


def session_record(speakers_list: SpeakersList) -> SessionRecord:
    """Speakers in the order they spoke; the rest in list order."""
    inscriptions = ordered_inscriptions(speakers_list)
    spoke = sorted((i for i in inscriptions if i.status == InscriptionStatus.SPOKE), key=lambda i: (i.started_at, i.id))
    rest = [i for i in inscriptions if i.status != InscriptionStatus.SPOKE]
    return SessionRecord(
        spoke=[_turn(n, i) for n, i in enumerate(spoke, start=1)],
        did_not_speak=[_turn(n, i) for n, i in enumerate(rest, start=1)],
        zone=speakers_list.session.meeting.timezone,
    )


def record_csv(result: SessionRecord) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads non-Latin names); times in the meeting's zone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [_("Order"), _("Member"), _("Speaker"), _("Level"), _("Started"), _("Ended"), _("Speaking time"), _("Spoke")]
    )
    for turn in result.spoke:
        writer.writerow(
            [
                turn.order,
                neutralise(turn.member),
                neutralise(turn.speaker),
                turn.level,
                format_clock(turn.started_at, result.zone),
                format_clock(turn.ended_at, result.zone),
                duration(turn.spoken_ms),
                _("yes"),
            ]
        )
    for turn in result.did_not_speak:
        writer.writerow(["", neutralise(turn.member), neutralise(turn.speaker), turn.level, "", "", "", _("no")])
    return buffer.getvalue().encode("utf-8-sig")


def record_pdf(result: SessionRecord, title: str, session_title: str, day: datetime) -> bytes:
    """The same record on A4 for the meeting report."""
    lines = [
        Line(session_title, 15, True, 7.5),
        Line(f"{title} · {format_date(day.date())}", 10.5),
        Line(_("Times are in %(zone)s.", zone=result.zone), 9),
        Line(_("Speakers, in the order they spoke"), 12.5, True, 7, space_before=4),
    ]
    if not result.spoke:
        lines.append(Line(_("Nobody has spoken yet."), 10))
    for turn in result.spoke:
        lines.append(Line(f"{turn.order}. {turn.member}", 10.5, True, space_before=1.5))
        lines.append(
            Line(
                f"{turn.speaker} · {turn.level} · "
                f"{format_clock(turn.started_at, result.zone)}–{format_clock(turn.ended_at, result.zone)} "
                f"({duration(turn.spoken_ms)})",
                9.5,
            )
        )
    if result.did_not_speak:
        lines.append(Line(_("Inscribed, did not speak"), 12.5, True, 7, space_before=4))
        for turn in result.did_not_speak:
            lines.append(Line(f"{turn.member} · {turn.speaker} · {turn.level}", 10))
    pdf: FPDF = _pdf(lines)
    pdf.set_title(session_title)
    pdf.set_font(FAMILY, "", 10)
    pdf.add_page()
    align = "R" if text_direction(get_locale()) == "rtl" else "L"
    for line in lines:
        _draw(pdf, line, align)
    return bytes(pdf.output())
