"""The EDTF subset of format v1: parsing, rejection, intervals, ordering and display."""

from __future__ import annotations

import datetime as dt

import pytest

from policyterm.core.dates import DateError, DatePoint, EdtfDate, parse_edtf

D = dt.date

# ---------------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "qualifier", "precision"),
    [
        ("2023", 2023, None, None, "", "year"),
        ("2023-06", 2023, 6, None, "", "month"),
        ("2023-11-08", 2023, 11, 8, "", "day"),
        ("2023~", 2023, None, None, "~", "year"),
        ("2023?", 2023, None, None, "?", "year"),
        ("2023-06~", 2023, 6, None, "~", "month"),
        ("2023-11-08?", 2023, 11, 8, "?", "day"),
        ("0001", 1, None, None, "", "year"),
        ("9999-12-31", 9999, 12, 31, "", "day"),
    ],
)
def test_parses_a_point(text: str, year: int, month: int | None, day: int | None,
                        qualifier: str, precision: str) -> None:
    date = parse_edtf(text)
    assert date == EdtfDate.of(text, DatePoint(year, month, day, qualifier))  # type: ignore[arg-type]
    assert date.start.precision == precision
    assert date.end is None and not date.is_interval
    assert str(date) == date.text == text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021-01/2021-04", DatePoint(2021, 1), DatePoint(2021, 4)),
        ("2023-10/2023-12", DatePoint(2023, 10), DatePoint(2023, 12)),
        ("2019-08/2021", DatePoint(2019, 8), DatePoint(2021)),
        ("2021-01~/2021-04?", DatePoint(2021, 1, None, "~"), DatePoint(2021, 4, None, "?")),
        ("2023-05-16/2023-05-16", DatePoint(2023, 5, 16), DatePoint(2023, 5, 16)),
        ("2023/2023-06", DatePoint(2023), DatePoint(2023, 6)),
    ],
)
def test_parses_an_interval(text: str, start: DatePoint, end: DatePoint) -> None:
    date = parse_edtf(text)
    assert (date.start, date.end) == (start, end)
    assert date.is_interval


# ---------------------------------------------------------------------------------------------
# Rejection: every message quotes the text on one line and says what is expected

SHAPE = "expected YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~ or ?, or an interval A/B"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f'"" is not a date; {SHAPE}'),
        ("23", f'"23" is not a date; {SHAPE}'),
        ("June 2023", f'"June 2023" is not a date; {SHAPE}'),
        ("2023-6", f'"2023-6" is not a date; {SHAPE}'),
        ("2023-06-8", f'"2023-06-8" is not a date; {SHAPE}'),
        ("2023/06/08", f'"2023/06/08" is not a date; {SHAPE}'),
        ("2023/", f'"2023/" is not a date; {SHAPE}'),
        ("/2023", f'"/2023" is not a date; {SHAPE}'),
        ("2021/2022/2023", f'"2021/2022/2023" is not a date; {SHAPE}'),
        ("2023~?", f'"2023~?" is not a date; {SHAPE}'),
        ("~2023", f'"~2023" is not a date; {SHAPE}'),
        (" 2023", f'" 2023" is not a date; {SHAPE}'),
        ("2023\n", f'"2023\\n" is not a date; {SHAPE}'),
        ("2023-06-08T10:00", f'"2023-06-08T10:00" is not a date; {SHAPE}'),
        ("+2023", f'"+2023" is not a date; {SHAPE}'),
        ("12023", f'"12023" is not a date; {SHAPE}'),
        ("2023-1-01", f'"2023-1-01" is not a date; {SHAPE}'),
        ("\uff12\uff10\uff12\uff13", f'"\\uff12\\uff10\\uff12\\uff13" is not a date; {SHAPE}'),
        ("\u0662\u0660\u0662\u0663", f'"\\u0662\\u0660\\u0662\\u0663" is not a date; {SHAPE}'),
        ("0000", '"0000" is not a date: there is no year 0; expected a year from 0001'),
        ("2023-13", '"2023-13" is not a date: there is no month 13; expected 01..12'),
        ("2023-00", '"2023-00" is not a date: there is no month 00; expected 01..12'),
        ("2023-02-30", '"2023-02-30" is not a date: Feb 2023 has no day 30; expected 01..28'),
        ("2023-02-29", '"2023-02-29" is not a date: Feb 2023 has no day 29; expected 01..28'),
        ("1900-02-29", '"1900-02-29" is not a date: Feb 1900 has no day 29; expected 01..28'),
        ("2023-04-31", '"2023-04-31" is not a date: Apr 2023 has no day 31; expected 01..30'),
        ("2023-01-32", '"2023-01-32" is not a date: Jan 2023 has no day 32; expected 01..31'),
        ("2023-01-00", '"2023-01-00" is not a date: Jan 2023 has no day 00; expected 01..31'),
        ("2023-13/2024", '"2023-13/2024" is not a date: there is no month 13; expected 01..12'),
        ("2023/2023-02-30",
         '"2023/2023-02-30" is not a date: Feb 2023 has no day 30; expected 01..28'),
        ("2023-12/2023-01", '"2023-12/2023-01" is not a date: the interval ends before it '
         "starts; expected the earlier date first"),
        ("2024/2023", '"2024/2023" is not a date: the interval ends before it starts; '
         "expected the earlier date first"),
        ("2023-05-16/2023-05-15", '"2023-05-16/2023-05-15" is not a date: the interval ends '
         "before it starts; expected the earlier date first"),
    ],
)
def test_rejects_with_a_message(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf(text)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_leap_days_exist_in_leap_years() -> None:
    assert parse_edtf("2024-02-29").start.upper == D(2024, 2, 29)
    assert parse_edtf("2000-02-29").start.lower == D(2000, 2, 29)


def test_a_long_or_hostile_text_gives_a_short_one_line_message() -> None:
    with pytest.raises(DateError) as caught:
        parse_edtf("2023\x1b[2J" + "9" * 1_000_000 + "\n")
    message = str(caught.value)
    assert len(message) < 200
    assert "\x1b" not in message and "\n" not in message
    assert message.startswith('"2023\\x1b[2J999')


def test_rejects_a_non_string() -> None:
    with pytest.raises(DateError, match="is not a date string"):
        parse_edtf(2023)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Intervals


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("2023~", D(2023, 1, 1), D(2023, 12, 31)),
        ("2023-06", D(2023, 6, 1), D(2023, 6, 30)),
        ("2023-01", D(2023, 1, 1), D(2023, 1, 31)),
        ("2023-04", D(2023, 4, 1), D(2023, 4, 30)),
        ("2023-12", D(2023, 12, 1), D(2023, 12, 31)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2000-02", D(2000, 2, 1), D(2000, 2, 29)),
        ("1900-02", D(1900, 2, 1), D(1900, 2, 28)),
        ("2023-11-08", D(2023, 11, 8), D(2023, 11, 8)),
        ("2023-11-08?", D(2023, 11, 8), D(2023, 11, 8)),
        ("2021-01/2021-04", D(2021, 1, 1), D(2021, 4, 30)),
        ("2023-10/2023-12", D(2023, 10, 1), D(2023, 12, 31)),
        ("2019-08/2021", D(2019, 8, 1), D(2021, 12, 31)),
        ("2024-01/2024-02", D(2024, 1, 1), D(2024, 2, 29)),
        ("2023-05-20/2023-05", D(2023, 5, 20), D(2023, 5, 31)),
    ],
)
def test_interval_bounds(text: str, lower: dt.date, upper: dt.date) -> None:
    date = parse_edtf(text)
    assert (date.lower, date.upper) == (lower, upper)


def test_point_bounds_directly() -> None:
    assert DatePoint(2023, 2).upper == D(2023, 2, 28)
    assert DatePoint(2024, 2).upper == D(2024, 2, 29)
    assert DatePoint(2023).lower == D(2023, 1, 1)


# ---------------------------------------------------------------------------------------------
# Display


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2023-11-08", "8 Nov 2023"),
        ("2023-01-31", "31 Jan 2023"),
        ("2023-06", "Jun 2023"),
        ("2023-09", "Sep 2023"),
        ("2023", "2023"),
        ("2023~", "c. 2023"),
        ("2023?", "2023?"),
        ("2023-06~", "c. Jun 2023"),
        ("2023-11-08?", "8 Nov 2023?"),
        ("2023-10/2023-12", "Q4 2023"),
        ("2023-01/2023-03", "Q1 2023"),
        ("2023-04/2023-06", "Q2 2023"),
        ("2023-07/2023-09", "Q3 2023"),
        ("2021-01/2021-04", "Jan–Apr 2021"),
        ("2023-02/2023-04", "Feb–Apr 2023"),
        ("2023-10~/2023-12", "c. Q4 2023"),
        ("2021-01/2021-04?", "Jan–Apr 2021?"),
        ("2023-05-16/2023-05-18", "16–18 May 2023"),
        ("2021/2023", "2021–2023"),
        ("2019-08/2021", "Aug 2019 – 2021"),
        ("2022-11/2023-02", "Nov 2022 – Feb 2023"),
        ("2023-05-30/2023-06-02", "30 May 2023 – 2 Jun 2023"),
        # An interval from a month, day or year to itself reads as that one date.
        ("2023-01/2023-01", "Jan 2023"),
        ("2023-05-16/2023-05-16", "16 May 2023"),
        ("2023/2023", "2023"),
        ("2023-01~/2023-01", "c. Jan 2023"),
    ],
)
def test_display(text: str, shown: str) -> None:
    assert parse_edtf(text).display() == shown


def test_days_in_month_agrees_with_the_calendar_module() -> None:
    import calendar

    from policyterm.core.dates import days_in_month

    for year in (1, 4, 100, 1900, 2000, 2023, 2024, 9999):
        for month in range(1, 13):
            assert days_in_month(year, month) == calendar.monthrange(year, month)[1]
