"""The editor's timetable: for each day, rooms as columns and time as rows, each session a cell
spanning the rows of its length (a table with rowspan, so it reads as a table without script).

Times are the meeting's wall-clock times. A row is as long as the largest step that every start
and end falls on (an hour, 30, 15, 10 or 5 minutes). Sessions that overlap in one room go to
extra columns of that room, so none hides another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import gcd

from eventapp.models import Meeting, Room, Session

#: The longest row; shorter ones when a session starts or ends between its marks.
LONGEST_STEP = 60
#: The shortest row: times off a 5-minute mark are drawn from the mark before.
SHORTEST_STEP = 5
DAY_MINUTES = 24 * 60


@dataclass
class Column:
    """One column of a day: a room (or none), and which of that room's overlapping lanes it is."""

    room: Room | None
    lane: int = 0


@dataclass
class Card:
    """A session placed in the grid: its column, first row and number of rows."""

    session: Session
    column: int
    first_row: int
    rows: int


@dataclass
class Row:
    """One step of time: its label and, per column, a card starting here, an empty cell, or nothing
    (a card from an earlier row covers it)."""

    at: time
    cells: list[Card | None | bool] = field(default_factory=list)


@dataclass
class Day:
    day: date
    columns: list[Column]
    rows: list[Row]
    step: int
    cards: list[Card]


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def _span(session: Session, day: date, meeting: Meeting) -> tuple[int, int]:
    """Start and end of the session on `day`, in minutes after its midnight (cut at the day's end)."""
    start = session.starts_at.astimezone(meeting.zone)
    end = session.ends_at.astimezone(meeting.zone)
    begin = _minutes(start) - _minutes(start) % SHORTEST_STEP
    finish = DAY_MINUTES if end.date() > day else _minutes(end)
    return begin, max(finish, begin + SHORTEST_STEP)


def _step(spans: list[tuple[int, int]]) -> int:
    step = LONGEST_STEP
    for begin, finish in spans:
        step = gcd(step, gcd(begin, finish))
    return max(step, SHORTEST_STEP)


def _lanes(spans: list[tuple[int, int, Session]]) -> list[list[tuple[int, int, Session]]]:
    """Sessions of one room in lanes where none overlaps another (first lane first)."""
    lanes: list[list[tuple[int, int, Session]]] = []
    for item in sorted(spans, key=lambda s: (s[0], s[1])):
        for lane in lanes:
            if lane[-1][1] <= item[0]:
                lane.append(item)
                break
        else:
            lanes.append([item])
    return lanes


def build_day(meeting: Meeting, day: date, sessions: list[Session], rooms: list[Room]) -> Day:
    spans = {s.id: _span(s, day, meeting) for s in sessions}
    step = _step(list(spans.values()))
    first = min(b for b, _ in spans.values()) // LONGEST_STEP * LONGEST_STEP
    last = -(-max(f for _, f in spans.values()) // LONGEST_STEP) * LONGEST_STEP
    by_room: dict[int | None, list[tuple[int, int, Session]]] = defaultdict(list)
    for s in sessions:
        by_room[s.room_id].append((*spans[s.id], s))
    places: list[Room | None] = [*rooms, *([None] if by_room.get(None) else [])]
    columns: list[Column] = []
    cards: list[Card] = []
    for room in places:
        for number, lane in enumerate(_lanes(by_room.get(room.id if room else None, [])) or [[]]):
            columns.append(Column(room, number))
            for begin, finish, s in lane:
                cards.append(Card(s, len(columns) - 1, (begin - first) // step, -(-(finish - begin) // step)))
    count = (last - first) // step
    grid: list[list[Card | None | bool]] = [[True] * len(columns) for _ in range(count)]
    for card in cards:
        grid[card.first_row][card.column] = card
        for covered in range(card.first_row + 1, min(card.first_row + card.rows, count)):
            grid[covered][card.column] = None
    rows = [Row(_clock(first + n * step), grid[n]) for n in range(count)]
    return Day(day, columns, rows, step, cards)


def _clock(minutes: int) -> time:
    return (datetime.min + timedelta(minutes=minutes)).time()


def timetable(meeting: Meeting, sessions: list[Session], rooms: list[Room]) -> list[Day]:
    """The days that have sessions, each as a grid of rooms by time (sessions in time order)."""
    by_day: dict[date, list[Session]] = defaultdict(list)
    for s in sessions:
        by_day[s.starts_at.astimezone(meeting.zone).date()].append(s)
    return [build_day(meeting, day, by_day[day], rooms) for day in sorted(by_day)]
