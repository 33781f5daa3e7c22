"""Where each event goes on a character-cell time axis. Pure Python: no textual, no rich.

Events are packed into lanes so that no marker covers another. Narrow events (days, months)
are placed first because they say the most; an event that finds no free lane is counted in an
overflow row at its start column instead of being drawn over something else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from policyterm.model import Event

EMPTY = -1


@dataclass(frozen=True)
class Axis:
    """Maps dates to columns 0..width-1 over whole years covering every event."""

    start: dt.date
    end: dt.date  # inclusive
    width: int

    @classmethod
    def covering(cls, events: Sequence[Event], width: int) -> Axis:
        if not events:
            today = dt.date.today()
            return cls(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), max(width, 1))
        first = min(e.date.lower for e in events)
        last = max(e.date.upper for e in events)
        return cls(dt.date(first.year, 1, 1), dt.date(last.year, 12, 31), max(width, 1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def column(self, day: dt.date) -> int:
        offset = (day - self.start).days
        return min(self.width - 1, max(0, offset * self.width // self.days))

    def span(self, event: Event) -> tuple[int, int]:
        """First and last column an event covers (equal for a point)."""
        return self.column(event.date.lower), self.column(event.date.upper)

    def year_ticks(self) -> list[tuple[int, int]]:
        """(column, year) of each 1 January on the axis."""
        return [
            (self.column(dt.date(year, 1, 1)), year)
            for year in range(self.start.year, self.end.year + 1)
        ]


@dataclass
class Layout:
    """Lane rows of event indices (EMPTY where nothing is drawn) and hidden events."""

    axis: Axis
    lanes: list[list[int]]
    overflow: list[list[int]]  # per column: indices of events that found no lane
    lane_of: dict[int, int]  # event index -> lane; absent when in overflow

    def event_at(self, lane: int, column: int) -> int:
        if 0 <= lane < len(self.lanes) and 0 <= column < self.axis.width:
            return self.lanes[lane][column]
        return EMPTY


def layout_events(events: Sequence[Event], indices: Sequence[int], axis: Axis,
                  lane_count: int) -> Layout:
    """Pack the events at `indices` (into `events`) into `lane_count` lanes."""
    width = axis.width
    lanes = [[EMPTY] * width for _ in range(max(lane_count, 0))]
    # A bytearray per lane marks used cells; slices of it are checked at C speed.
    used = [bytearray(width) for _ in lanes]
    overflow: list[list[int]] = [[] for _ in range(width)]
    lane_of: dict[int, int] = {}
    spans = {i: axis.span(events[i]) for i in indices}
    for index in sorted(indices, key=lambda i: (spans[i][1] - spans[i][0], i)):
        first, last = spans[index]
        # one blank cell each side keeps neighbouring markers apart
        lo, hi = max(0, first - 1), min(width, last + 2)
        for lane_number, cells in enumerate(used):
            if cells.find(1, lo, hi) == -1:
                cells[first : last + 1] = b"\x01" * (last - first + 1)
                lanes[lane_number][first : last + 1] = [index] * (last - first + 1)
                lane_of[index] = lane_number
                break
        else:
            overflow[first].append(index)
    return Layout(axis, lanes, overflow, lane_of)
