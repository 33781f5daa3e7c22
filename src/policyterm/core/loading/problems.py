"""What is wrong with a model file and where, and how messages show file names and values.

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Iterable
from typing import NamedTuple

from policyterm.core.dates import quoted

# A hostile file can hold millions of mistakes; listing them all would flood the terminal
# and keep every message in memory.
MAX_PROBLEMS = 1000

# Characters that hide or reorder text on a terminal: bidi embeddings, overrides, isolates
# and marks, zero-width spaces, invisible operators and line/paragraph separators. (Zero-width
# joiner and non-joiner stay allowed: Urdu, Persian and emoji sequences need them.)
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x061C, 0x061C), (0x200B, 0x200B), (0x200E, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x2069), (0xFEFF, 0xFEFF),
)
# Control characters (C0, DEL and C1) other than tab and newline.
CONTROL_RANGES: tuple[tuple[int, int], ...] = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F))


def character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The body of a regex character class matching `ranges`, in \\uXXXX escapes that both
    Python's re and JSON Schema's ECMA-262 patterns read."""
    return "".join(f"\\u{low:04X}" if low == high else f"\\u{low:04X}-\\u{high:04X}"
                   for low, high in ranges)


# What a file name may not show raw: a control or invisible character (tab and newline
# included), or a byte that was not UTF-8 (decoded by the OS as a lone surrogate).
_UNSAFE_IN_NAME = re.compile(
    f"[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff{character_class(INVISIBLE_RANGES)}]")


def display_name(path: str | os.PathLike[str]) -> str:
    """The path as messages and the app show it: a control or invisible character in a file
    name (a newline, an escape sequence, a bidi override) shows escaped, as `\\n`, `\\x1b`."""
    return _UNSAFE_IN_NAME.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                               os.fspath(path))


def lines_and_columns(text: str, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """The 1-based line and column (in characters) of the character at each offset in `text`.

    The text is read once, however many offsets there are: a file with a thousand problems
    must not be counted through a thousand times."""
    found: dict[int, tuple[int, int]] = {}
    line, line_start, counted_to = 1, 0, 0
    for offset in sorted(set(offsets)):
        newlines = text.count("\n", counted_to, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted_to, offset) + 1
        counted_to = offset
        found[offset] = (line, offset - line_start + 1)
    return found


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `offset` in `text`."""
    return lines_and_columns(text, (offset,))[offset]


class Place(NamedTuple):
    """Where in the parsed document a problem is: the keys and array indexes down to the
    value (`("events", 28, "score")`). `at_key` points at the key itself rather than its
    value (an unknown key). A missing key's place is the table that lacks it."""

    keys: tuple[str | int, ...]
    at_key: bool = False


class Problem(NamedTuple):
    """One thing wrong with a model file, with where it is: `path` as messages show it,
    `place` in the document, and the line and column once the text has been searched."""

    file: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    place: Place | None = None

    def __str__(self) -> str:
        what = f"{self.path}: {self.message}" if self.path else self.message
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}: {what}"
        return f"{self.file}: {what}"

    def at(self, line: int, column: int) -> Problem:
        return self._replace(line=line, column=column)


class ModelError(Exception):
    """A model file that could not be loaded; `problems` lists every reason. `stopped` says
    the last problem is the note that checking stopped at MAX_PROBLEMS."""

    def __init__(self, problems: list[Problem], stopped: bool = False) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)
        self.stopped = stopped


class UnreadableModel(ModelError):
    """The file itself could not be read (missing, a directory, not a regular file, too large,
    no permission): a problem with the path, not with the data in it."""


class TooManyProblems(Exception):
    """Raised by Problems.report past MAX_PROBLEMS: checking stops there."""


class Problems:
    """The problems found in one file, in the order found, up to MAX_PROBLEMS.

    Past that, checking stops: counting every mistake of a hostile file (millions of empty
    tables) would cost far more time than parsing it, and nobody reads that far."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Problem] = []
        self.stopped = False

    def report(self, path: str, message: str, place: Place | None = None) -> None:
        if len(self.found) >= MAX_PROBLEMS:
            self.stopped = True
            raise TooManyProblems
        self.found.append(Problem(self.file, message, path=path, place=place))

    def raise_if_any(self) -> None:
        """ModelError listing what was found, and saying so if checking stopped early."""
        if not self.found:
            return
        listed = list(self.found)
        if self.stopped:
            listed.append(stopped_note(self.file))
        raise ModelError(listed, stopped=self.stopped)


def stopped_note(file: str) -> Problem:
    """The last line of a list of problems cut at MAX_PROBLEMS."""
    return Problem(file, f"more problems not listed: checking stopped after the first "
                   f"{MAX_PROBLEMS:,}; expected at most {MAX_PROBLEMS:,} (correct these "
                   "and check again)")


# ---------------------------------------------------------------------------------------------
# Values as messages show them

INT64 = range(-(2**63), 2**63)  # TOML integers are 64-bit; tomli reads any size
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


# The first that fits: a boolean is an int, and a date-time a date, to Python.
_TYPE_NAMES = ((bool, "a boolean"), (int, "an integer"), (float, "a float"), (str, "a string"),
               (list, "an array"), (dict, "a table"), (dt.datetime, "a date-time"),
               (dt.time, "a time"), (dt.date, "a date"))


def type_name(value: object) -> str:
    """What a parsed TOML value is, as a message says it: "an integer", "a table"."""
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)),
                type(value).__name__)


def shown(value: object) -> str:
    """A bad value as a one-line message shows it, as TOML writes it: escaped, and cut short
    (a hostile value may be megabytes long, or an integer Python cannot print)."""
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, list):
        return "[...]"
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 128:  # past 38 digits: how many
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def shown_key(key: str) -> str:
    """A key as a path shows it: bare if TOML allows it bare, else quoted and escaped."""
    return key if _BARE_KEY.fullmatch(key) else shown(key)
