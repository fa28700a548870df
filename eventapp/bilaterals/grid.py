"""The hosts' grid: bilateral rooms across, half hours down, one table per day of the meeting.

Sessions the agenda puts in a bilateral room show too: the room is taken then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from eventapp.bilaterals.booking import warnings as booking_warnings
from eventapp.bilaterals.services import meeting_bilaterals
from eventapp.bilaterals.settings import bilateral_rooms
from eventapp.extensions import db
from eventapp.models import Bilateral, BilateralStatus, Meeting, Room, Session, SessionStatus

SLOT = timedelta(minutes=30)
#: The hours a day's grid shows at least, in the meeting's zone; longer when bookings fall outside.
DAY_START, DAY_END = time(8, 0), time(20, 0)


@dataclass
class Item:
    starts_at: datetime
    ends_at: datetime
    bilateral: Bilateral | None = None
    session: Session | None = None


@dataclass
class Cell:
    rowspan: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Row:
    starts: datetime
    #: One entry per room: a cell starting here, None when a cell above covers it, or an empty cell.
    cells: list[Cell | None]


@dataclass
class Day:
    day: date
    rows: list[Row]


def _slot_of(moment: datetime, first: datetime) -> int:
    return int((moment - first) // SLOT)


def _day_rows(day: date, meeting: Meeting, rooms: list[Room], items: list[Item]) -> Day:
    zone = meeting.zone
    first = datetime.combine(day, DAY_START, tzinfo=zone)
    last = datetime.combine(day, DAY_END, tzinfo=zone)
    if items:
        first = min(first, min(i.starts_at.astimezone(zone) for i in items).replace(minute=0))
        last = max(last, max(i.ends_at.astimezone(zone) for i in items))
    count = -(-(last - first) // SLOT)
    column = {room.id: n for n, room in enumerate(rooms)}
    grid: list[list[Cell | None | bool]] = [[False] * len(rooms) for _ in range(count)]
    for item in sorted(items, key=lambda i: i.starts_at):
        room_id = item.bilateral.room_id if item.bilateral else item.session.room_id  # type: ignore[union-attr]
        col = column[room_id]  # type: ignore[index]
        top = max(_slot_of(item.starts_at, first), 0)
        bottom = min(max(-(-(item.ends_at - first) // SLOT), top + 1), count)
        start = top
        while start > 0 and grid[start][col] is None:  # covered: the item joins the cell above
            start -= 1
        cell = grid[start][col]
        if not isinstance(cell, Cell):
            cell = Cell(rowspan=bottom - start)
            grid[start][col] = cell
        cell.items.append(item)
        cell.rowspan = max(cell.rowspan, bottom - start)
        for below in range(start + 1, start + cell.rowspan):
            grid[below][col] = None
    rows = [
        Row(first + n * SLOT, [c if isinstance(c, Cell) else None if c is None else Cell(1) for c in grid[n]])
        for n in range(count)
    ]
    return Day(day, rows)


def meeting_grid(meeting: Meeting, rooms: list[Room], bilaterals: list[Bilateral]) -> list[Day]:
    """One grid per day of the meeting (and any day a booking falls on), for these rooms.

    `bilaterals` are the meeting's, loaded with their delegations; the agreed ones in these rooms show.
    """
    room_ids = [r.id for r in rooms]
    bilaterals = [b for b in bilaterals if b.status == BilateralStatus.CONFIRMED and b.room_id in room_ids]
    sessions = db.session.scalars(
        select(Session).where(
            Session.meeting_id == meeting.id,
            Session.status != SessionStatus.CANCELLED,
            Session.room_id.in_(room_ids),
        )
    ).all()
    items = [Item(b.starts_at, b.ends_at, bilateral=b) for b in bilaterals if b.starts_at and b.ends_at]
    items += [Item(s.starts_at, s.ends_at, session=s) for s in sessions]
    zone = meeting.zone
    by_day: dict[date, list[Item]] = {}
    day = meeting.starts_on
    while day <= meeting.ends_on:
        by_day[day] = []
        day += timedelta(days=1)
    for item in items:
        by_day.setdefault(item.starts_at.astimezone(zone).date(), []).append(item)
    return [_day_rows(d, meeting, rooms, by_day[d]) for d in sorted(by_day)]


@dataclass
class HostOverview:
    """Everything the hosts' grid page shows of a meeting's bilaterals."""

    rooms: list[Room]
    days: list[Day]
    #: Agreed, waiting for a room.
    unbooked: list[Bilateral]
    #: Awaiting an answer.
    pending: list[Bilateral]
    #: Declined or cancelled.
    closed: list[Bilateral]
    warnings: dict[int, list[str]]


def host_overview(meeting: Meeting) -> HostOverview:
    """The meeting's bilaterals, read once, sorted into the grid and the lists beside it."""
    rooms = bilateral_rooms(meeting)
    everything = meeting_bilaterals(meeting)
    return HostOverview(
        rooms=rooms,
        days=meeting_grid(meeting, rooms, everything),
        unbooked=[b for b in everything if b.status == BilateralStatus.CONFIRMED and b.room_id is None],
        pending=[b for b in everything if b.status == BilateralStatus.REQUESTED],
        closed=[b for b in everything if b.status in (BilateralStatus.DECLINED, BilateralStatus.CANCELLED)],
        warnings=booking_warnings(meeting, everything),
    )
