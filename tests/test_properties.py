"""Property tests: whatever the input, the loader returns a Model or raises ModelError.

Never another exception, and every problem it reports is located (a key path or a line),
fits on one line, holds no control character and stays short. A Model it returns keeps the
format's promises: every reference resolves, every citation is in range, events are sorted.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyterm.core.loading import ModelError, Problem, parse_bytes
from policyterm.core.loading.build import parse_document
from policyterm.core.model import Entity, Event, Figure, Model, Relationship, Theme

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example.toml"
NAME = "prop.toml"

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Problems about the file as a whole: nothing inside it to point at.
_WHOLE_FILE = ("is empty;", "is UTF-16 text;", "arrays or tables are nested too deeply")


@cache
def _example() -> dict[str, Any]:
    return tomli.loads(EXAMPLE.read_text(encoding="utf-8"))


def example() -> dict[str, Any]:
    return copy.deepcopy(_example())


def check_problem(problem: Problem, whole_file_allowed: bool) -> None:
    text = str(problem)
    assert problem.file == NAME
    assert not _CONTROL.search(text), repr(text)
    assert len(text) < 600, text
    if problem.line is not None:
        assert problem.line >= 1 and (problem.column or 1) >= 1
        after = f": {problem.path}: " if problem.path else ": "
        assert text.startswith(f"{NAME}:{problem.line}:{problem.column or 1}{after}")
    elif problem.path:
        assert text.startswith(f"{NAME}: {problem.path}: ")
    else:
        assert whole_file_allowed and problem.message.startswith(_WHOLE_FILE), text
    assert "expected" in text.lower() or "; this key is required" in text, text


def check_model(model: Model) -> None:
    """What a loaded model promises the app."""
    entities = {e.id for e in model.entities}
    themes = {t.id for t in model.themes}
    relationships = {r.id for r in model.relationships}
    events = {e.id for e in model.events}
    items: list[Entity | Theme | Relationship | Event | Figure] = [
        *model.entities, *model.themes, *model.relationships, *model.events, *model.figures,
    ]
    all_ids = [item.id for item in items]
    assert len(all_ids) == len(set(all_ids))
    assert model.article.focus in entities
    for entity in model.entities:
        assert set(entity.members) <= entities
        assert entity.member_of is None or entity.member_of in entities
    for relationship in model.relationships:
        assert len(set(relationship.pair)) == 2 and set(relationship.pair) <= entities
        assert set(relationship.themes) <= themes
    for event in model.events:
        assert event.actors and set(event.actors) <= entities
        assert set(event.recipients) <= entities
        assert event.relationships and set(event.relationships) <= relationships
        assert math.isfinite(event.score) and -10 <= event.score <= 10
        assert event.date.lower <= event.date.upper
    for figure in model.figures:
        assert math.isfinite(figure.value)
        assert set(figure.relationships) <= relationships and set(figure.events) <= events
    for item in items:
        assert item.source and all(1 <= n <= model.article.paragraphs for n in item.source)
    keys = [(e.date.lower, e.date.upper, e.id) for e in model.events]
    assert keys == sorted(keys)


def outcome_of(call: Callable[..., Model], *args: Any,
               whole_file_allowed: bool) -> Model | None:
    try:
        model = call(*args)
    except ModelError as error:
        assert error.problems
        for problem in error.problems:
            check_problem(problem, whole_file_allowed)
        return None
    check_model(model)
    return model


# ---------------------------------------------------------------------------------------------
# Arbitrary bytes


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    outcome_of(parse_bytes, data, NAME, whole_file_allowed=True)


@SETTINGS
@given(st.integers(0, 4000), st.binary(min_size=1, max_size=40))
def test_example_with_bytes_spliced_in(at: int, junk: bytes) -> None:
    data = EXAMPLE.read_bytes()
    at = min(at, len(data))
    outcome_of(parse_bytes, data[:at] + junk + data[at:], NAME, whole_file_allowed=True)


@SETTINGS
@given(st.integers(0, 4000), st.integers(1, 200))
def test_example_cut_short_or_holed(at: int, length: int) -> None:
    data = EXAMPLE.read_bytes()
    outcome_of(parse_bytes, data[:at], NAME, whole_file_allowed=True)
    outcome_of(parse_bytes, data[:at] + data[at + length:], NAME, whole_file_allowed=True)


# ---------------------------------------------------------------------------------------------
# Arbitrary TOML documents, written by a tiny TOML writer

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif _CONTROL.match(char) or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        elif 0xD800 <= ord(char) <= 0xDFFF:
            out.append("\ufffd")  # a lone surrogate cannot be written as UTF-8
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # Python will not print a decimal of over 4300 digits; TOML hex has no sign.
        return hex(value) if value >= 2**63 else str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        text = repr(value)
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.date, dt.time)):  # date, datetime (naive) and time
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) \
            + " }"
    raise TypeError(type(value))


def toml_document(document: dict[str, Any]) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in document.items())


KEYS = st.sampled_from([
    "format", "entities", "themes", "article", "relationships", "events", "figures", "id",
    "kind", "name", "source", "date", "score", "pair", "title", "focus", "paragraphs",
    "published", "covers", "actors", "type", "trend", "value", "members", "wikidata",
]) | st.text(max_size=12)

IDS = st.sampled_from(["XRU", "XGR", "XKR", "cdb", "water", "xru-xgr", "cdb-loan", "nope"])

SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.integers(-30, 30),
    st.integers(2**63, 2**20_000),  # beyond TOML's 64 bits
    st.integers(-(2**200), -(2**63) - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    IDS,
    st.sampled_from(["2023", "2023-13", "2023-02-30", "2021-01/2021-04", "2023-12/2023-01",
                     "country", "bloc", "AGREE", "improving", "Q30", "Q0", "a b"]),
    st.dates(),
    st.datetimes(),
    st.times(),
)

VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children,
                                                                       max_size=4),
    max_leaves=12,
)


def valid_toml(document: dict[str, Any]) -> str:
    text = toml_document(document)
    # The writer is right: tomli reads back exactly what was written, nan aside.
    assert toml_document(tomli.loads(text)) == text
    return text


@SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_arbitrary_toml_documents(document: dict[str, Any]) -> None:
    text = valid_toml(document)
    outcome_of(parse_bytes, text.encode("utf-8"), NAME, whole_file_allowed=True)


@SETTINGS
@given(st.sampled_from(["article", "entities", "themes", "relationships", "events", "figures",
                        "format"]), VALUES)
def test_example_with_one_section_replaced(section: str, value: Any) -> None:
    document = example()
    document[section] = value
    text = valid_toml(document)
    outcome_of(parse_bytes, text.encode("utf-8"), NAME, whole_file_allowed=False)


def test_the_writer_round_trips_the_example() -> None:
    document = example()
    assert tomli.loads(valid_toml(document)) == document
    assert isinstance(parse_bytes(toml_document(document).encode(), NAME), Model)


# ---------------------------------------------------------------------------------------------
# Random mutations of the example's parsed document, straight into parse_document

Slot = tuple[Any, Any]  # (container, key or index)


def slots(document: dict[str, Any]) -> list[Slot]:
    """Every place in the document that holds a value, the document's own keys included."""
    found: list[Slot] = []
    stack: list[Any] = [document]
    while stack:
        container = stack.pop()
        keys = list(container) if isinstance(container, dict) else range(len(container))
        for key in keys:
            found.append((container, key))
            if isinstance(container[key], (dict, list)):
                stack.append(container[key])
    return found


def items_with_ids(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for section in ("entities", "themes", "relationships", "events", "figures")
            if isinstance(document.get(section), list)
            for item in document[section] if isinstance(item, dict) and "id" in item]


OPERATIONS = ["delete", "replace", "string", "number", "unknown key", "swap ids", "copy id",
              "reference", "duplicate item", "wrap in list"]


def mutate(document: dict[str, Any], data: st.DataObject) -> None:
    operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
    if operation in ("swap ids", "copy id"):
        items = items_with_ids(document)
        if len(items) < 2:
            return
        first, second = data.draw(st.lists(st.sampled_from(items), min_size=2, max_size=2,
                                           unique_by=id), label="items")
        if operation == "swap ids":
            first["id"], second["id"] = second["id"], first["id"]
        else:
            first["id"] = second["id"]
        return
    container, key = data.draw(st.sampled_from(slots(document)), label="slot")
    value = container[key]
    if operation == "delete":
        del container[key]
    elif operation == "replace":
        container[key] = data.draw(VALUES, label="value")
    elif operation == "string":
        container[key] = data.draw(st.text(max_size=30), label="string")
    elif operation == "number":
        container[key] = data.draw(st.integers(-100, 100) | st.floats(), label="number")
    elif operation == "unknown key":
        target = value if isinstance(value, dict) else container
        if isinstance(target, dict):
            target[data.draw(KEYS, label="key")] = data.draw(SCALARS, label="value")
    elif operation == "reference":
        container[key] = data.draw(IDS, label="id")
    elif operation == "duplicate item" and isinstance(container, list):
        container.append(copy.deepcopy(value))
    elif operation == "wrap in list":
        container[key] = [value]


@SETTINGS
@given(st.data())
def test_mutations_of_the_example(data: st.DataObject) -> None:
    document = example()
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        mutate(document, data)
    outcome_of(parse_document, document, NAME, whole_file_allowed=False)


@SETTINGS
@given(st.data())
def test_every_mutation_is_reported_with_a_path(data: st.DataObject) -> None:
    """Setting a required field to a value of another type is always caught, at that path."""
    document = example()
    section = data.draw(st.sampled_from(["events", "figures", "relationships"]))
    index = data.draw(st.integers(0, len(document[section]) - 1))
    item = document[section][index]
    key = data.draw(st.sampled_from(sorted(k for k in item if k not in ("id",))))
    wrong = data.draw(st.dictionaries(st.text(max_size=3), SCALARS, max_size=2)
                      | st.datetimes() | st.times())
    item[key] = wrong
    try:
        parse_document(document, NAME)
    except ModelError as error:
        paths = [problem.path for problem in error.problems]
        assert f'{section}[{index}] (id "{item["id"]}").{key}' in paths, paths
    else:
        raise AssertionError(f"{section}[{index}].{key} = {wrong!r} was accepted")
