"""The EDTF subset of format v1: a year, month or day, optionally approximate or uncertain,
or an interval between two of those.

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Literal, NamedTuple

Precision = Literal["year", "month", "day"]

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# [0-9], not \d: \d matches digits of every script ("２０２３"), which the format does not allow.
_POINT = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?(?P<qualifier>[~?])?"
)

EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~ or ?, or an interval A/B"


def days_in_month(year: int, month: int) -> int:
    """The number of days in a month (the calendar module would cost 2.5 ms at start-up)."""
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day


class DateError(ValueError):
    """A date string outside the EDTF subset, or an impossible calendar date."""


class DatePoint(NamedTuple):
    """One end of a date: a year, a month or a day. Named tuples, as Event: a large model's
    cache holds thousands of dates, and a tuple is rebuilt without a Python-level call."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Literal["", "~", "?"] = ""

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def lower(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self) -> dt.date:
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        if self.month is not None:
            return dt.date(self.year, self.month, days_in_month(self.year, self.month))
        return dt.date(self.year, 12, 31)

    def display(self) -> str:
        """As people read it: "8 Nov 2023", "Jun 2023", "2023"."""
        if self.day is not None and self.month is not None:
            text = f"{self.day} {MONTH_ABBR[self.month - 1]} {self.year}"
        elif self.month is not None:
            text = f"{MONTH_ABBR[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        return _qualify(text, self.qualifier)


def _qualify(text: str, qualifier: str) -> str:
    if qualifier == "~":
        return f"c. {text}"
    if qualifier == "?":
        return f"{text}?"
    return text


class EdtfDate(NamedTuple):
    """A parsed date: `start` alone, or the interval `start`..`end`, and the first and last
    day it covers as date ordinals (worked out once, by `of`: events are sorted and drawn by
    them, and a model's cache stores an int where a date would be an object to rebuild)."""

    text: str
    start: DatePoint
    end: DatePoint | None
    first_day: int
    last_day: int

    @classmethod
    def of(cls, text: str, start: DatePoint, end: DatePoint | None = None) -> EdtfDate:
        return cls(text, start, end, start.lower.toordinal(), (end or start).upper.toordinal())

    @property
    def lower(self) -> dt.date:
        """The first day it covers."""
        return dt.date.fromordinal(self.first_day)

    @property
    def upper(self) -> dt.date:
        """The last day it covers."""
        return dt.date.fromordinal(self.last_day)

    @property
    def is_interval(self) -> bool:
        return self.end is not None

    def display(self) -> str:
        """As people read it: "8 Nov 2023", "Jun 2023", "Q4 2023", "Jan–Apr 2021"."""
        if self.end is None:
            return self.start.display()
        return _display_interval(self.start, self.end)

    def __str__(self) -> str:
        return self.text


def _display_interval(start: DatePoint, end: DatePoint) -> str:
    qualifier = start.qualifier or end.qualifier
    if (start.year, start.month, start.day) == (end.year, end.month, end.day):
        # From a month, day or year to itself: that one date ("Jan 2023", not "Jan–Jan").
        return DatePoint(start.year, start.month, start.day, qualifier).display()
    same_year = start.year == end.year
    if same_year and start.month and end.month and start.precision == end.precision == "month":
        if start.month % 3 == 1 and end.month == start.month + 2:
            text = f"Q{(start.month + 2) // 3} {start.year}"
        else:
            text = f"{MONTH_ABBR[start.month - 1]}–{MONTH_ABBR[end.month - 1]} {start.year}"
        return _qualify(text, qualifier)
    if same_year and start.month and start.month == end.month and \
            start.precision == end.precision == "day":
        text = f"{start.day}–{end.day} {MONTH_ABBR[start.month - 1]} {start.year}"
        return _qualify(text, qualifier)
    if start.precision == "year" and end.precision == "year":
        return _qualify(f"{start.year}–{end.year}", qualifier)
    return f"{start.display()} – {end.display()}"


def quoted(text: str) -> str:
    """`text` in quotes for a one-line message: escaped, and cut short if long."""
    if len(text) > 40:
        text = text[:37] + "..."
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


# Characters that pass for ASCII punctuation, often pasted from an article or from the
# explorer itself (which shows scores with "−"), and the ASCII one the format means.
_LOOK_ALIKES = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d", "ASCII -"),
    **dict.fromkeys("\u2018\u2019\u201b\u2032", "ASCII '"),
    **dict.fromkeys("\u201c\u201d\u201f\u2033", 'ASCII "'),
    **dict.fromkeys("\u00a0\u2007\u2009\u202f\u3000", "an ASCII space"),
    **dict.fromkeys("\u2044\u2215", "ASCII /"),
}


def look_alike_note(text: str) -> str:
    """" (U+2212, a minus sign, where ASCII - is meant)" for the first character of `text`
    that passes for ASCII punctuation; "" if none. Messages show such a character escaped
    ("\u22124"), which reads as digits rather than as the cause."""
    char = next((c for c in text if c in _LOOK_ALIKES), None)
    if char is None:
        return ""
    name = unicodedata.name(char).lower()
    article = "an" if name[0] in "aeiou" else "a"
    return f" (U+{ord(char):04X}, {article} {name}, where {_LOOK_ALIKES[char]} is meant)"


def _parse_point(text: str, whole: str) -> DatePoint:
    match = _POINT.fullmatch(text)
    if match is None:
        raise DateError(f"{quoted(whole)} is not a date{look_alike_note(whole)}; {EXPECTED}")
    year = int(match["year"])
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if year < 1:
        raise DateError(f"{quoted(whole)} is not a date: there is no year 0; "
                        "expected a year from 0001")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{quoted(whole)} is not a date: there is no month {month:02d}; "
                        "expected 01..12")
    if month is not None and day is not None:
        last = days_in_month(year, month)
        if not 1 <= day <= last:
            raise DateError(f"{quoted(whole)} is not a date: {MONTH_ABBR[month - 1]} {year} "
                            f"has no day {day:02d}; expected 01..{last}")
    qualifier = match["qualifier"] or ""
    assert qualifier in ("", "~", "?")
    return DatePoint(year, month, day, qualifier)  # type: ignore[arg-type]


def parse_edtf(text: str) -> EdtfDate:
    """Parse a format-v1 date, raising DateError with a message that says what is expected."""
    if not isinstance(text, str):
        raise DateError(f"{text!r} is not a date string; {EXPECTED}")
    return _parse_edtf_text(text)


# A large model repeats the same few thousand date strings; EdtfDate is immutable, so one
# parsed value can serve every event that spells its date the same way.
@functools.lru_cache(maxsize=8192)
def _parse_edtf_text(text: str) -> EdtfDate:
    parts = text.split("/")
    if len(parts) == 1:
        return EdtfDate.of(text, _parse_point(text, text))
    if len(parts) == 2:
        date = EdtfDate.of(text, _parse_point(parts[0], text), _parse_point(parts[1], text))
        if date.first_day > date.last_day:
            raise DateError(f"{quoted(text)} is not a date: the interval ends before it "
                            "starts; expected the earlier date first")
        return date
    raise DateError(f"{quoted(text)} is not a date; {EXPECTED}")
