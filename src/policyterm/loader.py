"""Read a format-v1 model file into a `Model`, or report every problem in it at once.

Pure Python: no textual, no rich. The TOML parser is tomli on every Python version.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import math
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from types import SimpleNamespace
from typing import Any, Protocol

import tomli

from policyterm.dates import DateError, EdtfDate, parse_edtf
from policyterm.model import (
    Article,
    Entity,
    EntityKind,
    Event,
    EventType,
    Figure,
    Model,
    Relationship,
    Theme,
    Trend,
)

# A model of a long article is well under 1 MiB and 20,000 events are ~10 MiB; beyond this
# a file is more likely a mistake than a model, and parsing it would stall the terminal.
MAX_FILE_BYTES = 16 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that hide or reorder text on a terminal: bidi embeddings, overrides, isolates
# and marks, zero-width spaces, invisible operators and line/paragraph separators. (Zero-width
# joiner and non-joiner stay allowed: Urdu, Persian and emoji sequences need them.)
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff]")
# What a file name may not show raw: a control or invisible character, or a byte that was
# not UTF-8 (decoded by the OS as a lone surrogate).
_UNSAFE_IN_NAME = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\ud800-\\udfff]|{_INVISIBLE.pattern}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_QID = re.compile(r"Q[1-9][0-9]*")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
_LONG_DIGITS = re.compile(r"[0-9][0-9_]{4000,}")
# TOML integers are 64-bit; tomli reads any size, and Python cannot print one of >4300 digits.
_INT64 = range(-(2**63), 2**63)

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model file, with where it is."""

    file: str
    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}: {self.message}"
        if self.path:
            return f"{self.file}: {self.path}: {self.message}"
        return f"{self.file}: {self.message}"


class ModelError(Exception):
    """A model file that could not be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


class UnreadableModel(ModelError):
    """The file itself could not be read (missing, a directory or FIFO, no permission, too
    large, an OS error): a problem with the path, not with the model data in it."""


# ---------------------------------------------------------------------------------------------
# Reading bytes and parsing TOML


def load_model(path: str | os.PathLike[str]) -> Model:
    """Load a model file, raising ModelError with every problem found."""
    name = display_name(path)
    with paused_gc():
        return parse_bytes(read_model_bytes(path), name)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the previous setting comes back after.

    Loading allocates about a million containers (the TOML document, then the model) and
    none of them is garbage until the load ends, yet each collection rescans the survivors:
    at 20,000 events load_model took 1185 ms with the collector on and 950 ms with it off.
    Reference counting still frees what dies meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _preview(head: dict[str, Any], name: str) -> Model | None:
    """The head's model, if it is a valid one with something to show (a relationship)."""
    try:
        model = parse_document(head, name)
    except ModelError:
        return None
    return model if model.relationships else None


def display_name(path: str | os.PathLike[str]) -> str:
    """The path as messages and the app show it: a control or invisible character in a file
    name (a newline, an escape sequence, a bidi override) shows escaped, as `\\n`, `\\x1b`."""
    return _UNSAFE_IN_NAME.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                            os.fspath(path))


def read_model_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or an UnreadableModel saying why it cannot be read (never an OSError).

    Only a regular file is read: a FIFO, device or socket is refused without opening it for a
    blocking read (opening a FIFO waits for a writer; reading a device may never end)."""
    name = display_name(path)

    def refuse(message: str) -> UnreadableModel:
        return UnreadableModel([Problem(name, message)])

    try:
        _check_regular(os.stat(path), refuse)
        # O_NONBLOCK: were the path swapped for a FIFO since the stat, open does not wait for
        # a writer; fstat then checks what was actually opened.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with open(descriptor, "rb") as handle:
            _check_regular(os.fstat(descriptor), refuse)
            # Read one byte past the limit: a file that grows or lies about its size still stops.
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise refuse("no such file; expected a path to a model file") from None
    except PermissionError:
        raise refuse("permission denied; expected a readable file") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise refuse(f"cannot be read ({reason}); expected a readable model file") from None
    except ValueError:  # os.stat refuses a path holding a NUL character
        raise refuse("is not a usable path (it holds a NUL character); "
                     "expected a path to a model file") from None
    if len(data) > MAX_FILE_BYTES:
        raise refuse(f"is larger than {MAX_FILE_BYTES:,} bytes (16 MiB); "
                     "expected a smaller model file")
    return data


_NOT_REGULAR = (
    (stat.S_ISDIR, "is a directory; expected a model file (.toml)"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file; expected a model file (.toml)"),
    (stat.S_ISSOCK, "is a socket, not a regular file; expected a model file (.toml)"),
    (stat.S_ISCHR, "is a character device, not a regular file; expected a model file (.toml)"),
    (stat.S_ISBLK, "is a block device, not a regular file; expected a model file (.toml)"),
)


def _check_regular(status: os.stat_result,
                   refuse: Callable[[str], UnreadableModel]) -> None:
    """Raise unless `status` is a regular file of at most MAX_FILE_BYTES."""
    if not stat.S_ISREG(status.st_mode):
        message = next((text for test, text in _NOT_REGULAR if test(status.st_mode)),
                       "is not a regular file; expected a model file (.toml)")
        raise refuse(message)
    if status.st_size > MAX_FILE_BYTES:
        raise refuse(f"is {status.st_size:,} bytes; expected a model file of at most "
                     f"{MAX_FILE_BYTES:,} bytes (16 MiB)")


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text, or a ModelError naming the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ModelError([Problem(name, "is UTF-16 text; expected UTF-8 (save it as UTF-8)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ModelError(
            [Problem(name, f"byte 0x{data[error.start]:02x} is not valid UTF-8; "
                     "expected UTF-8 text", line=line, column=column)]
        ) from None
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise ModelError([Problem(name, "holds NUL bytes (binary data?); expected UTF-8 text",
                                  line=line, column=column)])
    return text.removeprefix("\ufeff")


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """The TOML document, or a ModelError located at FILE:LINE:COL."""
    if not text.strip():
        raise ModelError([Problem(name, "is empty; expected a format-v1 model "
                                  "(format = 1, entities = [...], [article], ...)")])
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = getattr(error, "msg", str(error))
        if "xpected" not in message:  # most tomli messages say what is wrong, not what is right
            message += "; expected valid TOML, as in docs/example.toml"
        line = getattr(error, "lineno", None)
        column = getattr(error, "colno", None)
        raise ModelError([Problem(name, f"TOML syntax error: {message}",
                                  line=line or 1, column=column or 1)]) from None
    except RecursionError:
        raise ModelError([Problem(name, "arrays or tables are nested too deeply to parse; "
                                  "expected the flat layout of format v1")]) from None
    except ValueError:  # int() refuses the thousands of digits tomli hands it
        digits = _LONG_DIGITS.search(text)
        at = digits.start() if digits else 0
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise ModelError([Problem(name, "TOML syntax error: an integer too long to read; "
                                  "expected a 64-bit integer (at most 19 digits)",
                                  line=line, column=column)]) from None


class LoadCancelled(Exception):
    """parse_bytes stopped between two batches: its `cancelled` said so."""


def _never() -> bool:
    return False


def parse_bytes(data: bytes, name: str,
                on_preview: Callable[[Model], object] | None = None,
                tail: Tail | None = None,
                cancelled: Callable[[], bool] = _never) -> Model:
    """The model in a file's bytes, or ModelError with every problem found.

    A file with [[events]] or [[figures]] tables is parsed in batches (see
    _parse_in_batches), else whole. `on_preview`, if given, gets the model of the part before
    the first of those tables (see preview_bytes) as soon as that part is parsed, if it has
    one to give. `tail`, if given, has the records of the tables from `tail.start` on (see
    tail_records), parsed elsewhere meanwhile; where it has none, they are parsed here.
    `cancelled` is asked before each batch (and before a whole parse): where it says True,
    LoadCancelled is raised (the app quit while a large file loaded).
    """
    head = _split_head(data)
    if head is not None:
        body, head_end = head
        document = _parse_part(body, 0, head_end)
        if document is not None:
            if on_preview is not None and (preview := _preview(document, name)) is not None:
                on_preview(preview)
            if document.keys().isdisjoint(_BULK_SECTIONS):
                model = _parse_in_batches(body, document, head_end, name, tail, cancelled)
                if model is not None:
                    return model
    # The whole text at once: the only way that words syntax and encoding errors.
    if cancelled():
        raise LoadCancelled
    return parse_document(parse_toml(decode_text(data, name), name), name)


PREVIEW_HEAD_BYTES = 1024 * 1024  # a head this size parses in tens of milliseconds


def preview_bytes(data: bytes, name: str, limit: int = PREVIEW_HEAD_BYTES) -> Model | None:
    """A quick model of the part before the first [[events]] or [[figures]] table.

    Format v1 puts entities, themes, the article and (by custom) relationships first, and
    that part is a small fraction of a large file: it parses in milliseconds, so the app can
    show counterparts while the rest loads. None where that part is over `limit` bytes, is
    not a valid model by itself or has no relationship (no counterpart to show); it is never
    a substitute for loading the whole file.
    """
    head = _split_head(data)
    if head is None or head[1] > limit:
        return None
    body, head_end = head
    document = _parse_part(body, 0, head_end)
    if document is None or not document.keys().isdisjoint(_BULK_SECTIONS):
        return None
    return _preview(document, name)


# ---------------------------------------------------------------------------------------------
# Parsing a large file in batches
#
# tomli's document of 20,000 events is ~50 MB, the text it is parsed from ~17 MB: with the
# model, 100 MB alive at once. Parsed a few hundred tables at a time from the bytes, each batch
# checked and turned into records before the next, only the bytes and the model stay.
#
# The result must be exactly that of parsing the whole file, so a batch starts only at an
# [[events]] or [[figures]] header line and everything else falls back to the whole parse:
# - a cut inside a multi-line string or array leaves the batch before it unterminated, and
#   a batch that does not parse (or does not decode) sends the file to the whole parse, whose
#   error message (and its line and column) is then the one shown;
# - the head may not define events or figures itself (`events = [...]`), and a batch may
#   hold nothing but the arrays its headers build: a batch defining any other key ([article]
#   again, entities after the events) or extending a table another batch began
#   ([events.extra] after [[figures]]) is for the whole parse to accept or refuse.

BATCH_BYTES = 256 * 1024  # ~600 tables: the per-batch overhead is lost in the noise
_BULK_SECTIONS = frozenset({"events", "figures"})
_UTF8_BOM = b"\xef\xbb\xbf"
_FIRST_BULK_HEADER = re.compile(rb"^[ \t]*\[\[[ \t]*(?:events|figures)[ \t]*\]\]",
                                re.MULTILINE)
_NEXT_BULK_HEADER = re.compile(rb"\n[ \t]*\[\[[ \t]*(?:events|figures)[ \t]*\]\]")


def _split_head(data: bytes) -> tuple[memoryview, int] | None:
    """The text after any UTF-8 BOM, and where its first [[events]] or [[figures]] header
    starts; None where there is none, or the bytes are not UTF-8 text (decode_text says why).

    The headers are ASCII and newline is one byte in UTF-8, so they are found in the bytes
    exactly where they are in the decoded text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None
    body = memoryview(data)[len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0:]
    match = _FIRST_BULK_HEADER.search(body)
    return None if match is None else (body, match.start())


def _parse_part(body: memoryview, start: int, end: int) -> dict[str, Any] | None:
    """The TOML document of body[start:end]; None where it does not decode or parse."""
    try:
        return tomli.loads(str(body[start:end], "utf-8"))
    except (ValueError, RecursionError):  # TOMLDecodeError and UnicodeDecodeError included
        return None


def _batch_ends(body: memoryview, start: int, stop: int) -> Iterator[int]:
    """Where each batch from `start` on ends: just before the first [[events]] or [[figures]]
    header at least BATCH_BYTES on, or at `stop` (the end, or the start of a tail)."""
    while start < stop:
        header = _NEXT_BULK_HEADER.search(body, start + BATCH_BYTES, stop)
        start = header.start() + 1 if header else stop
        yield start


def _add_batches(builder: _ModelBuilder, body: memoryview, start: int, stop: int,
                 cancelled: Callable[[], bool] = _never) -> bool:
    """Parse and check body[start:stop] a batch at a time into `builder`; False where that
    might not be exactly the whole file's parse (the caller then parses it whole)."""
    for end in _batch_ends(body, start, stop):
        if cancelled():
            raise LoadCancelled
        if not _add_batch(builder, body, start, end):
            return False
        start = end
    return True


def _add_batch(builder: _ModelBuilder, body: memoryview, start: int, end: int) -> bool:
    batch = _parse_part(body, start, end)
    if batch is None or not batch.keys() <= _BULK_SECTIONS:
        return False
    for section, tables in batch.items():
        if type(tables) is not list:  # [events.extra] after [[figures]] and the like
            return False
        builder.add(section, tables)
    return True


def _parse_in_batches(body: memoryview, head: dict[str, Any], head_end: int,
                      name: str, tail: Tail | None = None,
                      cancelled: Callable[[], bool] = _never) -> Model | None:
    """The model of a file whose head is parsed, a batch of tables at a time after it; None
    where that might not be exactly the whole file's parse (the caller then parses it whole).
    """
    builder = _ModelBuilder(name)
    builder.add_document(head)
    if not _add_batches(builder, body, head_end, len(body) if tail is None else tail.start,
                        cancelled):
        return None
    if tail is not None:
        if cancelled():  # not wait for the tail's records either
            raise LoadCancelled
        records = tail.records()
        if records is None:  # a problem, or no records to be had: the whole parse words it
            return None
        for section, items in records.items():
            builder.items[section].extend(items)
    return builder.build()


class Tail(Protocol):
    """The records of a file's tables from `start` on, parsed elsewhere (see tail_parse)."""

    start: int

    def cancel(self) -> None:
        """Stop parsing them, if that is still going on."""
        ...

    def records(self) -> dict[str, list[Any]] | None:
        """tail_records of the file from `start`, waiting for them; None where there are none
        to be had (a problem in them, or the parse failed)."""
        ...


def tail_start(data: bytes, share: float) -> int | None:
    """Where a tail holding about `share` of a file's [[events]] and [[figures]] tables would
    start: a header line, after at least one batch of them; None where there is no such
    place (no tables, or too few to share)."""
    head = _split_head(data)
    if head is None:
        return None
    body, head_end = head
    target = max(head_end + BATCH_BYTES, len(body) - int((len(body) - head_end) * share))
    header = _NEXT_BULK_HEADER.search(body, target)
    return None if header is None else header.start() + 1


def tail_records(data: bytes, start: int, name: str) -> Iterator[dict[str, list[Any]] | None]:
    """The records of a file's tables from `start` (see tail_start) to its end, as the whole
    parse makes them, a batch at a time ({"events": [...], "figures": [...]}). None, and no
    more, where a batch has a problem or might not parse as it does in the whole file: the
    whole parse then words what is wrong."""
    head = _split_head(data)
    if head is None:
        yield None
        return
    body = head[0]
    for end in _batch_ends(body, start, len(body)):
        builder = _ModelBuilder(name)
        if not _add_batch(builder, body, start, end) or any(
                check.problems for check in builder.bulk.values()):
            yield None
            return
        yield {section: builder.items[section] for section in ("events", "figures")}
        start = end


# ---------------------------------------------------------------------------------------------
# Checking the document


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def _shown(value: object) -> str:
    """A short rendering of a bad value for an error message, as TOML writes it."""
    if type(value) is str and len(value) <= 40 and value.isascii() and value.isprintable() \
            and '"' not in value and "\\" not in value:
        return f'"{value}"'  # nothing to escape: the common case, for every item's path
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[...]"
    if isinstance(value, dict):
        return "{...}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value not in _INT64:
        return f"an integer of {value.bit_length()} bits"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _key(key: str) -> str:
    """A key as a path shows it: bare if TOML allows it bare, else quoted and escaped."""
    return key if _BARE_KEY.fullmatch(key) else _shown(key)


def _suggest(word: str, choices: list[str]) -> str:
    """' (did you mean "x"?)' for a near miss; nothing for a long word (difflib is slow)."""
    close = difflib.get_close_matches(word, choices, n=1) if len(word) <= 100 else []
    return f' (did you mean "{close[0]}"?)' if close else ""


class _Invalid(Exception):
    """Raised by a field converter; the message says what is wrong and what is expected."""


Converter = Callable[[Any], Any]


# Each converter first tries the common, valid case in as few steps as it can, then takes the
# general path, which alone words the messages: a value either passes the quick test or gets
# exactly the checks (and the message) it always did.


def _text(value: Any) -> str:
    """Text of one or more lines (a summary): no control character but newline and tab, no
    invisible or reordering character."""
    if type(value) is str and value.isprintable():  # the common case: nothing to look for
        return value
    if not isinstance(value, str):
        raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected a string")
    bad = _CONTROL.search(value)
    if bad:
        raise _Invalid(f"holds the control character U+{ord(bad.group()):04X} at position "
                       f"{bad.start()}; expected text with no control characters but newline "
                       "and tab")
    hidden = _INVISIBLE.search(value)
    if hidden:
        raise _Invalid(f"holds the invisible character U+{ord(hidden.group()):04X} at "
                       f"position {hidden.start()}, which can hide or reorder text; expected "
                       "only visible characters (see docs/format.md, Text)")
    return value


def _string(value: Any) -> str:
    """One line of text (names, titles, labels, ids): as _text, and no newline or tab."""
    if type(value) is str and value.isprintable():  # no control, invisible or line break
        return value
    text = _text(value)
    for char, what in (("\n", "a line break"), ("\t", "a tab")):
        if char in text:
            raise _Invalid(f"holds {what} at position {text.index(char)}; expected one line "
                           "(only a summary may have several)")
    return text


def _text_matching(pattern: re.Pattern[str], what: str, expected: str) -> Converter:
    """A string that must match `pattern` in full (ids, Wikidata QIDs)."""

    def convert(value: Any) -> str:
        if type(value) is str and pattern.fullmatch(value):  # no pattern admits a control
            return value
        text = _text(value)  # the pattern says what is wrong with a line break
        if not pattern.fullmatch(text):
            raise _Invalid(f"{_shown(text)} is not {what}; expected {expected}")
        return text

    return convert


_id = _text_matching(_ID, "a valid id", 'a letter or digit, then letters, digits, "-", "_" '
                     'or "." (such as PAK or imf-package)')
_wikidata = _text_matching(_QID, "a Wikidata QID", "Q and a number, such as Q843")


def _integer(value: Any) -> int:
    if type(value) is int and value in _INT64:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected an integer")
    if value not in _INT64:
        raise _Invalid(f"{_shown(value)} is beyond TOML's range; expected a 64-bit integer")
    return value


def _number(value: Any) -> float:
    if type(value) is float and math.isfinite(value):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected a number")
    if isinstance(value, int):
        return _integer(value)
    if not math.isfinite(value):
        raise _Invalid(f"{value!r} is not a finite number; expected a number")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected true or false")
    return value


def _local_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _Invalid(f"{_shown(value)} is {_type_name(value)}; "
                       "expected a TOML local date such as 2023-12-31 (no quotes)")
    return value


def _edtf(value: Any) -> EdtfDate:
    if not isinstance(value, str):
        raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected a date string "
                       'such as "2023", "2023-06", "2023-11-08" or "2021-01/2021-04"')
    try:
        return parse_edtf(value)
    except DateError as error:
        raise _Invalid(str(error)) from None


def _plain_strings(values: list[Any]) -> bool:
    """Every element a string of printable characters (one check for them all)."""
    try:
        joined = "".join(values)
    except TypeError:
        return False
    return joined.isprintable()


def _plain_integers(values: list[Any]) -> bool:
    """Every element a 64-bit integer (not a boolean)."""
    for value in values:  # noqa: SIM110 (a loop: 2.5x quicker than all() for 1-4 items)
        if type(value) is not int or value not in _INT64:
            return False
    return True


@lru_cache(maxsize=4096)
def _shared(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The first of equal tuples seen lately: events repeat their actors, relationships and
    sources (at 20,000 events the model takes 14.8 MiB with them shared, 22.0 without)."""
    return values


def _array_of(item: Converter, what: str) -> Converter:
    plain_checks: dict[Converter, Callable[[list[Any]], bool]] = {
        _string: _plain_strings, _integer: _plain_integers}
    plain = plain_checks.get(item)

    def convert(value: Any) -> tuple[Any, ...]:
        # Fast path for the common, valid case: plain strings (no control characters) or
        # plain integers; anything else takes the item-by-item path and its exact message.
        if type(value) is list and plain is not None and plain(value):
            return _shared(tuple(value))
        if not isinstance(value, list):
            raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected an array of {what}")
        out = []
        for index, element in enumerate(value):
            try:
                out.append(item(element))
            except _Invalid as error:
                raise _Invalid(f"item {index}: {error}") from None
        return tuple(out)

    return convert


def _enum(kind: type[Enum], what: str) -> Converter:
    allowed = [str(member.value) for member in kind]
    by_value = {member.value: member for member in kind}

    def convert(value: Any) -> Enum:
        if type(value) is str and value in by_value:
            return by_value[value]
        if not isinstance(value, str):
            raise _Invalid(f"{_shown(value)} is {_type_name(value)}; expected {what}: "
                           + ", ".join(allowed))
        try:
            return kind(value)
        except ValueError:
            raise _Invalid(f"{_shown(value)} is not {what}; expected one of "
                           + ", ".join(allowed)) from None

    return convert


def _score(value: Any) -> float:
    if (type(value) is int or type(value) is float) and -10 <= value <= 10:  # NaN fails this
        return value
    number = _number(value)
    if not -10 <= number <= 10:
        raise _Invalid(f"{value!r} is out of range; expected a score from -10 to +10")
    return number


def _pair(value: Any) -> tuple[str, ...]:
    sides: tuple[str, ...] = _entity_ids(value)
    if len(sides) != 2:
        count = "1 id" if len(sides) == 1 else f"{len(sides)} ids"
        raise _Invalid(f"has {count}; expected exactly 2 entity ids")
    if sides[0] == sides[1]:
        raise _Invalid(f"names {_shown(sides[0])} twice; expected two different entities")
    return sides


def _non_empty(convert: Converter, what: str) -> Converter:
    def check(value: Any) -> Any:
        result = convert(value)
        if not result:
            raise _Invalid(f"is empty; expected {what}")
        return result

    return check


_strings = _array_of(_string, "strings")
_entity_ids = _array_of(_string, "entity ids")
_ints = _array_of(_integer, "paragraph numbers")
_source = _non_empty(_ints, "at least one paragraph number")


@dataclass(frozen=True)
class _Field:
    convert: Converter
    required: bool = True
    default: Any = None


def _opt(convert: Converter, default: Any = None) -> _Field:
    return _Field(convert, required=False, default=default)


ARTICLE_FIELDS: Mapping[str, _Field] = {
    "title": _Field(_string),
    "standfirst": _opt(_string),
    "published": _Field(_local_date),
    "author": _opt(_string),
    "covers": _Field(_edtf),
    "focus": _Field(_string),
    "paragraphs": _Field(_integer),
}

ENTITY_FIELDS: Mapping[str, _Field] = {
    "id": _Field(_id),
    "kind": _Field(_enum(EntityKind, "an entity kind")),
    "name": _Field(_string),
    "aliases": _opt(_strings, ()),
    "role": _opt(_string),
    "member_of": _opt(_string),
    "members": _opt(_array_of(_string, "entity ids"), ()),
    "wikidata": _opt(_wikidata),
    "source": _Field(_source),
}

THEME_FIELDS: Mapping[str, _Field] = {
    "id": _Field(_id),
    "name": _Field(_string),
    "source": _Field(_source),
}

RELATIONSHIP_FIELDS: Mapping[str, _Field] = {
    "id": _Field(_id),
    "pair": _Field(_pair),
    "trend": _Field(_enum(Trend, "a trend")),
    "headline": _Field(_string),
    "summary": _Field(_text),
    "themes": _opt(_array_of(_string, "theme ids"), ()),
    "source": _Field(_source),
}

EVENT_FIELDS: Mapping[str, _Field] = {
    "id": _Field(_id),
    "date": _Field(_edtf),
    "date_text": _opt(_string),
    "title": _Field(_string),
    "summary": _opt(_text),
    "actors": _Field(_non_empty(_array_of(_string, "entity ids"), "at least one entity id")),
    "recipients": _opt(_array_of(_string, "entity ids"), ()),
    "type": _Field(_enum(EventType, "a PLOVER event type")),
    "mode": _opt(_string),
    "context": _opt(_strings, ()),
    "score": _Field(_score),
    "relationships": _Field(
        _non_empty(_array_of(_string, "relationship ids"), "at least one relationship id")
    ),
    "source": _Field(_source),
}

FIGURE_FIELDS: Mapping[str, _Field] = {
    "id": _Field(_id),
    "value": _Field(_number),
    "unit": _Field(_string),
    "approximate": _opt(_boolean, False),
    "label": _Field(_string),
    "relationships": _opt(_array_of(_string, "relationship ids"), ()),
    "events": _opt(_array_of(_string, "event ids"), ()),
    "source": _Field(_source),
}

TOP_LEVEL_KEYS = ("format", "entities", "themes", "article", "relationships", "events", "figures")


class _Section:
    """A top-level array of tables: its fields, the record each item becomes, its layout."""

    def __init__(self, name: str, spec: Mapping[str, _Field], record: type[Any],
                 inline: bool) -> None:
        self.name = name
        self.spec = spec
        self.record = record
        self.layout = f"{name} = [ {{ ... }}, ... ]" if inline else f"[[{name}]] tables"
        self._keys = frozenset(spec)
        self._required = frozenset(key for key, field in spec.items() if field.required)
        self._defaults = {key: field.default for key, field in spec.items() if not field.required}
        self._converters = {key: field.convert for key, field in spec.items()}

    def plain(self, raw: Any) -> dict[str, Any] | None:
        """The converted values of a table with nothing to report; None for anything else.

        The common case, with no path worked out and nothing to report; every table this
        declines goes to `_Checker.fields`, which words its problems."""
        if type(raw) is not dict or not (raw.keys() <= self._keys
                                         and self._required <= raw.keys()):
            return None
        values = self._defaults.copy()
        converters = self._converters
        try:
            for key, value in raw.items():
                values[key] = converters[key](value)
        except _Invalid:
            return None
        return values


SECTIONS = (
    _Section("entities", ENTITY_FIELDS, Entity, inline=True),
    _Section("themes", THEME_FIELDS, Theme, inline=True),
    _Section("relationships", RELATIONSHIP_FIELDS, Relationship, inline=False),
    _Section("events", EVENT_FIELDS, Event, inline=False),
    _Section("figures", FIGURE_FIELDS, Figure, inline=False),
)
_SECTION = {section.name: section for section in SECTIONS}


class _Rejected(SimpleNamespace):
    """An item with a problem: its values (None where one was wrong) under their field names,
    and its path. References are checked in it as in a record; no model ever holds it."""

    path: str


class _Checker:
    """Collects problems while walking a parsed document."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def report(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, path=path))

    def fields(self, raw: Any, path: str, spec: Mapping[str, _Field],
               what: str) -> dict[str, Any] | None:
        """Convert one table by its field spec; None if it is not a table at all."""
        if not isinstance(raw, dict):
            self.report(path, f"{_shown(raw)} is {_type_name(raw)}; expected {what}")
            return None
        if not raw.keys() <= spec.keys():
            for key in raw:
                if key not in spec:
                    self.report(f"{path}.{_key(key)}", "unknown key" + _suggest(key, list(spec))
                                + "; expected one of " + ", ".join(spec))
        values: dict[str, Any] = {}
        for key, field in spec.items():
            if key not in raw:
                if field.required:
                    self.report(f"{path}.{key}", "is missing; this key is required")
                values[key] = field.default
                continue
            try:
                values[key] = field.convert(raw[key])
            except _Invalid as error:
                self.report(f"{path}.{key}", str(error))
                values[key] = None
        return values

    def items(self, section: _Section, raw: list[Any], out: list[Any]) -> None:
        """Convert each table of a top-level array onto `out`, which holds those before it.

        Each becomes its record; one with a problem becomes `_Rejected`; one that is no
        table at all, None. Its index in `out` is its index in the file."""
        for item in raw:
            values = section.plain(item)
            if values is not None:
                out.append(section.record(**values))
                continue
            path = f"{section.name}[{len(out)}]"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                path += f" (id {_shown(item['id'])})"
            before = len(self.problems)
            values = self.fields(item, path, section.spec, "a table")
            if values is None:
                out.append(None)
            elif len(self.problems) > before:
                out.append(_Rejected(path=path, **values))
            else:
                out.append(section.record(**values))


class _ModelBuilder:
    """Checks a document's parts as they come, then builds the model from them.

    The parts are the whole document (parse_document), or its head and then its [[events]]
    and [[figures]] tables a batch at a time (parse_bytes). Either way the problems come in
    the same order: the head's (keys, format, article, entities, themes, relationships), the
    events', the figures', then the references'.
    """

    def __init__(self, name: str) -> None:
        self.file = name
        self.head = _Checker(name)
        self.bulk = {"events": _Checker(name), "figures": _Checker(name)}
        self.article: dict[str, Any] | None = None
        self.items: dict[str, list[Any]] = {section.name: [] for section in SECTIONS}

    def add_document(self, doc: dict[str, Any]) -> None:
        """The top-level checks, and every array of tables the document holds."""
        check = self.head
        for key in doc:
            if key not in TOP_LEVEL_KEYS:
                check.report(_key(key), "unknown key" + _suggest(key, list(TOP_LEVEL_KEYS))
                             + "; expected one of " + ", ".join(TOP_LEVEL_KEYS))
        if "format" not in doc:
            check.report("format",
                         f"is missing; expected format = {FORMAT_VERSION} as the first key")
        elif (isinstance(doc["format"], bool) or not isinstance(doc["format"], int)
              or doc["format"] != FORMAT_VERSION):
            check.report("format", f"{_shown(doc['format'])} is not a supported format; "
                         f"expected format = {FORMAT_VERSION}")

        if "article" not in doc:
            check.report("article", "is missing; expected an [article] table")
        else:
            self.article = check.fields(doc["article"], "article", ARTICLE_FIELDS,
                                        "an [article] table")
            if isinstance(doc["article"], dict):
                for misplaced in ("entities", "themes"):
                    if misplaced in doc["article"]:
                        check.report(f"article.{misplaced}",
                                     f"{misplaced} belongs at the top level; "
                                     "expected it before the first [table] header")
        if "entities" not in doc:
            check.report("entities", "is missing; expected entities = [ ... ] before [article]")

        for section in SECTIONS:
            raw = doc.get(section.name, [])
            if isinstance(raw, list):
                self.add(section.name, raw)
            else:
                self.bulk.get(section.name, check).report(
                    section.name,
                    f"is {_type_name(raw)}; expected an array of tables ({section.layout})")

    def add(self, name: str, tables: list[Any]) -> None:
        """More tables of one top-level array, after those already added."""
        self.bulk.get(name, self.head).items(_SECTION[name], tables, self.items[name])

    def build(self) -> Model:
        """The model, or ModelError with every problem found."""
        references = _Checker(self.file)
        _check_references(references, self.article, self.items)
        problems = [*self.head.problems, *self.bulk["events"].problems,
                    *self.bulk["figures"].problems, *references.problems]
        if problems:
            raise ModelError(problems)
        assert self.article is not None
        items = self.items
        return Model(
            article=Article(**self.article),
            entities=tuple(items["entities"]),
            themes=tuple(items["themes"]),
            relationships=tuple(items["relationships"]),
            events=_in_format_order(items["events"]),
            figures=tuple(items["figures"]),
        )


def parse_document(doc: dict[str, Any], name: str) -> Model:
    """Check a parsed TOML document against format v1 and build the model."""
    builder = _ModelBuilder(name)
    builder.add_document(doc)
    return builder.build()


def _in_format_order(events: list[Event]) -> tuple[Event, ...]:
    """Events by Event.sort_key (interval start, end, id), each date string's bounds worked
    out once: they are most of the cost of a sort, and a large model repeats its dates."""
    bounds: dict[str, int] = {}

    def key(event: Event) -> tuple[int, str]:
        date = event.date
        span = bounds.get(date.text)
        if span is None:
            # One integer orders as (start, end) does: an ordinal is below 2**22 (year 9999).
            span = bounds[date.text] = (date.lower.toordinal() << 22) + date.upper.toordinal()
        return span, event.id

    return tuple(sorted(events, key=key))


def _item_path(section: str, index: int, item: Any) -> str:
    """An item's path in messages, as `_Checker.items` writes it (only wanted for a problem)."""
    if isinstance(item, _Rejected):
        return item.path
    return f"{section}[{index}] (id {_shown(item.id)})"


# Where each section refers to other items: (field, kind of item referred to).
_REFERENCES = {
    "entities": (("member_of", "entity"), ("members", "entity")),
    "themes": (),
    "relationships": (("pair", "entity"), ("themes", "theme")),
    "events": (("actors", "entity"), ("recipients", "entity"),
               ("relationships", "relationship")),
    "figures": (("relationships", "relationship"), ("events", "event")),
}


def _check_references(check: _Checker, article: dict[str, Any] | None,
                      items: dict[str, list[Any]]) -> None:
    """Ids unique across the file, every reference resolves, citations within the article."""
    every_id = [item.id for section_items in items.values() for item in section_items
                 if item is not None]
    unique = len(set(every_id)) == len(every_id)  # the common case: nothing to report
    first_use: dict[str, tuple[str, int]] = {}
    for section, section_items in items.items():
        if unique:
            break
        for index, item in enumerate(section_items):
            if item is None or item.id is None:
                continue
            ident = item.id
            if ident in first_use:
                first, at = first_use[ident]
                check.report(f"{_item_path(section, index, item)}.id",
                             f"{_shown(ident)} is already the id of {first}[{at}]; "
                             "expected ids unique across the file")
            else:
                first_use[ident] = (section, index)

    ids = {kind: {item.id for item in items[section] if item is not None}
           for kind, section in (("entity", "entities"), ("theme", "themes"),
                                 ("relationship", "relationships"), ("event", "events"))}

    def unknown(path: str, kind: str, refs: tuple[str, ...]) -> None:
        for ref in refs:
            if ref not in ids[kind]:
                hint = _suggest(ref, [i for i in ids[kind] if i])
                article_word = "an" if kind[0] in "aeiou" else "a"
                check.report(path, f"{_shown(ref)} is not the id of any {kind}{hint}; "
                             f"expected {article_word} {kind} id defined in this file")

    paragraphs = article["paragraphs"] if article else None
    if article is not None:
        if article["focus"] is not None:
            unknown("article.focus", "entity", (article["focus"],))
        if paragraphs is not None and paragraphs < 1:
            check.report("article.paragraphs", f"{paragraphs} is too small; "
                         "expected the number of paragraphs, at least 1")
            paragraphs = None

    for section, section_items in items.items():
        if _all_resolve(section_items, _SECTION[section].record, _REFERENCES[section], ids):
            continue
        for index, item in enumerate(section_items):
            if item is None:
                continue
            for field, kind in _REFERENCES[section]:
                refs = getattr(item, field)
                if refs is None:
                    continue
                if isinstance(refs, str):
                    refs = (refs,)
                if not ids[kind].issuperset(refs):  # the path is only worked out for a problem
                    unknown(f"{_item_path(section, index, item)}.{field}", kind, refs)

    if paragraphs is None or not isinstance(paragraphs, int):
        return
    for section, section_items in items.items():
        if _all_cited_within(section_items, _SECTION[section].record, paragraphs):
            continue
        for index, item in enumerate(section_items):
            source = item.source if item is not None else None
            if not source or (min(source) >= 1 and max(source) <= paragraphs):
                continue
            for number in source:
                if not 1 <= number <= paragraphs:
                    check.report(f"{_item_path(section, index, item)}.source",
                                 f"cites paragraph {number}; expected a paragraph "
                                 f"number from 1 to {paragraphs} (article.paragraphs)")


# The common case, checked for a whole section at once: every item a record (no problems so
# far), and nothing to report. Only then are the item-by-item checks above skipped.


def _all_resolve(section_items: list[Any], record: type[Any],
                 references: tuple[tuple[str, str], ...], ids: dict[str, set[str | None]]) -> bool:
    if not set(map(type, section_items)) <= {record}:
        return False
    for field, kind in references:
        values = map(attrgetter(field), section_items)
        # member_of is one id or None; the others are tuples of ids.
        refs = filter(None, values) if field == "member_of" else chain.from_iterable(values)
        if not ids[kind].issuperset(refs):
            return False
    return True


def _all_cited_within(section_items: list[Any], record: type[Any], paragraphs: int) -> bool:
    if not set(map(type, section_items)) <= {record}:
        return False
    numbers = list(chain.from_iterable(map(attrgetter("source"), section_items)))
    return not numbers or (min(numbers) >= 1 and max(numbers) <= paragraphs)
