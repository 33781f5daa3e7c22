"""From a path to a TOML document: the file's bytes, its UTF-8 text, and the parsed TOML.

Pure Python: no textual, no rich. The TOML parser is tomli on every Python version.
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any

from policyterm.core.dates import look_alike_note
from policyterm.core.loading.problems import (
    ModelError,
    Problem,
    UnreadableModel,
    display_name,
    line_and_column,
    shown,
)

FORMAT_VERSION = 1  # the value of a file's `format` key that this package reads

# A model of a long article is well under 1 MiB; beyond this a file is more likely a mistake
# than a model, and parsing it would stall the terminal.
MAX_FILE_BYTES = 16 * 1024 * 1024

_LONG_DIGITS = re.compile(r"[0-9][0-9_]{4000,}")

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse(name: str, message: str) -> UnreadableModel:
    return UnreadableModel([Problem(name, message)])


def _check_kind(status: os.stat_result, name: str) -> None:
    """Refuse anything but a regular file of at most MAX_FILE_BYTES."""
    mode, size = status.st_mode, status.st_size
    if stat.S_ISDIR(mode):
        raise _refuse(name, "is a directory; expected a model file (.toml)")
    if not stat.S_ISREG(mode):
        kind = next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")
        raise _refuse(name, f"is {kind}; expected a regular model file (.toml)")
    if size > MAX_FILE_BYTES:
        raise _refuse(name, f"is {size:,} bytes; expected a model file of at most "
                      f"{MAX_FILE_BYTES:,} bytes (16 MiB)")


def read_model_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, or UnreadableModel saying why they cannot be read (never OSError).

    Opening a FIFO blocks until a writer comes, and a device may never end, so the path is
    checked before it is opened, opened without blocking, and the opened file checked again
    (the path may have been swapped for something else in between)."""
    return _read(path, MAX_FILE_BYTES + 1)  # a byte past the limit: a growing file stops


def check_readable(path: str | os.PathLike[str]) -> None:
    """UnreadableModel if `read_model_bytes(path)` would raise it before reading: the path's
    kind, size and permissions, checked without reading the file."""
    _read(path, 0)


def _read(path: str | os.PathLike[str], size: int) -> bytes:
    name = display_name(path)
    try:
        _check_kind(os.stat(path), name)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as handle:
            _check_kind(os.fstat(descriptor), name)
            data = handle.read(size)
    except FileNotFoundError:
        raise _refuse(name, "no such file; expected a path to a model file") from None
    except PermissionError:
        raise _refuse(name, "permission denied; expected a readable file") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise _refuse(name, f"cannot be read ({reason}); expected a readable model file") \
            from None
    except ValueError:  # os.stat refuses a path holding a NUL character
        raise _refuse(name, "is not a usable path (it holds a NUL character); "
                      "expected a path to a model file") from None
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(name, f"is larger than {MAX_FILE_BYTES:,} bytes (16 MiB); "
                      "expected a smaller model file")
    return data


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text without its byte-order mark, or a ModelError naming the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ModelError([Problem(name, "is UTF-16 text; expected UTF-8 (save it as UTF-8)")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(data[:error.start].decode("utf-8"), error.start)
        raise ModelError([Problem(name, f"byte 0x{data[error.start]:02x} is not valid UTF-8; "
                                  "expected UTF-8 text", line=line, column=column)]) from None
    if "\x00" in text:
        line, column = line_and_column(text, text.index("\x00"))
        raise ModelError([Problem(name, "holds NUL bytes (binary data?); expected UTF-8 text",
                                  line=line, column=column)])
    return text.removeprefix("\ufeff")


# tomli's words for a quote left open, which name neither the string nor the fix.
_AT_LINE_END = ("a string still open at the end of its line; expected its closing quote "
                '(text over several lines goes in """triple quotes""")')
_AT_FILE_END = "a string still open at the end of the file; expected its closing quotes"
_OPEN_QUOTE = {
    "Illegal character '\\n'": _AT_LINE_END,
    'Expected "\'"': ("a 'single-quoted' string or key not closed on its line; expected its "
                     "closing '"),
    'Expected "\'\'\'"': _AT_FILE_END,
    "Unterminated string": _AT_FILE_END,
}


_MORE_AFTER_VALUE = "Expected newline or end of document after a statement"
# tomli's words for other mistakes, where they name the symptom rather than the cause.
_TOMLI_WORDS = {
    "Unclosed array": "expected a comma or ] after the array's previous item (a missing "
                      "comma?)",
    "Unclosed inline table": "expected a comma or } after the previous key = value of the "
                             "inline table (a missing comma?)",
    "Cannot overwrite a value": "a key given a value twice (or a table where a value is); "
                                "expected each key once in its table",
    _MORE_AFTER_VALUE: "more after a value on its line; expected one key = value per line",
    "Unescaped '\\' in a string": "a \\ in a \"string\" that starts no escape; expected \\\\ "
                                  "for one, or the text in 'single quotes' (a path may use /)",
    "Expected ']' at the end of a table declaration": "a table header not closed; expected "
                                                      "[name] on a line of its own",
    "Expected ']]' at the end of an array declaration": "a table header not closed; expected "
                                                        "[[name]] on a line of its own",
    "Expected '=' after a key in a key/value pair": "a line that is not key = value; expected "
                                                    "key = value, a [table] header or a # "
                                                    "comment",
}
# What decides TOML's nesting: strings and comments whole (brackets inside them do not
# count), brackets and braces, line ends. The text scanned is what tomli read without error.
_NESTING = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                      r"'[^'\n]*'|#[^\n]*|[\[\]{}]", re.DOTALL)
# A table header where an array's next item should be: "[name]" or "[[name]]" at the start
# of its line ("  [water]" or "[PAK, USA]" are bad items, not headers).
_HEADER_REST = re.compile(r"""\[?[A-Za-z0-9_.\-"' ]+\]\]?[ \t]*(?:#.*)?""")
_DUPLICATE_IN_TABLE = re.compile(r"Duplicate inline table key '(.*)'")
_DECLARED_TWICE = re.compile(r"Cannot declare \((.*)\) twice")


def _line_at(text: str, position: int) -> tuple[int, str]:
    """Where the line holding `position` starts, and the line."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, text[start:end if end != -1 else len(text)]


def _invalid_value(text: str, position: int) -> str:
    """tomli's "Invalid value", by what stands where a value was expected."""
    line_start, line = _line_at(text, position)
    before, rest = line[:position - line_start], line[position - line_start:]
    if before.rstrip().endswith("=") and (not rest.strip() or rest.lstrip().startswith("#")):
        return "a key with no value; expected a value after ="
    # A key, or a table header ("[article]" read as an array holding "article]"), where an
    # array's next item should be: an array above was never closed.
    header = before == "[" and _HEADER_REST.fullmatch(rest) is not None
    if header or (not before.strip() and _assigned_key(rest) is not None):
        opened = _open_array(text, line_start)
        array = "an array above" if opened is None else \
            f"the array {shown(opened[0] + ' = [')} of line {opened[1]}"
        what = "table header" if header else "key"
        return f"{array} is not closed; expected ] before this {what}"
    token = rest.split()[0] if rest.split() else rest
    return (f"{shown(token)} is not a value{look_alike_note(token)}; expected a \"string\", "
            "a number, true or false, a date, [an array] or {an inline table}")


# Values people write that TOML reads as a number followed by more: "2024-1-5", "05/01/2024",
# "30%", "1,200,000". What they are, and what to write instead.
_VALUE_MISTAKES = (
    (re.compile(r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}"),
     "is not a TOML date; expected YYYY-MM-DD, month and day in two digits (2024-01-05)"),
    (re.compile(r"[-+]?[0-9][0-9_.]*\s*%"),
     "is not a number; expected the number alone (30), with unit = \"percent\""),
    (re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"),
     "is not a number; expected its digits without commas (1200000, or 1_200_000)"),
)


def _value_mistake(text: str, position: int) -> tuple[str, int] | None:
    """tomli's "Expected newline ... after a statement", when the line's value is one of
    _VALUE_MISTAKES: what it is, with the value's column; None if it is none of them."""
    _, line = _line_at(text, position)
    key, equals, after = line.partition("=")
    if not equals or _assigned_key(line) is None:
        return None
    value = after.split("#", 1)[0].strip()
    for pattern, said in _VALUE_MISTAKES:
        if pattern.fullmatch(value):
            # Shown as written: the patterns match only digits and punctuation.
            return f"{value} {said}", len(key) + 1 + after.index(value) + 1
    return None


def _key_given_twice(text: str, position: int) -> tuple[str, int] | None:
    """tomli's "Cannot overwrite a value" (placed at its line's end) as the key and where it
    was first given in the same table, with the key's column; None if it is not that."""
    line_start, line = _line_at(text, position)
    key = _assigned_key(line)
    if key is None:
        return None
    earlier = text[:line_start].split("\n")[:-1]
    for number in range(len(earlier), 0, -1):
        before = earlier[number - 1].strip()
        if before.startswith("["):  # the table's header: the first was not in this table
            return None
        if _assigned_key(before) == key:
            return (f"the key {key} given twice in one table (first on line {number}); "
                    "expected each key once", len(line) - len(line.lstrip()) + 1)
    return None


def _assigned_key(line: str) -> str | None:
    """The key of a line that starts "key =" (string methods, not a regular expression:
    a line can be megabytes of spaces)."""
    key, equals, _ = line.partition("=")
    key = key.strip()
    return key if equals and key and not any(c in key for c in "#[]{}") else None


def _open_array(text: str, end: int) -> tuple[str, int] | None:
    """The key and line of the array still open at `end` that a key opened ("key = ["),
    reading strings and comments as TOML does; None if none is."""
    depth = 0
    opened: tuple[str, int] | None = None
    line, counted_to = 1, 0  # lines counted only where an array opens: most never do
    for token in _NESTING.finditer(text, 0, end):
        mark = token[0]
        if mark in "[{":
            if depth == 0 and mark == "[":  # "key = [" opens an array; "[" alone a header
                start = token.start()
                key = _assigned_key(text[text.rfind("\n", 0, start) + 1:start])
                line += text.count("\n", counted_to, start)
                counted_to = start
                opened = None if key is None else (key, line)
            depth += 1
        elif mark in "]}":
            depth = max(depth - 1, 0)
            if depth == 0:
                opened = None
    return opened if depth else None


def _in_plain_words(message: str, ends_in: str) -> str:
    """tomli's message, as what is wrong and what was expected; `ends_in`: the text's last
    line, when the error is at its end."""
    if message in _OPEN_QUOTE:
        return _OPEN_QUOTE[message]
    if ends_in.startswith("#"):
        ends_in = ""  # a comment: its last character says nothing of the TOML
    if ends_in.startswith("[") and "=" not in ends_in and not message.startswith("Unclosed"):
        return "a table header not closed at the end of the file; expected [name] or [[name]]"
    if ends_in.endswith("="):
        return "the file ends after \"=\" with no value; expected a value for the key"
    if ends_in and (ends_in[-1] in "[{," or message.startswith("Unclosed")):
        return "the file ends inside an array or inline table; expected its closing ] or }"
    if message in _TOMLI_WORDS:
        return _TOMLI_WORDS[message]
    if duplicate := _DUPLICATE_IN_TABLE.fullmatch(message):
        return (f"the key {duplicate[1]} given twice in one inline table; expected each key "
                "once")
    if declared := _DECLARED_TWICE.fullmatch(message):
        header = ".".join(part.strip(" '\"") for part in declared[1].split(",") if part.strip())
        return f"the table [{header}] declared twice; expected each table header once"
    if "xpected" not in message:  # most tomli messages say what is wrong, not what is right
        return message + "; expected valid TOML (policyterm init writes a model to compare)"
    return message


def parse_toml(text: str, name: str) -> dict[str, Any]:
    """The TOML document, or a ModelError located at FILE:LINE:COL."""
    import tomli  # here: a cached model is opened without parsing any TOML

    if not text.strip():
        raise ModelError([Problem(name, "is empty; expected a format-v1 model "
                                  "(format = 1, entities = [...], [article], ...)")])
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = getattr(error, "msg", str(error))
        position = getattr(error, "pos", None)
        at_end = position is not None and not text[position:].strip()
        line = getattr(error, "lineno", None) or 1
        column = getattr(error, "colno", None) or 1
        if at_end:  # after the last line (its newline): placed where the text stops
            line, column = line_and_column(text, len(text.rstrip()))
        # The text's last line, when the error is at its end: it tells a key with no value
        # ("x =") or a table header left open ("[events") from an open array or table.
        ends_in = text.rstrip().rsplit("\n", 1)[-1].strip() if at_end else ""
        if message == "Invalid value" and not at_end and position is not None:
            said = _invalid_value(text, position)
        elif message == "Cannot overwrite a value" and position is not None and (
                twice := _key_given_twice(text, position)):
            said, column = twice
        elif message == _MORE_AFTER_VALUE and position is not None and (
                mistake := _value_mistake(text, position)):
            said, column = mistake
        elif message == "Invalid date or datetime" and position is not None:
            # tomli read it as a date or time: digits and "-:T.Z+" only, shown as written.
            written = re.split(r"[\s#,\]}]", text[position:], maxsplit=1)[0]
            said = f"{written} is not a date that exists; expected a real date, YYYY-MM-DD"
        else:
            said = _in_plain_words(message, ends_in)
        raise ModelError([Problem(name, f"TOML syntax error: {said}",
                                  line=line, column=column)]) from None
    except RecursionError:
        raise ModelError([Problem(name, "arrays or tables are nested too deeply to parse; "
                                  "expected the flat layout of format v1")]) from None
    except ValueError:  # int() refuses the thousands of digits tomli hands it
        digits = _LONG_DIGITS.search(text)
        line, column = line_and_column(text, digits.start() if digits else 0)
        raise ModelError([Problem(name, "TOML syntax error: an integer too long to read; "
                                  "expected a 64-bit integer (at most 19 digits)",
                                  line=line, column=column)]) from None
