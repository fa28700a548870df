"""The demo network and meetings, built from the facts of the two founding communiqués.

Running it again changes nothing that is already there.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from eventapp.auth.services import create_user, find_user_by_email
from eventapp.extensions import db
from eventapp.members.importer import ImportReport, import_members
from eventapp.members.services import get_member_by_code
from eventapp.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Role,
    Room,
    Session,
    SessionAccess,
    SessionType,
)
from eventapp.models.base import utcnow

MEMBERS_CSV = Path(__file__).with_name("members_2023.csv")
NEW_YORK = "America/New_York"

THEME_2023 = "Advancing the adaptability and evolution of WPS as a framework for implementing policy change"

#: (day offset from 6 June 2023, start, end, type, access, title, track, description)
AGENDA_2023 = [
    (
        1,
        "09:30",
        "11:00",
        SessionType.PLENARY,
        SessionAccess.OPEN,
        THEME_2023,
        "Meeting theme",
        "Opening plenary on the meeting theme and the 2023 Co-Chair priorities of the United States and Romania.",
    ),
    (
        1,
        "11:30",
        "13:00",
        SessionType.WORKING,
        SessionAccess.OPEN,
        "The Role and Responsibilities of WPS Focal Points",
        "Recommendation area 1",
        "Guidance on the skills, qualifications, mandates, tasks and resources of a WPS focal point, "
        "and support for institutionalising the role within Member States and regional organisations.",
    ),
    (
        1,
        "14:30",
        "16:00",
        SessionType.WORKING,
        SessionAccess.OPEN,
        "National Action Plan Implementation",
        "Recommendation area 2",
        "From adoption to transformative implementation of WPS National Action Plans: monitoring and "
        "reporting, financing, localisation and flexible NAP structures.",
    ),
    (
        2,
        "09:30",
        "11:00",
        SessionType.WORKING,
        SessionAccess.OPEN,
        "WPS Sustainability & WPS Centers of Excellence",
        "Recommendation area 3",
        "The prevention pillar of UNSCR 1325, financing for women peacebuilders and engagement with "
        "existing and future WPS centers of excellence.",
    ),
    (
        3,
        "10:00",
        "11:30",
        SessionType.CLOSED,
        SessionAccess.DELEGATIONS,
        "Adoption of the Joint Communiqué",
        "",
        "Members' delegations adopt the Joint Communiqué of the 5th Capital-Level Meeting.",
    ),
]

DEMO_USERS = [
    ("secretariat@example.org", Role.ADMIN, None, "UN Women Secretariat (demo)"),
    ("host@example.org", Role.HOST, None, "Host team (demo)"),
    ("focalpoint.romania@example.org", Role.FOCAL_POINT, "ROU", "Focal point of Romania (demo)"),
    ("scanner@example.org", Role.SCANNER, None, "Door staff (demo)"),
]


@dataclass
class SeedReport:
    members: ImportReport | None = None
    meetings_created: list[str] = field(default_factory=list)
    #: (email, role, password) of accounts made in this run; passwords are shown only now.
    users_created: list[tuple[str, str, str]] = field(default_factory=list)


def _at(day: date, hhmm: str, zone: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _meeting(slug: str, **values: object) -> tuple[Meeting, bool]:
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == slug))
    if meeting is not None:
        return meeting, False
    meeting = Meeting(slug=slug, **values)
    db.session.add(meeting)
    db.session.flush()
    return meeting, True


def _seed_2016() -> bool:
    _, created = _meeting(
        "2016-new-york",
        kind=MeetingKind.OTHER,
        number=None,
        title="Foundational Meeting of the WPS National Focal Points Network",
        theme="Launch of the Women, Peace and Security National Focal Points Network",
        city="New York",
        country_iso3="USA",
        venue="United Nations Headquarters",
        timezone=NEW_YORK,
        starts_on=date(2016, 9, 23),
        ends_on=date(2016, 9, 23),
        secretariat="UN Women",
        status=MeetingStatus.ARCHIVED,
    )
    return created


def _seed_2023() -> bool:
    meeting, created = _meeting(
        "2023-washington",
        kind=MeetingKind.CAPITAL_LEVEL,
        number=5,
        title="5th Capital-Level Meeting of the WPS Focal Points Network",
        theme=THEME_2023,
        city="Washington, D.C.",
        country_iso3="USA",
        venue="",  # the communiqué names no venue
        timezone=NEW_YORK,
        starts_on=date(2023, 6, 6),
        ends_on=date(2023, 6, 9),
        secretariat="UN Women",
        status=MeetingStatus.PUBLISHED,
        delegation_quota=4,
        agenda_published=True,
    )
    if not created:
        return False
    meeting.cochairs = [get_member_by_code("USA"), get_member_by_code("ROU")]  # type: ignore[list-item]
    room = Room(meeting=meeting, name="Plenary hall", capacity=250)
    db.session.add(room)
    for position, (offset, start, end, kind, access, title, track, description) in enumerate(AGENDA_2023):
        day = meeting.starts_on + timedelta(days=offset)
        db.session.add(
            Session(
                meeting=meeting,
                room=room,
                title=title,
                description=description,
                type=kind,
                access=access,
                track=track,
                starts_at=_at(day, start, NEW_YORK),
                ends_at=_at(day, end, NEW_YORK),
                position=position,
            )
        )
    return True


def next_open_debate_dates(today: date) -> tuple[date, date]:
    """Late October, when the Security Council holds its annual WPS Open Debate, at least 8 weeks ahead."""
    year = today.year if today <= date(today.year, 8, 28) else today.year + 1
    return date(year, 10, 25), date(year, 10, 26)


def _seed_upcoming(today: date) -> tuple[str, bool]:
    starts, ends = next_open_debate_dates(today)
    opens = datetime.combine(today - timedelta(days=7), time(9, 0), ZoneInfo(NEW_YORK)).astimezone(ZoneInfo("UTC"))
    closes = datetime.combine(starts - timedelta(days=14), time(23, 59), ZoneInfo(NEW_YORK)).astimezone(ZoneInfo("UTC"))
    slug = f"{starts.year}-new-york-open-debate"
    _, created = _meeting(
        slug,
        kind=MeetingKind.OPEN_DEBATE,
        number=None,
        title=f"Network meeting on the sidelines of the {starts.year} WPS Open Debate",
        theme="Taking stock of Network commitments ahead of the Security Council's annual Open Debate on WPS",
        city="New York",
        country_iso3="USA",
        venue="United Nations Headquarters",
        timezone=NEW_YORK,
        starts_on=starts,
        ends_on=ends,
        secretariat="UN Women",
        status=MeetingStatus.PUBLISHED,
        registration_opens_at=opens,
        registration_closes_at=closes,
        edit_deadline_at=closes,
        delegation_quota=4,
        capacity=300,
    )
    return slug, created


def _seed_users(report: SeedReport) -> None:
    for email, role, member_code, name in DEMO_USERS:
        if find_user_by_email(email) is not None:
            continue
        password = secrets.token_urlsafe(12)
        member = get_member_by_code(member_code) if member_code else None
        create_user(email, role, password, member=member, name=name)
        report.users_created.append((email, role.value, password))


def seed_demo(today: date | None = None) -> SeedReport:
    """Load the demo network; idempotent."""
    today = today or utcnow().date()
    report = SeedReport()
    with MEMBERS_CSV.open(encoding="utf-8") as stream:
        report.members = import_members(stream, update_existing=False)
    if not report.members.committed:
        raise RuntimeError("the demo member list was rejected: " + "; ".join(report.members.lines()))
    if _seed_2016():
        report.meetings_created.append("2016-new-york")
    if _seed_2023():
        report.meetings_created.append("2023-washington")
    slug, created = _seed_upcoming(today)
    if created:
        report.meetings_created.append(slug)
    db.session.commit()
    _seed_users(report)
    # After the users, so the demo focal point's account gets its invitation email.
    from eventapp.registration.demo import seed_demo_registrations

    seed_demo_registrations(slug)
    return report
