"""Nameplates and the seating list for the demo meeting's 64 members, read back from the PDFs."""

from __future__ import annotations

import io
import logging
import re
from datetime import date

from pypdf import PdfReader

from eventapp.badges.nameplates import render_nameplates, render_seating_list, seating_order
from eventapp.demo.seed import seed_demo
from eventapp.extensions import db
from eventapp.meetings.services import get_meeting
from eventapp.models import Member, MemberKind
from tests.checkin.builders import add_registration


def squeezed(text: str) -> str:
    return "".join(text.split())


def demo_meeting():
    seed_demo(today=date(2026, 11, 23))
    return get_meeting("2023-washington")


def seating_lines(pdf: bytes) -> list[str]:
    """The seating list's rows as printed: "number name group"."""
    lines = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines.extend(line.strip() for line in page.extract_text().splitlines() if re.match(r"\d+ ", line.strip()))
    return lines


def test_the_seating_list_prints_the_64_members_in_protocol_order(client, app, users, auth, caplog):
    meeting = demo_meeting()
    assert db.session.query(Member).count() == 64
    meeting.seating_letter = "K"
    add_registration(meeting, "Ana", "Pop", organisation="Women Mediators Network")
    db.session.commit()

    seats = seating_order(meeting)
    assert [s.group for s in seats[:2]] == ["cochair", "cochair"]
    assert [s.names[0] for s in seats[:2]] == ["Romania", "United States"]
    states = [s for s in seats if s.group == "state"]
    # From K to Z, then from A: Kenya first, Jordan (or the last J) last.
    assert states[0].member.sort_name[0] >= "K" and states[-1].member.sort_name[0] < "K"
    regional = [s for s in seats if s.group == "regional"]
    assert len(seats) == 65 and len(regional) == 7 and seats[-1].group == "observer"
    assert seats.index(regional[0]) > seats.index(states[-1])

    with caplog.at_level(logging.WARNING, logger="fpdf"):
        rows = seating_lines(render_seating_list(meeting))
    assert [r.getMessage() for r in caplog.records if "missing the following glyphs" in r.getMessage()] == []
    assert len(rows) == 65
    for number, (row, seat) in enumerate(zip(rows, seats, strict=True), start=1):
        assert row.startswith(f"{number}") and seat.names[0] in row, (row, seat.names[0])

    auth.login(users.host.email)
    page = client.get(f"/meetings/{meeting.slug}/nameplates").get_data(as_text=True)
    assert "from the letter K" in page
    drawn = client.post(f"/meetings/{meeting.slug}/nameplates/letter", data={"letter": ""})
    assert drawn.status_code == 302
    db.session.refresh(meeting)
    assert meeting.seating_letter and meeting.seating_letter.isalpha()
    refused = client.post(f"/meetings/{meeting.slug}/nameplates/languages", data={})
    assert refused.status_code == 422 and "Choose at least one language." in refused.get_data(as_text=True)


def test_nameplates_print_one_folded_sheet_per_member_in_the_meetings_languages(app, caplog):
    meeting = demo_meeting()
    meeting.nameplate_languages = "en,fr,ar"
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        reader = PdfReader(io.BytesIO(render_nameplates(meeting)))
    assert [r.getMessage() for r in caplog.records if "missing the following glyphs" in r.getMessage()] == []
    assert len(reader.pages) == 64
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert width > height  # A4 landscape
    texts = [page.extract_text() for page in reader.pages]
    order = [s for s in seating_order(meeting) if s.member is not None]
    for text, seat in zip(texts, order, strict=True):
        assert squeezed(seat.names[0]) in squeezed(text) and squeezed(seat.names[1]) in squeezed(text)
    assert "DemocraticRepublicoftheCongo" in squeezed(texts[[s.member.iso3 for s in order].index("COD")])
    cote = next(t for t, s in zip(texts, order, strict=True) if s.member.iso3 == "CIV")
    assert "Côte d’Ivoire" in cote or "Côte d'Ivoire" in cote
    states = {s.member.iso3: t for t, s in zip(texts, order, strict=True) if s.member.kind == MemberKind.STATE}
    assert "Allemagne" in states["DEU"] and "Germany" in states["DEU"]


def test_a_nameplate_names_a_member_as_member_lists_do_without_the_article(app):
    from eventapp.badges.nameplates import member_name
    from eventapp.i18n.translated import list_entry
    from eventapp.i18n.translated import member_name as listed_name

    union = Member(
        name="the African Union", kind=MemberKind.REGIONAL_ORGANISATION, name_translations={"fr": "l'Union africaine"}
    )
    kenya = Member(name="Kenya", kind=MemberKind.STATE, iso3="KEN")
    assert member_name(union, "en") == "African Union"
    assert member_name(union, "fr") == "l'Union africaine"
    assert member_name(union, "es") == "African Union"
    assert member_name(kenya, "fr") == "Kenya"
    assert member_name(kenya, "zh") == "肯尼亚"
    for member in (union, kenya):
        for language in ("en", "fr", "ar", "zh"):
            assert member_name(member, language) == list_entry(listed_name(member, language))
