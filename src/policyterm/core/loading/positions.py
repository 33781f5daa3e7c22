"""Where keys and values are in a model's TOML text, to give its problems a line and column.

tomli returns values without positions, so when a file has problems its text is scanned a
second time, here, for the places those problems name. The scanner knows only the shapes a
TOML file that tomli has already accepted can take: top-level keys, `[table]` and
`[[array.of.tables]]` headers, dotted keys, arrays and inline tables. Whatever it does not
understand ends the scan: a problem it has not placed by then keeps its path and no line,
which is better than a wrong line. A good file is never scanned.

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import tomli

from policyterm.core.loading.problems import ModelError, Place, Problem, lines_and_columns

Keys = tuple[str | int, ...]

_TOKEN = re.compile(
    r"""
    (?P<skip>[ \t\r\n]+|\#[^\n]*)
  | (?P<string>"{3}(?:\\.|[^\\])*?"{3,5}|'{3}.*?'{3,5}|"(?:\\.|[^"\\\n])*"|'[^'\n]*')
  | (?P<datetime>\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}[0-9:.+\-Zz]*)  # may hold a space
  | (?P<bare>[A-Za-z0-9_+.:\-]+)  # keys (dotted ones whole), numbers, dates, booleans
  | (?P<punct>[\[\]{}=,])
    """,
    re.VERBOSE | re.DOTALL,
)


class _Lost(Exception):
    """The text holds something the scanner does not understand: stop, place nothing more."""


class _Tokens:
    """The significant tokens of the text as (kind, start, end), with one token of look-ahead."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._matches = _TOKEN.finditer(text)
        self._expected_at = 0
        self._next: tuple[str, int, int] | None = self._read()

    def _read(self) -> tuple[str, int, int] | None:
        for match in self._matches:
            if match.start() != self._expected_at:  # a character no pattern matches
                raise _Lost
            self._expected_at = match.end()
            kind = match.lastgroup or ""
            if kind != "skip":
                return kind, match.start(), match.end()
        if self._expected_at != len(self.text):
            raise _Lost
        return None

    def peek(self) -> tuple[str, int, int] | None:
        return self._next

    def take(self) -> tuple[str, int, int]:
        token = self._next
        if token is None:
            raise _Lost
        self._next = self._read()
        return token

    def is_next(self, punctuation: str) -> bool:
        token = self._next
        return token is not None and self.text[token[1]:token[2]] == punctuation

    def expect(self, punctuation: str) -> tuple[str, int, int]:
        token = self.take()
        if self.text[token[1]:token[2]] != punctuation:
            raise _Lost
        return token


class _Scan:
    """Offsets of the keys and values a set of wanted places names."""

    def __init__(self, text: str, wanted: set[Keys]) -> None:
        self.text = text
        self.tokens = _Tokens(text)
        self.wanted = wanted
        self.keys: dict[Keys, int] = {}
        self.values: dict[Keys, tuple[int, int]] = {}
        # How many tables each [[array]] has had so far, by the array's keys.
        self.array_lengths: dict[Keys, int] = {}

    def run(self) -> None:
        table: Keys = ()
        while self.tokens.peek() is not None:
            if self.tokens.is_next("["):
                table = self._header()
            else:
                keys = self._dotted_key(table)
                self.tokens.expect("=")
                self._value(keys)

    # Keys and headers

    def _key_parts(self) -> list[tuple[str, int]]:
        """A dotted key up to `=` or `]`: each part with its offset."""
        parts: list[tuple[str, int]] = []
        while True:
            token = self.tokens.peek()
            if token is None:
                raise _Lost
            kind, start, end = token
            if kind == "string":
                parts.append((_unquote(self.text[start:end]), start))
            elif kind == "bare":
                offset = start
                for piece in self.text[start:end].split("."):
                    if piece:
                        parts.append((piece, offset))
                    offset += len(piece) + 1
            else:
                break
            self.tokens.take()
        if not parts:
            raise _Lost
        return parts

    def _dotted_key(self, table: Keys) -> Keys:
        """The keys of a `key = value` line inside `table`; records where each part is."""
        keys = table
        parts = self._key_parts()
        for number, (name, offset) in enumerate(parts):
            keys = (*keys, name)
            self._place_key(keys, offset)
            if number < len(parts) - 1:
                # An implicit table (`a` in `a.b = 1`) has no value of its own: its key stands in.
                self._place_value(keys, offset, offset + len(name))
        return keys

    def _header(self) -> Keys:
        """Reads `[a.b]` or `[[a.b]]`; the keys of the table it opens."""
        _, start, end = self.tokens.expect("[")
        next_token = self.tokens.peek()
        is_array = next_token is not None and next_token[1] == end and self.tokens.is_next("[")
        if is_array:
            self.tokens.take()
        parts = self._key_parts()
        keys: Keys = ()
        for number, (name, offset) in enumerate(parts):
            keys = (*keys, name)
            self._place_key(keys, offset)
            is_last = number == len(parts) - 1
            if not is_last:
                self._place_value(keys, offset, offset + len(name))
            if keys in self.array_lengths and not (is_last and is_array):
                keys = (*keys, self.array_lengths[keys] - 1)  # into its latest table
        _, _, close = self.tokens.expect("]")
        if is_array:
            _, second, after_second = self.tokens.expect("]")
            if second != close:  # `]]` closes an array header; `] ]` is not TOML
                raise _Lost
            close = after_second
            self._place_value(keys, start, close)
            index = self.array_lengths.get(keys, 0)
            self.array_lengths[keys] = index + 1
            keys = (*keys, index)
        self._place_value(keys, start, close)
        return keys

    # Values

    def _value(self, keys: Keys) -> None:
        """Reads one value, arrays and inline tables included, without recursion (tomli has
        accepted the nesting, but this module must not run out of stack where it did not)."""
        # Each open array or inline table: its closing character, keys, and next index.
        open_: list[tuple[str, Keys, list[int]]] = []
        while True:
            kind, start, end = self.tokens.take()
            opening = self.text[start:end]
            if kind in ("string", "bare", "datetime"):
                self._place_value(keys, start, end)
            elif opening in ("[", "{"):
                self._place_value(keys, start, end)
                closer = "]" if opening == "[" else "}"
                if self.tokens.is_next(closer):
                    self._close(keys, self.tokens.take()[2])
                else:
                    open_.append((closer, keys, [0]))
                    keys = self._next_in(open_[-1])
                    continue
            else:
                raise _Lost
            # The value is complete: close what ends after it, or go on to the next item.
            while open_:
                closer, container, index = open_[-1]
                _, separator_start, separator_end = self.tokens.take()
                separator = self.text[separator_start:separator_end]
                if separator == "," and not self.tokens.is_next(closer):
                    index[0] += 1
                    keys = self._next_in(open_[-1])
                    break
                if separator == ",":
                    separator_end = self.tokens.take()[2]
                elif separator != closer:
                    raise _Lost
                self._close(container, separator_end)
                open_.pop()
            else:
                return

    def _next_in(self, container: tuple[str, Keys, list[int]]) -> Keys:
        """The keys of the next value in an open array (by index) or inline table (by key)."""
        closer, keys, index = container
        if closer == "]":
            return (*keys, index[0])
        keys = self._dotted_key(keys)
        self.tokens.expect("=")
        return keys

    # Recording

    def _place_key(self, keys: Keys, offset: int) -> None:
        if keys in self.wanted and keys not in self.keys:
            self.keys[keys] = offset

    def _place_value(self, keys: Keys, start: int, end: int) -> None:
        if keys in self.wanted and keys not in self.values:
            self.values[keys] = (start, end)

    def _close(self, keys: Keys, end: int) -> None:
        if keys in self.values:
            self.values[keys] = (self.values[keys][0], end)


def _unquote(token: str) -> str:
    if token.startswith("'"):
        return token.strip("'")
    if "\\" not in token:
        return token.strip('"')
    value: Any = tomli.loads(f"k = {token}")["k"]
    return str(value)


def scan(text: str, wanted: set[Keys]) -> tuple[dict[Keys, int], dict[Keys, tuple[int, int]]]:
    """Where each wanted key starts, and where each wanted value starts and ends, in a TOML
    text that tomli has parsed (a table's value is its header, or its `{`). Places the scan
    could not reach are left out."""
    found = _Scan(text, wanted)
    with contextlib.suppress(_Lost, tomli.TOMLDecodeError):  # a quoted key _unquote cannot read
        found.run()
    return found.keys, found.values


def _offset(place: Place, keys: dict[Keys, int], values: dict[Keys, tuple[int, int]]) -> int | None:
    if place.at_key:
        return keys.get(place.keys)
    value = values.get(place.keys)
    return value[0] if value is not None else None


def located(error: ModelError, text: str) -> ModelError:
    """The same problems, each with the line and column of its place in `text` where the
    scan finds it, in file order: problems about the whole file first, and the note that
    checking stopped (if any) last."""
    problems = list(error.problems)
    note = [problems.pop()] if error.stopped else []
    keys, values = scan(text, {p.place.keys for p in problems if p.place is not None})
    offsets = {index: _offset(problem.place, keys, values)
               for index, problem in enumerate(problems) if problem.place is not None}
    positions = lines_and_columns(text, (o for o in offsets.values() if o is not None))
    placed: list[Problem] = []
    for index, problem in enumerate(problems):
        offset = offsets.get(index)
        placed.append(problem if offset is None else problem.at(*positions[offset]))
    placed.sort(key=_file_order)
    return ModelError(placed + note, stopped=error.stopped)


def _file_order(problem: Problem) -> tuple[int, int]:
    if problem.line is None:
        return (0, 0)
    return (problem.line, problem.column or 1)
