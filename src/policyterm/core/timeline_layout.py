"""Where each event goes on a character-cell time axis, and how it is drawn. Pure Python: no
textual, no rich.

Events are packed into lanes so that no marker covers another. Narrow events (days, months)
are placed first because they say the most; an event that finds no free lane is counted in an
overflow row at its start column instead of being drawn over something else.

Each precision has its own shape, so the reader can tell what the article actually said: a
day is a point, a month a short bar, an interval a span with end caps, and a date known only
to the year sits in a dotted band of its own, never drawn as a year-long bar.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from policyterm.core.dates import EdtfDate
from policyterm.core.display import score_glyph
from policyterm.core.timeline_window import Window

EMPTY = -1


# Each event's first and last day as date ordinals, by event index (EventDates.bounds):
# worked out once per model, so a layout is integer arithmetic over 20,000 events.
DayBounds = Sequence[tuple[int, int]]


class Axis(NamedTuple):
    """Maps the days of a window to columns 0..width-1."""

    start: dt.date
    end: dt.date  # inclusive
    width: int

    @classmethod
    def of_window(cls, window: Window, width: int) -> Axis:
        return cls(window.start, dt.date.fromordinal(window.last_ordinal), max(width, 1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def column(self, day: dt.date) -> int:
        return self.column_of(day.toordinal())

    def column_of(self, ordinal: int) -> int:
        """The column a day starts in."""
        offset = ordinal - self.start.toordinal()
        return min(self.width - 1, max(0, offset * self.width // self.days))

    def last_column_of(self, ordinal: int) -> int:
        """The last column of a day (wider than one column when few days are shown)."""
        return max(self.column_of(ordinal), self.column_of(ordinal + 1) - 1
                   if ordinal < self.end.toordinal() else self.width - 1)

    def span(self, bounds: tuple[int, int]) -> tuple[int, int]:
        """First and last column an event covers (equal for a point), from its day bounds."""
        return self.column_of(bounds[0]), self.column_of(bounds[1])


@dataclass
class Layout:
    """Lane rows of event indices (EMPTY where nothing is drawn) and hidden events."""

    axis: Axis
    lanes: list[list[int]]
    overflow: list[list[int]]  # per column: indices of events that found no lane

    def without_last_lane(self) -> Layout:
        """The layout with one lane fewer: the same as packing into one lane fewer, since
        first-fit fills each lane without regard to the lanes after it."""
        if not self.lanes:
            return self
        overflow = [list(hidden) for hidden in self.overflow]
        last = self.lanes[-1]
        for column, index in enumerate(last):  # each event of the lane, at its first column
            if index != EMPTY and (column == 0 or last[column - 1] != index):
                overflow[column].append(index)
        return Layout(self.axis, self.lanes[:-1], overflow)


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
                for column in range(lo, hi):
                    blocked_everywhere[column] = all(lane[column] for lane in blocked)
                break
        else:
            overflow[first].append(index)
    return Layout(axis, lanes, overflow)


# -- precision ----------------------------------------------------------------------------------


class Mark(Enum):
    """How precisely the article dates an event, which decides its shape."""

    DAY = "day"  # a point
    MONTH = "month"  # a short bar
    INTERVAL = "interval"  # a span with end caps
    YEAR = "year"  # known only to the year: a dotted band, apart from the lanes


class Precision(NamedTuple):
    mark: Mark
    start_qualifier: str  # "", "~" approximate or "?" uncertain
    end_qualifier: str


# The few precisions there are, one record each (a large model has thousands of dates),
# looked up by strings: an Enum in the key would hash at Python level.
_PRECISIONS = {(kind, start_qualifier, end_qualifier): Precision(mark, start_qualifier,
                                                                end_qualifier)
               for kind, mark in (("day", Mark.DAY), ("month", Mark.MONTH),
                                  ("year", Mark.YEAR), ("interval", Mark.INTERVAL))
               for start_qualifier in ("", "~", "?") for end_qualifier in ("", "~", "?")}


def precision_of(date: EdtfDate) -> Precision:
    start = date.start
    if date.end is not None:
        return _PRECISIONS["interval", start.qualifier, date.end.qualifier]
    return _PRECISIONS[start.precision, start.qualifier, start.qualifier]


class EventDates(NamedTuple):
    """What the timeline needs of each event's date, by event index."""

    bounds: list[tuple[int, int]]  # first and last day, as date ordinals
    precisions: list[Precision]
    # One small number per distinct date text: events with equal keys have the same dates and
    # precision (a model of 20,000 events has a few thousand distinct ones).
    keys: list[int]


def event_dates(dates: Iterable[EdtfDate]) -> EventDates:
    """Worked out once per distinct date text, which events dated alike share."""
    known: dict[str, tuple[tuple[int, int], Precision, int]] = {}
    bounds: list[tuple[int, int]] = []
    precisions: list[Precision] = []
    keys: list[int] = []
    for date in dates:
        facts = known.get(date.text)
        if facts is None:
            facts = known[date.text] = ((date.first_day, date.last_day),
                                        precision_of(date), len(known))
        bounds.append(facts[0])
        precisions.append(facts[1])
        keys.append(facts[2])
    return EventDates(bounds, precisions, keys)


DAY_GLYPHS = {"": "●", "~": "◌", "?": "?"}
MONTH_GLYPH = "▬"
INTERVAL_START, INTERVAL_MIDDLE, INTERVAL_END, INTERVAL_NARROW = "┣", "━", "┫", "┃"
BAND_GLYPH = "┄"


def mark_glyphs(precision: Precision, cells: int, *, clipped_start: bool = False,
                clipped_end: bool = False) -> str:
    """The `cells` characters that draw an event. A span cut off by the edge of the view has
    no cap on that side: its end is not in sight. `~` and `?` replace the cap they qualify."""
    cells = max(cells, 1)
    mark = precision.mark
    if mark is Mark.DAY:
        return DAY_GLYPHS.get(precision.start_qualifier, "●") * cells
    if mark is Mark.YEAR:
        return BAND_GLYPH * cells
    if mark is Mark.MONTH:
        glyphs = [MONTH_GLYPH] * cells
        if precision.start_qualifier:  # a month's qualifier is one mark, at its start
            glyphs[0] = precision.start_qualifier
        return "".join(glyphs)
    if cells == 1:
        return precision.start_qualifier or precision.end_qualifier or INTERVAL_NARROW
    start = INTERVAL_MIDDLE if clipped_start else precision.start_qualifier or INTERVAL_START
    end = INTERVAL_MIDDLE if clipped_end else precision.end_qualifier or INTERVAL_END
    return start + INTERVAL_MIDDLE * (cells - 2) + end


# -- what a window shows ------------------------------------------------------------------------


@dataclass
class WindowContents:
    """The events at `indices` sorted by where they fall relative to a window."""

    lanes: list[int]  # drawn in the lanes: overlap the window and are not year-only
    band: list[int]  # year-only dates overlapping the window, drawn in the band
    earlier: int  # ending before the window
    later: int  # starting after it


def split_by_window(bounds: DayBounds, precisions: Sequence[Precision], indices: Sequence[int],
                    window: Window) -> WindowContents:
    first, last = window.first_ordinal, window.last_ordinal
    lanes, band = [], []
    earlier = later = 0
    for index in indices:
        lower, upper = bounds[index]
        if upper < first:
            earlier += 1
        elif lower > last:
            later += 1
        elif precisions[index].mark is Mark.YEAR:
            band.append(index)
        else:
            lanes.append(index)
    return WindowContents(lanes, band, earlier, later)


@dataclass(frozen=True)
class BandPiece:
    """Part of the year-only band: `text` at `column`, an event's marker if `index` is set."""

    column: int
    text: str
    index: int = EMPTY


def band_pieces(bounds: DayBounds, scores: Sequence[float], band: Sequence[int], axis: Axis,
                cursor: int | None) -> list[BandPiece]:
    """The band row: for each year, a dotted stretch over its columns, labelled with the year
    and how many events it holds, and one score marker per event. Where the markers do not
    fit, a run of them around the cursor's event is shown, with `…` where the run is cut."""
    by_year: dict[int, list[int]] = {}
    for index in band:
        by_year.setdefault(dt.date.fromordinal(bounds[index][0]).year, []).append(index)
    pieces: list[BandPiece] = []
    for year, indices in sorted(by_year.items()):
        first = axis.column(max(dt.date(year, 1, 1), axis.start))
        last = axis.last_column_of(min(dt.date(year, 12, 31), axis.end).toordinal())
        pieces.extend(_year_band(year, indices, scores, first, last - first + 1, cursor))
    return pieces


def _year_band(year: int, indices: list[int], scores: Sequence[float], column: int, width: int,
               cursor: int | None) -> list[BandPiece]:
    count = len(indices)
    # Shorter as room runs out, the year kept longest (years side by side must say which
    # is which); never "2023?", which would read as an uncertain date.
    labels = (f"{BAND_GLYPH} sometime in {year} ({count}): ", f"{BAND_GLYPH}{year} ({count}):",
              f"{BAND_GLYPH}{year}:", f"{count}:")
    label = next((text for text in labels if len(text) + count <= width), None)
    start, shown = 0, count
    if label is None:  # not every marker fits: a run around the cursor
        label = next((text for text in labels[1:] if len(text) + 3 <= width), "")
        shown = max(0, width - len(label) - 2)
        position = indices.index(cursor) if cursor in indices else 0
        start = min(max(position - shown // 2, 0), max(count - shown, 0))
    pieces = [BandPiece(column, label)] if label else []
    at = column + len(label)
    if start > 0:
        pieces.append(BandPiece(at, "…"))
        at += 1
    for index in indices[start : start + shown]:
        pieces.append(BandPiece(at, score_glyph(scores[index]), index))
        at += 1
    if start + shown < count:
        pieces.append(BandPiece(at, "…"))
        at += 1
    if at < column + width:
        pieces.append(BandPiece(at, BAND_GLYPH * (column + width - at)))
    return pieces


# -- the cooperation / conflict strip -----------------------------------------------------------


def tick_bounds(window: Window, tick_ordinals: Sequence[int]) -> list[int]:
    """The first day of each stretch between ticks, and the window's end after the last."""
    inside = [t for t in tick_ordinals if window.first_ordinal < t <= window.last_ordinal]
    return [window.first_ordinal, *inside, window.last_ordinal + 1]


def tally(bounds: DayBounds, precisions: Sequence[Precision], scores: Sequence[float],
          indices: Sequence[int], stretches: Sequence[int]) -> list[tuple[int, int]]:
    """(cooperation, conflict) events in each stretch between `stretches` boundaries. An
    interval counts in every stretch it runs through; a single date counts only where it
    falls wholly inside one, since a year-only date says nothing about which month."""
    stretch_count = len(stretches) - 1
    cooperation, conflict = [0] * stretch_count, [0] * stretch_count
    first, end = stretches[0], stretches[-1]
    bisect_right, interval = bisect.bisect_right, Mark.INTERVAL  # bound once: a hot loop
    for index in indices:
        score = scores[index]
        if not score:
            continue
        lower, upper = bounds[index]
        if upper < first or lower >= end:
            continue
        counts = cooperation if score > 0 else conflict
        start_at = bisect_right(stretches, lower) - 1
        if precisions[index].mark is not interval:
            if start_at >= 0 and upper < stretches[start_at + 1]:
                counts[start_at] += 1
            continue
        end_at = min(bisect_right(stretches, upper) - 1, stretch_count - 1)
        for stretch in range(max(start_at, 0), end_at + 1):
            counts[stretch] += 1
    return list(zip(cooperation, conflict, strict=True))


DENSITY = "▁▂▃▄▅▆▇█"


def density(count: int, most: int) -> str:
    """One cell for `count` of something: taller for more, relative to the `most` of any."""
    return DENSITY[max(0, -(-count * len(DENSITY) // max(most, 1)) - 1)]


def strip_text(cooperation: int, conflict: int) -> list[tuple[str, int]]:
    """A stretch's tally in words: "✚3 ✖5", one (character, side) per cell."""
    parts: list[tuple[str, int]] = []
    if cooperation:
        parts.extend((char, 1) for char in f"✚{cooperation}")
    if conflict:
        if parts:
            parts.append((" ", 0))
        parts.extend((char, -1) for char in f"✖{conflict}")
    return parts


def strip_cells(tallies: Sequence[tuple[int, int]], columns: Sequence[int],
                width: int) -> list[tuple[str, int]]:
    """The strip, one (glyph, side) per column: side 1 cooperation, -1 conflict, 0 blank.
    Each stretch from `columns[i]` shows its counts ("✚3 ✖5") where every stretch's fit;
    where not, each a bar as tall as its count is against the busiest, cooperation's share on
    the left (one kind of mark along the strip, so that stretches compare at a glance)."""
    cells: list[tuple[str, int]] = [(" ", 0)] * width
    most = max((sum(pair) for pair in tallies), default=0)
    if most == 0:
        return cells
    edges = [*columns, width]
    # A gap between stretches, where they are wide enough for one.
    room = [max(right - left - (1 if right - left > 2 else 0), 0)
            for left, right in itertools.pairwise(edges)]
    counts = all(len(strip_text(*pair)) <= cells_here
                 for pair, cells_here in zip(tallies, room, strict=False) if sum(pair))
    for number, (cooperation, conflict) in enumerate(tallies):
        total = cooperation + conflict
        left, cells_here = edges[number], room[number]
        if total == 0 or cells_here <= 0:
            continue
        if counts:
            words = strip_text(cooperation, conflict)
            cells[left : left + len(words)] = words
            continue
        glyph = density(total, most)
        cooperation_cells = round(cells_here * cooperation / total)
        if cooperation and not cooperation_cells:
            cooperation_cells = 1
        if conflict and cooperation_cells == cells_here and cells_here > 1:
            cooperation_cells -= 1
        for column in range(left, left + cells_here):
            side = 1 if column - left < cooperation_cells else -1
            cells[column] = (glyph, side)
    return cells


# -- one lane per counterpart --------------------------------------------------------------------


def lane_cells(bounds: DayBounds, precisions: Sequence[Precision], scores: Sequence[float],
               indices: Sequence[int], axis: Axis, cursor: int | None) -> list[tuple[str, int]]:
    """One counterpart's lane, one (glyph, event index) per column (EMPTY where blank).

    Year-only dates are a dotted band; over it intervals; then each year's label ("3 in
    2023", else "3"), whole, as early in its year as it fits clear of months, days and a
    span's ends: over a span's middle too, so a span never hides them; then months, then
    days as ✚ ✖ · score markers, so the most precise stay in sight; the cursor's event
    last, so it is always seen, but for a span: over the other spans, under the rest (drawn
    last, a span of years would hide the whole lane); if the rest covers all of it, its two
    ends on top."""
    width = axis.width
    cells: list[tuple[str, int]] = [(" ", EMPTY)] * width
    first_day, last_day = axis.start.toordinal(), axis.end.toordinal()
    visible = [i for i in indices if bounds[i][1] >= first_day and bounds[i][0] <= last_day]
    years: dict[int, list[int]] = {}
    order = {Mark.INTERVAL: 0, Mark.MONTH: 1, Mark.DAY: 2}
    drawn = []
    for index in visible:
        if precisions[index].mark is Mark.YEAR:
            years.setdefault(dt.date.fromordinal(bounds[index][0]).year, []).append(index)
        else:
            drawn.append(index)
    drawn.sort(key=lambda i: (order[precisions[i].mark], -(bounds[i][1] - bounds[i][0]), i))
    if cursor in drawn:
        drawn.remove(cursor)
        drawn.append(cursor)

    def draw(index: int, ends_only: bool = False) -> None:
        lower, upper = bounds[index]
        first, last = axis.span(bounds[index])
        if precisions[index].mark is Mark.DAY:
            text = score_glyph(scores[index])
        else:
            text = mark_glyphs(precisions[index], last - first + 1,
                               clipped_start=lower < first_day, clipped_end=upper > last_day)
        for offset, glyph in enumerate(text):
            if not ends_only or offset in (0, len(text) - 1):
                cells[first + offset] = (glyph, index)

    # Each year's events answer to one: the cursor's if it is among them.
    keys = {year: cursor if cursor in members else members[0] for year, members in years.items()}
    for year, members in years.items():
        first, last = axis.span(bounds[members[0]])
        cells[first : last + 1] = [(BAND_GLYPH, keys[year])] * (last - first + 1)
    spans = [i for i in drawn if precisions[i].mark is Mark.INTERVAL]  # the cursor's last
    in_spans = set(spans)
    above = [i for i in drawn if i not in in_spans]  # months, days, then the cursor's event
    for index in spans:
        draw(index)
    # What a label must not cover: the columns of all drawn above it, and a span's own ends
    # (┣ ┫, or ~ ?: where, and how surely, it starts and stops); a span's middle it may.
    taken: set[int] = set()
    for index in above:
        first, last = axis.span(bounds[index])
        taken.update(range(first, last + 1))
    for index in spans:
        first, last = axis.span(bounds[index])
        if bounds[index][0] >= first_day:
            taken.add(first)
        if bounds[index][1] <= last_day:
            taken.add(last)
    for year, members in years.items():
        first, last = axis.span(bounds[members[0]])
        # The longest label that fits whole, as early in its year as it does.
        for label in (f"{BAND_GLYPH} {len(members)} in {year} ", f"{BAND_GLYPH}{len(members)} "):
            start = next((column for column in range(first, last - len(label) + 2)
                          if taken.isdisjoint(range(column, column + len(label)))), None)
            if start is not None:
                cells[start : start + len(label)] = [(glyph, keys[year]) for glyph in label]
                break
    for index in above:
        draw(index)
    if cursor in in_spans and all(index != cursor for _, index in cells):
        # Wholly under months or days: its ends on top, where it starts and stops (drawn
        # whole, a long one would hide them all).
        draw(cursor, ends_only=True)
    return cells


# -- events dated alike ---------------------------------------------------------------------------


def group_alike(keys: Sequence[int], indices: Sequence[int]) -> tuple[list[int],
                                                                       dict[int, list[int]]]:
    """Events dated alike (equal `keys`, see EventDates) drawn once, as one span with a count,
    rather than as identical bars stacked up. Returns the first of each group (in `indices`
    order) and, for groups of more than one, the first's members."""
    first_of: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    firsts = []
    for index in indices:
        key = keys[index]
        first = first_of.get(key)
        if first is None:
            first_of[key] = index
            firsts.append(index)
        elif first in members:
            members[first].append(index)
        else:
            members[first] = [first, index]
    return firsts, members


def group_label(members: Sequence[int], cursor: int | None) -> str:
    """"×3" for a group of three; "2/3" with the cursor on its second."""
    if cursor is not None and cursor in members:
        return f"{list(members).index(cursor) + 1}/{len(members)}"
    return f"×{len(members)}"


def with_label(glyphs: str, label: str) -> str:
    """`label` written over the middle of a span's glyphs, keeping its ends; at its end
    where the middle is too short; not at all where the span is shorter still."""
    if len(glyphs) == len(label) + 1:
        return glyphs[0] + label
    if len(glyphs) < len(label) + 2:
        return glyphs
    at = (len(glyphs) - len(label)) // 2
    return glyphs[:at] + label + glyphs[at + len(label) :]
