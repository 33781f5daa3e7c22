"""The keys of every table in format v1: how each value is checked and converted, and the
JSON Schema it is described by (schema.py writes schema/article.schema.json from these).

A rule's converter takes a parsed TOML value and returns what the model holds, or raises
Invalid with a message that says what is wrong and what was expected. Checks that need the
whole file (ids that exist, citations within article.paragraphs) are build.py's.

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from policyterm.core.dates import DateError, EdtfDate, look_alike_note, parse_edtf
from policyterm.core.loading.problems import (
    CONTROL_RANGES,
    INT64,
    INVISIBLE_RANGES,
    character_class,
    shown,
    type_name,
)
from policyterm.core.loading.reading import FORMAT_VERSION
from policyterm.core.model import (
    Article,
    Entity,
    EntityKind,
    Event,
    EventType,
    Figure,
    Relationship,
    Theme,
    Trend,
)


class Invalid(Exception):
    """Raised by a converter; the message says what is wrong and what is expected. `item` is
    the index of the bad element when the value is an array and one element is at fault."""

    def __init__(self, message: str, item: int | None = None) -> None:
        super().__init__(message)
        self.item = item


Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class Rule:
    """How one kind of value is checked and converted, and the JSON Schema of what it
    accepts. A rule with a `name` is written once in the schema's $defs and referred to."""

    convert: Converter
    schema: Mapping[str, Any]
    name: str = ""

    def json_schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.name}"} if self.name else dict(self.schema)


# ---------------------------------------------------------------------------------------------
# Text


def _is_in(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


_NOT_IN_TEXT = f"{character_class(CONTROL_RANGES)}{character_class(INVISIBLE_RANGES)}"
_NOT_IN_LINE = f"\\t\\n{_NOT_IN_TEXT}"
_FORBIDDEN_IN_TEXT = re.compile(f"[{_NOT_IN_TEXT}]")
_FORBIDDEN_IN_LINE = re.compile(f"[{_NOT_IN_LINE}]")


def _not_a_string(value: Any) -> Invalid:
    return Invalid(f"{shown(value)} is {type_name(value)}; expected a string")


def _refuse_character(char: str, position: int, one_line: bool,
                      allowed: str | None = None) -> Invalid:
    """Why `char` is refused; `allowed`: what the value may hold, if not text's rule."""
    if char == "\n" or char == "\t":
        what = "a line break" if char == "\n" else "a tab"
        return Invalid(f"holds {what} at character {position + 1}; expected one line "
                       "(only a summary may have several)")
    if _is_in(char, INVISIBLE_RANGES):
        return Invalid(f"holds the invisible character U+{ord(char):04X} at character "
                       f"{position + 1}, which can hide or reorder text; expected only visible "
                       "characters (see docs/format.md, Text)")
    if allowed is None:
        allowed = ("one line of text with no control characters" if one_line else
                   "text with no control characters but newline and tab")
    return Invalid(f"holds the control character U+{ord(char):04X} at character {position + 1}; "
                   f"expected {allowed}")


def _string_without(value: Any, *, one_line: bool, allowed: str | None = None) -> str:
    if not isinstance(value, str):
        raise _not_a_string(value)
    bad = (_FORBIDDEN_IN_LINE if one_line else _FORBIDDEN_IN_TEXT).search(value)
    if bad:
        raise _refuse_character(bad.group(), bad.start(), one_line, allowed)
    return value


def _visible(text: str) -> str:
    # A blank name or title left a row of bare glyphs in the explorer.
    if not text or text.isspace():
        raise Invalid(f"{'is empty' if not text else 'holds only spaces'}; expected visible "
                      "text")
    return text


def _text(value: Any) -> str:
    """Text of one or more lines (a summary): something visible, no control character but
    newline and tab, no invisible or reordering character."""
    return _visible(_string_without(value, one_line=False))


def _line(value: Any) -> str:
    """One line of text (names, titles, labels, references): as _text, without newline or tab."""
    return _visible(_string_without(value, one_line=True))


def _whole_string(pattern: str) -> dict[str, Any]:
    """The schema of a one-line string matching `pattern` in full. Python's re, which some
    validators use, lets `$` match before a final newline: the `not` refuses one there."""
    return {"type": "string", "pattern": f"^{pattern}$", "not": {"pattern": "\\n"}}


def _visible_pattern(forbidden: str) -> str:
    """Characters but `forbidden`, at least one of them not a space."""
    return f"[^{forbidden}]*[^\\s{forbidden}][^{forbidden}]*"


TEXT = Rule(_text, {"type": "string", "pattern": f"^{_visible_pattern(_NOT_IN_TEXT)}$",
                    "description": "Visible text that may span lines: no control characters "
                    "but newline and tab, no invisible or reordering characters."}, "text")
LINE = Rule(_line, {**_whole_string(_visible_pattern(_NOT_IN_LINE)),
                    "description": "One line of visible text: no control characters, tabs, "
                    "or invisible or reordering characters."}, "line")


def _matching(pattern: str, what: str, expected: str) -> Converter:
    """A string that must match `pattern` in full (ids, Wikidata QIDs)."""
    compiled = re.compile(pattern)

    def convert(value: Any) -> str:
        if type(value) is str and compiled.fullmatch(value):
            return value  # the usual case: the pattern holds no control character
        # A control character is named as such (and what the value may hold said); a line
        # break or a tab is simply not an id.
        text = _string_without(value, one_line=False, allowed=expected)
        if not compiled.fullmatch(text):
            raise Invalid(f"{shown(text)} is not {what}{look_alike_note(text)}; "
                          f"expected {expected}")
        return text

    return convert


_ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]*"
_QID_PATTERN = "Q[1-9][0-9]*"
ID = Rule(_matching(_ID_PATTERN, "a valid id", 'a letter or digit, then letters, digits, "-", '
                    '"_" or "." (such as PAK or imf-package)'),
          {**_whole_string(_ID_PATTERN),
           "description": "A letter or digit, then letters, digits, '-', '_' or '.'. Unique "
           "across the whole file (checked by the loader)."}, "id")
QID = Rule(_matching(_QID_PATTERN, "a Wikidata QID", "Q and a number, such as Q843"),
           _whole_string(_QID_PATTERN))
# A reference is any one line: one that names no item is reported as such, with a suggestion.
# The schema asks for the shape of an id, which every item it can name has.
REFERENCE = Rule(_line, _whole_string(_ID_PATTERN))


# ---------------------------------------------------------------------------------------------
# Numbers, dates, enumerations


def _integer(value: Any) -> int:
    if type(value) is not int:  # not a boolean, which Python counts as an int
        raise Invalid(f"{shown(value)} is {type_name(value)}; expected an integer")
    if value not in INT64:
        raise Invalid(f"{shown(value)} is beyond TOML's range; expected a 64-bit integer")
    return value


def _paragraph_count(value: Any) -> int:
    count = _integer(value)
    if count < 1:
        raise Invalid(f"{count} is too small; expected the number of paragraphs, at least 1")
    return count


def _number(value: Any) -> float:
    if type(value) is int:
        return _integer(value)
    if type(value) is not float:
        raise Invalid(f"{shown(value)} is {type_name(value)}; expected a number")
    if math.isnan(value):
        raise Invalid("nan is not a number; expected a finite number")
    if math.isinf(value):  # written as inf, or too large for a float (1e400): not what it says
        sign = "-" if value < 0 else ""
        raise Invalid(f"is infinite (written {sign}inf, or a number past about {sign}1.8e308); "
                      "expected a finite number")
    return value


def _score(value: Any) -> float:
    number = _number(value)
    if not -10 <= number <= 10:
        raise Invalid(f"{value!r} is out of range; expected a score from -10 to +10")
    return number


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"{shown(value)} is {type_name(value)}; expected true or false")
    return value


def _local_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise Invalid(f"{shown(value)} is {type_name(value)}; "
                      "expected a TOML local date such as 2023-12-31 (no quotes)")
    return value


def _edtf(value: Any) -> EdtfDate:
    if not isinstance(value, str):
        raise Invalid(f"{shown(value)} is {type_name(value)}; expected a date string "
                      'such as "2023", "2023-06", "2023-11-08" or "2021-01/2021-04"')
    try:
        return parse_edtf(value)
    except DateError as error:
        raise Invalid(str(error)) from None


PARAGRAPH_COUNT = Rule(_paragraph_count, {"type": "integer", "minimum": 1})
PARAGRAPH = Rule(_integer, {"type": "integer", "minimum": 1})  # the top is article.paragraphs
NUMBER = Rule(_number, {"type": "number"})
SCORE = Rule(_score, {"type": "number", "minimum": -10, "maximum": 10})
BOOLEAN = Rule(_boolean, {"type": "boolean"})
# Checked as ISO text: JSON has no dates, so tools see `published` as "YYYY-MM-DD".
LOCAL_DATE = Rule(_local_date, {**_whole_string("[0-9]{4}-[0-9]{2}-[0-9]{2}"),
                                "format": "date"})
_MONTH = "(0[1-9]|1[0-2])"
_DAY = "(0[1-9]|[12][0-9]|3[01])"
_POINT = f"[0-9]{{4}}(-{_MONTH}(-{_DAY})?)?[~?]?"
DATE = Rule(_edtf, {**_whole_string(f"{_POINT}(/{_POINT})?"),
                    "description": "YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~ "
                    "(approximate) or ? (uncertain), or an interval A/B of two of those. "
                    "The loader also checks the calendar and the interval's order."}, "date")


def _enum(kind: type[Enum], what: str) -> Rule:
    allowed = [str(member.value) for member in kind]
    by_value = {member.value: member for member in kind}

    def convert(value: Any) -> Enum:
        if not isinstance(value, str):
            raise Invalid(f"{shown(value)} is {type_name(value)}; expected {what}: "
                          + ", ".join(allowed))
        member = by_value.get(value)
        if member is None:
            raise Invalid(f"{shown(value)} is not {what}; expected one of " + ", ".join(allowed))
        return member

    return Rule(convert, {"enum": allowed})


# ---------------------------------------------------------------------------------------------
# Arrays


def _array_of(item: Rule, what: str, at_least_one: str = "", unique: bool = False) -> Rule:
    """An array of `item`s, as a tuple; `at_least_one` says what an empty one lacks;
    `unique`: none given twice (an id or a paragraph twice is a slip, never a meaning)."""
    convert_item = item.convert

    def convert(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise Invalid(f"{shown(value)} is {type_name(value)}; expected an array of {what}")
        if at_least_one and not value:
            raise Invalid(f"is empty; expected {at_least_one}")
        converted: list[Any] | None = None
        if convert_item is _line:  # lines are kept as they are: all checked in one search
            try:
                if not _FORBIDDEN_IN_LINE.search("".join(value)) and all(
                        line and not line.isspace() for line in value):
                    converted = value
            except TypeError:  # one is not a string: _line says which, below
                pass
        if converted is None:
            converted = []
            try:
                for element in value:
                    converted.append(convert_item(element))
            except Invalid as error:  # the items before the bad one are converted
                raise Invalid(f"item {len(converted)}: {error}", item=len(converted)) from None
        # (Most arrays hold one item: no set made for those.)
        if unique and len(converted) > 1 and len(set(converted)) != len(converted):
            first: dict[Any, int] = {}
            for number, element in enumerate(converted):
                earlier = first.setdefault(element, number)
                if earlier != number:
                    raise Invalid(f"item {number}: {shown(element)} is item {earlier} already; "
                                  f"expected each of the {what} once", item=number)
        return tuple(converted)

    schema: dict[str, Any] = {"type": "array", "items": item.json_schema()}
    if at_least_one:
        schema["minItems"] = 1
    if unique:
        schema["uniqueItems"] = True
    return Rule(convert, schema)


_ENTITY_IDS = _array_of(REFERENCE, "entity ids")


def _pair(value: Any) -> tuple[str, ...]:
    sides: tuple[str, ...] = _ENTITY_IDS.convert(value)
    if len(sides) != 2:
        count = "1 id" if len(sides) == 1 else f"{len(sides)} ids"
        raise Invalid(f"has {count}; expected exactly 2 entity ids")
    if sides[0] == sides[1]:
        raise Invalid(f"names {shown(sides[0])} twice; expected two different entities")
    return sides


PAIR = Rule(_pair, {"type": "array", "minItems": 2, "maxItems": 2, "uniqueItems": True,
                    "items": REFERENCE.json_schema()})
LINES = _array_of(LINE, "strings")
SOURCE = _array_of(PARAGRAPH, "paragraph numbers", "at least one paragraph number",
                   unique=True)


def _source_file(value: Any) -> str:
    """A relative path: a model is passed around with its source beside it, and an absolute
    path would point at whatever the reader's own disk holds there."""
    path = _line(value)
    if not path.strip():
        raise Invalid("is empty; expected a path to the article's text, relative to this file")
    if path.startswith(("/", "\\", "~")) or re.match(r"[A-Za-z]:", path):
        raise Invalid(f"{shown(path)} is not relative; expected a path relative to the "
                      "model file, such as article.md")
    return path


_NOT_ABSOLUTE = "(?![/\\\\~]|[A-Za-z]:)"
SOURCE_FILE = Rule(_source_file, {**_whole_string(f"{_NOT_ABSOLUTE}[^{_NOT_IN_LINE}]+"),
                                  "description": "A path relative to the model file."})


# Rules the schema writes once, under $defs, and refers to by name.
SHARED_RULES = (TEXT, LINE, ID, DATE)


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Field:
    """One key of a table: its rule, what it means, and whether it may be left out."""

    rule: Rule
    description: str
    required: bool = True
    default: Any = None
    refers_to: str = ""  # the kind of item whose ids it holds: "entity", "event", ...


def _optional(rule: Rule, description: str, default: Any = None, refers_to: str = "") -> Field:
    return Field(rule, description, required=False, default=default, refers_to=refers_to)


def _ids(kind: str, description: str, at_least_one: bool = False) -> Field:
    rule = _array_of(REFERENCE, f"{kind} ids", f"at least one {kind} id" if at_least_one else "",
                     unique=True)
    if at_least_one:
        return Field(rule, description, refers_to=kind)
    return _optional(rule, description, (), refers_to=kind)


def _source(what: str) -> Field:
    return Field(SOURCE, f"Paragraphs of the article that {what}, counting from 1.")


@dataclass(frozen=True)
class Table:
    """A table of the format: its keys, the record it becomes, and how it is written."""

    name: str
    description: str
    fields: Mapping[str, Field]
    record: type[Any]
    layout: str  # as "expected ..." messages show it
    required: frozenset[str] = field(init=False)
    defaults: Mapping[str, Any] = field(init=False)
    references: tuple[tuple[str, str], ...] = field(init=False)  # (key, kind referred to)
    converters: Mapping[str, Converter] = field(init=False)
    arrays: tuple[str, ...] = field(init=False)  # the keys whose values are tuples

    def __post_init__(self) -> None:
        fields = self.fields.items()
        object.__setattr__(self, "required",
                           frozenset(key for key, spec in fields if spec.required))
        object.__setattr__(self, "defaults",
                           {key: spec.default for key, spec in fields if not spec.required})
        object.__setattr__(self, "converters", {key: spec.rule.convert for key, spec in fields})
        object.__setattr__(self, "references",
                           tuple((key, spec.refers_to) for key, spec in fields if spec.refers_to))
        object.__setattr__(self, "arrays", tuple(key for key, spec in fields
                                                 if spec.rule.schema.get("type") == "array"))


ARTICLE = Table("article", "The article the model is made from.", {
    "title": Field(LINE, "The headline as printed."),
    "standfirst": _optional(LINE, "The line under the headline, paraphrased or as a label."),
    "published": Field(LOCAL_DATE, "The day it appeared: a TOML local date, 2023-12-31."),
    "author": _optional(LINE, "Who wrote it, only as the article says."),
    "covers": Field(DATE, "The period it looks back on, as a date: 2023."),
    "focus": Field(REFERENCE, "Id of the entity the article is about.", refers_to="entity"),
    "paragraphs": Field(PARAGRAPH_COUNT, "How many numbered paragraphs it has."),
    "source_file": _optional(SOURCE_FILE, "Its text, as a path relative to this file: "
                             "Markdown or plain text, paragraphs numbered [1], [2], ..."),
}, Article, "an [article] table")

ENTITIES = Table("entities", "Every actor the article names; other parts refer to them by id.", {
    "id": Field(ID, "ISO 3166-1 alpha-3 for a country (PAK), else a lowercase slug (imf)."),
    "kind": Field(_enum(EntityKind, "an entity kind"), "What sort of actor it is."),
    "name": Field(LINE, "The name shown."),
    "aliases": _optional(LINES, "Other names a reader may search for.", ()),
    "role": _optional(LINE, "For a person: the office the article gives."),
    "member_of": _optional(REFERENCE, "Id of a person's country or organisation.",
                           refers_to="entity"),
    "members": _ids("entity", "For a bloc: ids of its members."),
    "wikidata": _optional(QID, "The Wikidata QID, only where certain: Q843."),
    "source": _source("mention it"),
}, Entity, "entities = [ { ... }, ... ]")

THEMES = Table("themes", "Subjects that run through several relationships.", {
    "id": Field(ID, "A lowercase slug: water."),
    "name": Field(LINE, "The subject as shown."),
    "source": _source("raise it"),
}, Theme, "themes = [ { ... }, ... ]")

RELATIONSHIPS = Table("relationships", "One per pair of entities the article describes.", {
    "id": Field(ID, "A slug: pak-usa."),
    "pair": Field(PAIR, "The two sides, the focus first where it is one of them.",
                  refers_to="entity"),
    "trend": Field(_enum(Trend, "a trend"), "How the article says the period went."),
    "headline": Field(LINE, "A few words: Marked improvement."),
    "summary": Field(TEXT, "One to four sentences in the model's words."),
    "themes": _ids("theme", "Ids of the themes it touches."),
    "source": _source("describe it"),
}, Relationship, "[[relationships]] tables")

EVENTS = Table("events", "Dated happenings, typed and scored on the PLOVER scale.", {
    "id": Field(ID, "A slug: imf-package."),
    "date": Field(DATE, "When, as precisely as the article allows."),
    "date_text": _optional(LINE, "The date as the article phrases it: November 8."),
    "title": Field(LINE, "What happened, briefly, in the model's words."),
    "summary": _optional(TEXT, "A longer account in the model's words."),
    "actors": _ids("entity", "Ids of who acts; for a meeting, everyone in it.",
                   at_least_one=True),
    "recipients": _ids("entity", "Ids of whom it is aimed at."),
    "type": Field(_enum(EventType, "a PLOVER event type"), "The PLOVER event type."),
    "mode": _optional(LINE, "The PLOVER mode: visit, phone, multilateral, ..."),
    "context": _optional(LINES, "PLOVER contexts: diplomatic, economic, military, ...", ()),
    "score": Field(SCORE, "From -10 (conflict) to +10 (cooperation)."),
    "relationships": _ids("relationship", "Ids of the relationships it belongs to.",
                          at_least_one=True),
    "source": _source("report it"),
}, Event, "[[events]] tables")

FIGURES = Table("figures", "Numbers the article states.", {
    "id": Field(ID, "A slug: loan-size."),
    "value": Field(NUMBER, "The plain number: 25_000_000_000."),
    "unit": Field(LINE, "What it counts: USD, people, deaths, ..."),
    "approximate": _optional(BOOLEAN, "True where the article hedges it (around, about).",
                             False),
    "label": Field(LINE, "What it measures, in the model's words."),
    "relationships": _ids("relationship", "Ids of the relationships it belongs to."),
    "events": _ids("event", "Ids of the events it belongs to."),
    "source": _source("state it"),
}, Figure, "[[figures]] tables")

# The arrays of tables, in the order of the format; an item's kind names what refers to it.
SECTIONS = (ENTITIES, THEMES, RELATIONSHIPS, EVENTS, FIGURES)
KINDS = {"entity": ENTITIES, "theme": THEMES, "relationship": RELATIONSHIPS, "event": EVENTS}

TOP_LEVEL_KEYS = ("format", "entities", "themes", "article", "relationships", "events", "figures")
REQUIRED_TOP_LEVEL = ("format", "article", "entities")
FORMAT_DESCRIPTION = f"The version of the format the file is written in: {FORMAT_VERSION}."
