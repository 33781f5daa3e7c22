"""Which stretch of time the timeline shows, how it zooms, and where its ticks go.

Pure Python: no textual, no rich. A window is a calendar period [start, end); zooming moves
along a ladder of window lengths aligned to calendar units, and the ticks are the finest
calendar unit whose labels fit the width.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, NamedTuple

from policyterm.core.dates import MONTH_ABBR, DateError, parse_edtf

CalendarUnit = Literal["day", "month", "year"]

FIRST_DAY = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)

# Nominal days in each unit: enough to compare lengths, not to add them (add_units does that).
NOMINAL_DAYS: dict[CalendarUnit, float] = {"day": 1.0, "month": 30.44, "year": 365.25}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, pinned to the first of its month (windows start on one)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < FIRST_DAY.year:
        return FIRST_DAY
    if year > LAST_DAY.year:
        return LAST_DAY
    return dt.date(year, month + 1, 1)


def add_units(day: dt.date, count: int, unit: CalendarUnit) -> dt.date:
    if unit == "day":
        ordinal = min(max(day.toordinal() + count, FIRST_DAY.toordinal()), LAST_DAY.toordinal())
        return dt.date.fromordinal(ordinal)
    return add_months(day, count * (12 if unit == "year" else 1))


def floor_to(day: dt.date, unit: CalendarUnit) -> dt.date:
    if unit == "day":
        return day
    if unit == "month":
        return day.replace(day=1)
    return dt.date(day.year, 1, 1)


class ZoomStep(NamedTuple):
    """One rung of the zoom ladder: a window `units` `unit`s long."""

    units: int
    unit: CalendarUnit

    @property
    def nominal_days(self) -> float:
        return self.units * NOMINAL_DAYS[self.unit]


ZOOM_LADDER: tuple[ZoomStep, ...] = (
    ZoomStep(7, "day"), ZoomStep(14, "day"), ZoomStep(1, "month"), ZoomStep(3, "month"),
    ZoomStep(6, "month"), ZoomStep(1, "year"), ZoomStep(2, "year"), ZoomStep(5, "year"),
    ZoomStep(10, "year"), ZoomStep(25, "year"), ZoomStep(50, "year"), ZoomStep(100, "year"),
    ZoomStep(250, "year"), ZoomStep(1000, "year"),
)


class Window(NamedTuple):
    """The period shown: from `start` up to, not including, `end`."""

    start: dt.date
    end: dt.date

    @classmethod
    def of_ordinals(cls, lower: int, upper: int) -> Window:
        """The window showing the days `lower`..`upper` (inclusive ordinals); the calendar's
        last day has no day after it to end a window, so a window ends before it."""
        upper = min(upper, LAST_DAY.toordinal() - 1)
        return cls(dt.date.fromordinal(min(lower, upper)), dt.date.fromordinal(upper + 1))

    @classmethod
    def around(cls, step: ZoomStep, centre: dt.date) -> Window:
        """A window of `step`'s length centred near `centre`, starting on a whole unit, and
        always showing `centre`."""
        half = int(step.nominal_days / 2)
        start = floor_to(add_units(centre, -half, "day"), step.unit)
        if add_units(start, step.units, step.unit) <= centre:
            # Rounding down lost more than the half (a year around June starts the January
            # before): a unit later, the window holds its centre again.
            start = add_units(start, 1, step.unit)
        return cls(start, add_units(start, step.units, step.unit))

    @property
    def first_ordinal(self) -> int:
        return self.start.toordinal()

    @property
    def last_ordinal(self) -> int:
        """The last day shown, inclusive."""
        return self.end.toordinal() - 1

    @property
    def days(self) -> int:
        return max(1, self.end.toordinal() - self.start.toordinal())

    @property
    def centre(self) -> dt.date:
        return dt.date.fromordinal(self.first_ordinal + self.days // 2)

    def shifted(self, screens: int) -> Window:
        """The window `screens` screenfuls of time later (earlier if negative)."""
        step = self._step() or ZoomStep(self.days, "day")
        start = add_units(self.start, screens * step.units, step.unit)
        end = add_units(start, step.units, step.unit)
        # At the calendar's first or last day the dates stop moving: stay rather than
        # leave a window of no days.
        return Window(start, end) if end > start else self

    def _step(self) -> ZoomStep | None:
        """The whole-unit length of the window, if it is one (a year, three months...)."""
        if self.start.day != 1 or self.end.day != 1:
            return None
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        if self.start.month == 1 and self.end.month == 1:
            return ZoomStep(months // 12, "year")
        return ZoomStep(months, "month")

    def clamped(self, first: int, last: int) -> Window:
        """Moved (not resized) to show as much of the days `first`..`last` as it can: a
        window wider than them starts where they start, on a whole unit of its length."""
        step = self._step() or ZoomStep(self.days, "day")
        lowest = floor_to(dt.date.fromordinal(first), step.unit)
        if self.days >= last - first + 1 or self.start < lowest:
            start = lowest
        elif self.last_ordinal > last:
            end = floor_to(dt.date.fromordinal(last), step.unit)
            end = add_units(end, 1, step.unit)
            start = max(lowest, add_units(end, -step.units, step.unit))
        else:
            return self
        return Window(start, add_units(start, step.units, step.unit))

    def showing(self, lower: int, upper: int) -> Window:
        """This window, or one as long moved by whole units to show the days `lower`..`upper`
        (the view follows the cursor)."""
        if self.overlaps(lower, upper):
            return self
        step = self._step() or ZoomStep(self.days, "day")
        if upper < self.first_ordinal:
            end = add_units(floor_to(dt.date.fromordinal(upper), step.unit), 1, step.unit)
            start = add_units(end, -step.units, step.unit)
        else:
            start = floor_to(dt.date.fromordinal(lower), step.unit)
        return Window(start, add_units(start, step.units, step.unit))

    def overlaps(self, lower: int, upper: int) -> bool:
        return lower <= self.last_ordinal and upper >= self.first_ordinal

    def covers(self, lower: int, upper: int) -> bool:
        """Whether every day `lower`..`upper` is in the window."""
        return self.first_ordinal <= lower and upper <= self.last_ordinal

    def label(self) -> str:
        """As people say it: "2023", "2019–2023", "Apr–Jun 2023", "1–14 Mar 2023"."""
        last = self.end - dt.timedelta(days=1) if self.end > self.start else self.start
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 1, 1):
            return (str(self.start.year) if last.year == self.start.year
                    else f"{self.start.year}–{last.year}")
        if self.start.day == 1 and self.end.day == 1:
            first_month = MONTH_ABBR[self.start.month - 1]
            last_month = MONTH_ABBR[last.month - 1]
            if last.year != self.start.year:
                return f"{first_month} {self.start.year} – {last_month} {last.year}"
            if last.month == self.start.month:
                return f"{first_month} {last.year}"
            return f"{first_month}–{last_month} {last.year}"
        first_day = f"{self.start.day} {MONTH_ABBR[self.start.month - 1]}"
        last_day = f"{last.day} {MONTH_ABBR[last.month - 1]} {last.year}"
        if last.year != self.start.year:
            return f"{first_day} {self.start.year} – {last_day}"
        if last == self.start:
            return last_day
        if last.month == self.start.month:
            return f"{self.start.day}–{last_day}"
        return f"{first_day} – {last_day}"


def zoomed(window: Window, centre: dt.date, direction: int) -> Window | None:
    """The next window in (direction > 0) or out around `centre`; None at the ladder's end."""
    days = window.days
    if direction > 0:
        shorter = [step for step in ZOOM_LADDER if step.nominal_days < days * 0.9]
        step = shorter[-1] if shorter else None
    else:
        longer = [step for step in ZOOM_LADDER if step.nominal_days > days * 1.1]
        step = longer[0] if longer else None
    return None if step is None else Window.around(step, centre)


def fitting(lower: int, upper: int) -> Window:
    """A window showing the days `lower`..`upper`; at least the shortest zoom step long."""
    window = Window.of_ordinals(lower, upper)
    shortest = ZOOM_LADDER[0]
    if window.days < shortest.nominal_days:
        return Window.around(shortest, window.centre)
    return window


# -- ticks --------------------------------------------------------------------------------------


class TickUnit(NamedTuple):
    """A kind of tick: every `every` `unit`s, its label at most `label_width` cells."""

    name: str  # plural, as the border says it: "months"
    every: int
    unit: CalendarUnit
    label_width: int

    @property
    def nominal_days(self) -> float:
        return self.every * NOMINAL_DAYS[self.unit]


TICK_UNITS: tuple[TickUnit, ...] = (
    TickUnit("days", 1, "day", 2),
    TickUnit("weeks", 7, "day", 2),
    TickUnit("months", 1, "month", 3),
    TickUnit("quarters", 3, "month", 2),
    TickUnit("years", 1, "year", 4),
    TickUnit("5 years", 5, "year", 4),
    TickUnit("decades", 10, "year", 4),
    TickUnit("centuries", 100, "year", 4),
)


def max_ticks(width: int) -> int:
    """How many ticks a width can carry before the axis reads as noise."""
    return max(12, width // 8)


def choose_tick_unit(window: Window, width: int) -> TickUnit:
    """The finest unit whose labels fit with a space between them, and not too many."""
    # A window of whole units counts as their nominal length: three months run from 89 to 92
    # days, and paging at one zoom must not flip the ticks between weeks and months.
    step = window._step()
    days = step.nominal_days if step is not None and step.units > 0 else window.days
    for unit in TICK_UNITS:
        columns_each = width * unit.nominal_days / days
        if columns_each >= unit.label_width + 1 and days / unit.nominal_days <= max_ticks(
                width) + 1:
            return unit
    return TICK_UNITS[-1]


class Tick(NamedTuple):
    day: dt.date
    label: str  # under the tick: "Mar", "Q2", "2023", "13"
    context: str | None  # the coarser label above it where one starts: "2023", "Mar 2023"


def tick_days(window: Window, unit: TickUnit) -> list[dt.date]:
    """Every tick's day inside the window, in order."""
    if unit.unit == "day":
        day = window.start
        if unit.every == 7:  # weeks start on Mondays
            day = add_units(day, (7 - day.weekday()) % 7, "day")
    elif unit.unit == "month":
        day = window.start.replace(day=1)
        if day < window.start:
            day = add_months(day, 1)
        day = add_months(day, (-(day.month - 1)) % unit.every)
    else:
        year = window.start.year
        if dt.date(year, 1, 1) < window.start:
            year += 1
        year += (-year) % unit.every
        day = dt.date(min(year, LAST_DAY.year), 1, 1)
    days = []
    while window.start <= day < window.end:
        days.append(day)
        following = add_units(day, unit.every, unit.unit)
        if following <= day:
            break
        day = following
    return days


def ticks(window: Window, unit: TickUnit) -> list[Tick]:
    found = []
    previous: dt.date | None = None
    for day in tick_days(window, unit):
        if unit.unit == "day":
            label = str(day.day)
            context = (f"{MONTH_ABBR[day.month - 1]} {day.year}"
                       if previous is None or previous.month != day.month else None)
        elif unit.unit == "month":
            label = MONTH_ABBR[day.month - 1] if unit.every == 1 else f"Q{(day.month + 2) // 3}"
            context = str(day.year) if previous is None or previous.year != day.year else None
        else:
            label, context = str(day.year), None
        found.append(Tick(day, label, context))
        previous = day
    return found


def describe(window: Window, unit: TickUnit) -> str:
    """What the border says is shown: "2023 · months"."""
    return f"{window.label()} · {unit.name}"


# -- dates typed by a reader ----------------------------------------------------------------------

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_MONTH_NUMBER = {name: number for number, full in enumerate(MONTH_NAMES, start=1)
                 for name in (full, full[:3], "sept" if full == "september" else full)}
_WORDS = re.compile(r"(?:(?P<day>[0-9]{1,2})\s+)?(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>[0-9]{4})")


# Digits as a date is written ("2023-02-30", "2023-13"): a mistake in one is worth saying.
_DATE_SHAPED = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}")


def parse_reader_date(text: str) -> tuple[int, int] | None:
    """The first and last day (ordinals) of a date as a reader types it: "2023-06",
    "Jun 2023", "June 2023", "8 Nov 2023", "2023"; None if it is not one."""
    found = _read_date(text)
    return found if isinstance(found, tuple) else None


def reader_date_problem(text: str) -> str | None:
    """Why text written as a date is none ("Feb 2023 has no day 30; expected 01..28");
    None for a date, or for text that is not written as one."""
    found = _read_date(text)
    return found if isinstance(found, str) else None


def _read_date(text: str) -> tuple[int, int] | str | None:
    text = text.strip()
    words = _WORDS.fullmatch(text)
    if words is not None:
        month = _MONTH_NUMBER.get(words["month"].lower())
        if month is None:
            return None
        year = words["year"]
        text = f"{year}-{month:02d}" + (f"-{int(words['day']):02d}" if words["day"] else "")
    try:
        date = parse_edtf(text)
    except DateError as error:
        if words is None and not _DATE_SHAPED.fullmatch(text):
            return None
        return str(error).partition(" is not a date: ")[2] or None
    if date.is_interval:
        return None
    return date.first_day, date.last_day
