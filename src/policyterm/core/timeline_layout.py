"""Where each event goes on a character-cell time axis. Pure Python: no textual, no rich.

Events are packed into lanes so that no marker covers another. Narrow events (days, months)
are placed first because they say the most; an event that finds no free lane is counted in an
overflow row at its start column instead of being drawn over something else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

EMPTY = -1


# Each event's first and last day as date ordinals, by event index (ModelView.day_bounds):
# worked out once per model, so a layout is integer arithmetic over 20,000 events.
DayBounds = Sequence[tuple[int, int]]


@dataclass(frozen=True)
class Axis:
    """Maps dates to columns 0..width-1 over whole years covering every event."""

    start: dt.date
    end: dt.date  # inclusive
    width: int

    @classmethod
    def covering(cls, bounds: DayBounds, width: int) -> Axis:
        if not bounds:
            today = dt.date.today()
            return cls(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), max(width, 1))
        first = dt.date.fromordinal(min(lower for lower, _ in bounds))
        last = dt.date.fromordinal(max(upper for _, upper in bounds))
        return cls(dt.date(first.year, 1, 1), dt.date(last.year, 12, 31), max(width, 1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def column(self, day: dt.date) -> int:
        return self.column_of(day.toordinal())

    def column_of(self, ordinal: int) -> int:
        offset = ordinal - self.start.toordinal()
        return min(self.width - 1, max(0, offset * self.width // self.days))

    def span(self, bounds: tuple[int, int]) -> tuple[int, int]:
        """First and last column an event covers (equal for a point), from its day bounds."""
        return self.column_of(bounds[0]), self.column_of(bounds[1])

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


def layout_events(bounds: DayBounds, indices: Sequence[int], axis: Axis,
                  lane_count: int) -> Layout:
    """Pack the events at `indices` (into `bounds`) into `lane_count` lanes."""
    width = axis.width
    lanes = [[EMPTY] * width for _ in range(max(lane_count, 0))]
    # Per lane, the cells an event may not cover: its markers and one blank cell each side
    # (which keeps neighbouring markers apart). Bytearrays: ranges are checked at C speed.
    blocked = [bytearray(width) for _ in lanes]
    # Cells blocked in every lane: an event over only such cells cannot be placed. Once the
    # lanes fill up that is most events, found with one check instead of one per lane.
    blocked_everywhere = bytearray(width)
    overflow: list[list[int]] = [[] for _ in range(width)]
    lane_of: dict[int, int] = {}
    # Axis.span inlined: this runs for every event shown.
    origin, days, top = axis.start.toordinal(), axis.days, width - 1
    spans: dict[int, tuple[int, int]] = {}
    for i in indices:
        lower, upper = bounds[i]
        spans[i] = (min(top, max(0, (lower - origin) * width // days)),
                    min(top, max(0, (upper - origin) * width // days)))
    # Narrowest first; `indices` ascend, and the sort is stable, so ties keep index order.
    for index in sorted(indices, key=lambda i: spans[i][1] - spans[i][0]):
        first, last = spans[index]
        if blocked_everywhere.find(0, first, last + 1) == -1:
            overflow[first].append(index)
            continue
        for lane_number, cells in enumerate(blocked):
            if cells.find(1, first, last + 1) == -1:
                lo, hi = max(0, first - 1), min(width, last + 2)
                cells[lo:hi] = b"\x01" * (hi - lo)
                lanes[lane_number][first : last + 1] = [index] * (last - first + 1)
                lane_of[index] = lane_number
                for column in range(lo, hi):
                    blocked_everywhere[column] = all(lane[column] for lane in blocked)
                break
        else:
            overflow[first].append(index)
    return Layout(axis, lanes, overflow, lane_of)
