"""The JSON Schema of format v1 (schema/article.schema.json) against the models and docs.

The schema is generated from the loader's field specs and checks shape only;
cross-references are the loader's job and tested with it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import tomli
from jsonschema import Draft202012Validator

from policyterm.core.loading.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "schema" / "article.schema.json"
BUNDLED_MODEL = ROOT / "data" / "article.toml"
EXAMPLE = ROOT / "docs" / "example.toml"
FORMAT_DOC = ROOT / "docs" / "format.md"
INVALID_FIXTURES = ROOT / "tests" / "fixtures" / "invalid"

REJECT_MARKER = "# schema: reject"
_FIRST_TOML_BLOCK = re.compile(r"^```toml\n(.*?)^```", re.MULTILINE | re.DOTALL)


# ---------------------------------------------------------------------------------------------
# Helpers


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def as_json(value: Any) -> Any:
    """A parsed TOML document as JSON would hold it: dates and times become ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.date, dt.time)):  # dt.datetime is a dt.date too
        return value.isoformat()
    return value


def load_toml(path: Path) -> Any:
    with path.open("rb") as handle:
        return as_json(tomli.load(handle))


def errors(document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator().iter_errors(document)
    ]


def assert_valid(document: Any, what: str) -> None:
    problems = errors(document)
    assert not problems, f"{what} does not validate:\n" + "\n".join(problems)


def assert_rejected(document: Any, what: str) -> None:
    assert errors(document), f"the schema accepts {what}, which it must reject"


def example() -> Any:
    """A fresh, mutable copy of docs/example.toml as parsed data."""
    return copy.deepcopy(_example())


@cache
def _example() -> Any:
    return load_toml(EXAMPLE)


def first_toml_block(markdown: str) -> str:
    match = _FIRST_TOML_BLOCK.search(markdown)
    assert match is not None, "docs/format.md has no ```toml block"
    return match.group(1)


def has_reject_marker(text: str) -> bool:
    return any(line.strip() == REJECT_MARKER for line in text.splitlines())


# ---------------------------------------------------------------------------------------------
# The schema and the files that must pass it


def test_the_committed_schema_is_the_generated_one() -> None:
    """schema/article.schema.json is written from the loader's field specs; regenerate it
    with `python -m policyterm.core.loading.schema > schema/article.schema.json`."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schema/article.schema.json is out of date: run "
        "python -m policyterm.core.loading.schema > schema/article.schema.json")


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_property_has_title_and_description() -> None:
    missing: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if not (sub.get("title") and sub.get("description")):
                    missing.append(f"{where}/properties/{name}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{where}/{index}")

    walk(schema(), "#")
    assert not missing, "properties without a title and description: " + ", ".join(missing)


def test_every_object_forbids_unknown_keys() -> None:
    open_objects: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and node.get("additionalProperties") is not False:
                open_objects.append(where)
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{where}/{index}")

    walk(schema(), "#")
    assert not open_objects, "objects allowing unknown keys: " + ", ".join(open_objects)


def test_bundled_model_validates() -> None:
    assert_valid(load_toml(BUNDLED_MODEL), "data/article.toml")


def test_example_validates() -> None:
    assert_valid(example(), "docs/example.toml")


def test_format_doc_example_is_docs_example_toml() -> None:
    block = first_toml_block(FORMAT_DOC.read_text(encoding="utf-8"))
    assert block == EXAMPLE.read_text(encoding="utf-8"), (
        "the first ```toml block of docs/format.md differs from docs/example.toml"
    )


def test_example_points_editors_at_the_schema() -> None:
    first_line = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "#:schema ../schema/article.schema.json"
    assert (EXAMPLE.parent / "../schema/article.schema.json").resolve() == SCHEMA_PATH


def test_the_schema_rejects_exactly_the_marked_fixtures() -> None:
    """A fixture of tests/fixtures/invalid marked `# schema: reject` (in the file, or in its
    .expect sidecar) makes a mistake of shape, which the schema must catch; an unmarked one
    makes a mistake only the loader can see, which the schema must let through, so the
    marker stays honest both ways. Files tomli cannot parse are syntax errors: no marker."""
    accepted: list[str] = []
    unmarked_but_rejected: list[str] = []
    for path in sorted(INVALID_FIXTURES.iterdir()):
        if path.suffix == ".expect" or path.name == "README.md":
            continue
        header = path.with_suffix(".expect") if path.with_suffix(".expect").exists() else path
        marked = has_reject_marker(header.read_text(encoding="utf-8", errors="replace"))
        try:
            document = as_json(tomli.loads(path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError, ValueError):
            continue
        rejected = bool(errors(document))
        if marked and not rejected:
            accepted.append(path.name)
        if rejected and not marked:
            unmarked_but_rejected.append(path.name)
    assert not accepted, "the schema accepts fixtures marked '# schema: reject': " + ", ".join(
        accepted)
    assert not unmarked_but_rejected, (
        "the schema rejects these; mark them '# schema: reject': "
        + ", ".join(unmarked_but_rejected))


# ---------------------------------------------------------------------------------------------
# Mutations of the example the schema must reject, and variants it must accept

Mutation = Callable[[dict[str, Any]], None]


def _event(document: dict[str, Any], index: int = 0) -> dict[str, Any]:
    event: dict[str, Any] = document["events"][index]
    return event


def _set_date(value: Any) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        _event(document)["date"] = value

    return mutate


def _set(section: str, key: str, value: Any, index: int = 0) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target = document[section] if section == "article" else document[section][index]
        target[key] = value

    return mutate


def _drop(section: str, key: str, index: int = 0) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        target = document[section] if section == "article" else document[section][index]
        del target[key]

    return mutate


def _set_top(key: str, value: Any) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document[key] = value

    return mutate


REJECTED: dict[str, Mutation] = {
    "unknown top-level key": _set_top("version", 1),
    "unknown key in article": _set("article", "subtitle", "x"),
    "unknown key in an entity": _set("entities", "nickname", "x"),
    "unknown key in a theme": _set("themes", "colour", "blue"),
    "unknown key in a relationship": _set("relationships", "trends", "improving"),
    "unknown key in an event": _set("events", "dat", "2023"),
    "unknown key in a figure": _set("figures", "approx", True),
    "format 2": _set_top("format", 2),
    "format as a string": _set_top("format", "1"),
    "missing article": lambda d: d.pop("article"),
    "missing entities": lambda d: d.pop("entities"),
    "missing event score": _drop("events", "score"),
    "missing entity source": _drop("entities", "source"),
    "score as a string": _set("events", "score", "3"),
    "score as a boolean": _set("events", "score", True),
    "score above 10": _set("events", "score", 10.5),
    "score below -10": _set("events", "score", -11),
    "bad entity kind": _set("entities", "kind", "state"),
    "bad trend": _set("relationships", "trend", "worsening"),
    "bad PLOVER type": _set("events", "type", "HELP"),
    "lowercase PLOVER type": _set("events", "type", "agree"),
    "month 13": _set_date("2023-13"),
    "month 00": _set_date("2023-00"),
    "day 32": _set_date("2023-01-32"),
    "date in words": _set_date("June 2023"),
    "two-digit year": _set_date("23"),
    "slashes in a day": _set_date("2023/06/08"),
    "open interval": _set_date("2023/"),
    "three-part interval": _set_date("2021/2022/2023"),
    "two qualifiers": _set_date("2023~?"),
    "qualifier first": _set_date("~2023"),
    "date with a trailing newline": _set_date("2023\n"),
    "date with a time": _set_date("2023-06-08T10:00"),
    "date as a number": _set_date(2023),
    "covers not a date": _set("article", "covers", "the year"),
    "published not ISO": _set("article", "published", "31/12/2023"),
    "published impossible": _set("article", "published", "2023-02-30"),
    "published with a time": _set("article", "published", "2023-12-31T00:00:00"),
    "pair of one": _set("relationships", "pair", ["XRU"]),
    "pair of three": _set("relationships", "pair", ["XRU", "XGR", "XKR"]),
    "pair of numbers": _set("relationships", "pair", [1, 2]),
    "source paragraph 0": _set("events", "source", [0]),
    "source as strings": _set("events", "source", ["1"]),
    "source empty": _set("themes", "source", []),
    "source not an array": _set("figures", "source", 2),
    "paragraphs 0": _set("article", "paragraphs", 0),
    "no actors": _set("events", "actors", []),
    "no relationships on an event": _set("events", "relationships", []),
    "control character in a title": _set("events", "title", "bell\x07"),
    "carriage return in a summary": _set("relationships", "summary", "a\r\nb"),
    "C1 control character in a name": _set("entities", "name", "x\x85y"),
    "id with a space": _set("entities", "id", "two words"),
    "empty id": _set("events", "id", ""),
    "id with a trailing newline": _set("events", "id", "abc\n"),
    "figure value as a string": _set("figures", "value", "1.2 billion"),
    "approximate as a string": _set("figures", "approximate", "yes"),
    "aliases as a string": _set("entities", "aliases", "Strelsau"),
    "bad wikidata": _set("entities", "wikidata", "Pakistan"),
    "entity not a table": lambda d: d["entities"].append("XRU"),
    "events as a table": _set_top("events", {"id": "x"}),
}

ACCEPTED: dict[str, Mutation] = {
    "year": _set_date("2023"),
    "month": _set_date("2023-06"),
    "day": _set_date("2023-11-08"),
    "approximate month": _set_date("2023-06~"),
    "uncertain day": _set_date("2023-11-08?"),
    "month interval": _set_date("2021-01/2021-04"),
    "qualified interval": _set_date("2021-01~/2021-04?"),
    "mixed-precision interval": _set_date("2019-08/2021"),
    "decimal score": _set("events", "score", 2.5),
    "score at -10": _set("events", "score", -10),
    "score at +10": _set("events", "score", 10),
    "newline and tab in text": _set("relationships", "summary", "one\n\ttwo"),
    "no themes, relationships, events or figures": lambda d: [
        d.pop(key) for key in ("themes", "relationships", "events", "figures")
    ],
    "relationship without themes": _drop("relationships", "themes"),
    "ISO country id": _set("entities", "id", "PAK"),
    "wikidata QID": _set("entities", "wikidata", "Q30"),
    "float figure": _set("figures", "value", 1.7),
}


@pytest.mark.parametrize("mutate", REJECTED.values(), ids=REJECTED.keys())
def test_schema_rejects(mutate: Mutation) -> None:
    document = example()
    mutate(document)
    assert_rejected(document, "this mutation of docs/example.toml")


@pytest.mark.parametrize("mutate", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_schema_accepts(mutate: Mutation) -> None:
    document = example()
    mutate(document)
    assert_valid(document, "this variant of docs/example.toml")
