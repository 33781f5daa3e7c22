"""Parsing in batches gives exactly what parsing the whole file gives: the same model, or the
same problems in the same order, syntax errors with the same line and column.

Batches here are tiny (BATCH_BYTES = 1: one table each), so every [[events]] and [[figures]]
header is a cut. Each case also says whether the batches were used or the whole parse took
over, so a fallback that silently stops happening (or starts) is noticed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli

from policyterm import loader
from policyterm.loader import (
    Model,
    ModelError,
    decode_text,
    parse_bytes,
    parse_document,
    parse_toml,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example.toml"
NAME = "b.toml"

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402  (benchmarks/generate.py)

Outcome = tuple[str, object]


@pytest.fixture(autouse=True)
def one_table_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "BATCH_BYTES", 1)


@pytest.fixture
def batched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Records, for each parse_bytes, whether the batches gave the answer."""
    used: list[bool] = []
    original = loader._parse_in_batches

    def spy(*args: object) -> Model | None:
        try:
            model = original(*args)  # type: ignore[arg-type]
        except ModelError:
            used.append(True)
            raise
        used.append(model is not None)
        return model

    monkeypatch.setattr(loader, "_parse_in_batches", spy)
    yield used


def outcome(parse: object, data: bytes) -> Outcome:
    try:
        return ("model", parse(data, NAME))  # type: ignore[operator]
    except ModelError as error:
        return ("problems", [str(problem) for problem in error.problems])


def whole(data: bytes, name: str) -> Model:
    return parse_document(parse_toml(decode_text(data, name), name), name)


def assert_same_as_whole(data: bytes) -> Outcome:
    result = outcome(parse_bytes, data)
    assert result == outcome(whole, data)
    return result


EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
FIRST_EVENT = EXAMPLE_TEXT.index("[[events]]")
FIRST_FIGURE = EXAMPLE_TEXT.index("[[figures]]")


def example_with(text: str, at: int) -> bytes:
    return (EXAMPLE_TEXT[:at] + text + EXAMPLE_TEXT[at:]).encode("utf-8")


def test_a_generated_model_parses_the_same_in_batches(batched: list[bool]) -> None:
    data = generate.generate(12, 300, 1).encode("utf-8")
    kind, model = assert_same_as_whole(data)
    assert kind == "model" and isinstance(model, Model) and len(model.events) == 300
    assert batched == [True]


def test_the_example_parses_the_same_in_batches(batched: list[bool]) -> None:
    assert assert_same_as_whole(EXAMPLE.read_bytes())[0] == "model"
    assert batched == [True]


def test_problems_keep_their_index_in_the_file_and_their_order(batched: list[bool]) -> None:
    data = generate.generate(12, 60, 2).encode("utf-8")
    # Break every 7th event and every figure; events and figures interleave in no file order.
    text = data.decode("utf-8").replace('type = "', 'type = "X', 60 // 7 + 1)
    text = text.replace("unit = ", "unit = 1 #", 3)
    kind, problems = assert_same_as_whole(text.encode("utf-8"))
    assert kind == "problems" and isinstance(problems, list)
    assert any(p.startswith(f"{NAME}: events[0] (id ") for p in problems)
    assert any("figures[2]" in p for p in problems)
    assert batched == [True]


@pytest.mark.parametrize("quotes", ['"""', "'''"])
def test_a_header_inside_a_multi_line_string_falls_back(batched: list[bool],
                                                        quotes: str) -> None:
    summary = f'summary = {quotes}\nbefore\n[[events]]\nid = "not-an-event"\n{quotes}\n'
    at = EXAMPLE_TEXT.index("\n", FIRST_EVENT) + 1
    kind, model = assert_same_as_whole(example_with(summary, at))
    assert kind == "model" and isinstance(model, Model)
    assert any(e.summary and "[[events]]" in e.summary for e in model.events)
    assert batched == [False]


def test_a_header_inside_a_multi_line_string_in_the_head_falls_back(
        batched: list[bool]) -> None:
    line = next(li for li in EXAMPLE_TEXT.splitlines() if
                li.startswith("summary = \"A ministerial"))
    data = EXAMPLE_TEXT.replace(line, 'summary = """\n[[figures]]\n"""').encode("utf-8")
    assert assert_same_as_whole(data)[0] == "model"
    assert batched == []  # the head did not parse: no batches at all


def test_article_defined_twice_across_a_cut_is_the_whole_parse_error(
        batched: list[bool]) -> None:
    kind, problems = assert_same_as_whole(example_with('[article]\ntitle = "again"\n',
                                                       FIRST_FIGURE))
    assert kind == "problems" and isinstance(problems, list)
    assert problems[0].startswith(f"{NAME}:") and "TOML syntax error" in problems[0]
    assert batched == [False]


def test_article_after_the_events_is_accepted(batched: list[bool]) -> None:
    start = EXAMPLE_TEXT.index("[article]")
    end = EXAMPLE_TEXT.index("\n[[relationships]]")
    article = EXAMPLE_TEXT[start:end]
    text = EXAMPLE_TEXT[:start] + EXAMPLE_TEXT[end:] + "\n" + article + "\n"
    assert assert_same_as_whole(text.encode("utf-8"))[0] == "model"
    assert batched == [False]


def test_entities_after_the_events_are_accepted(batched: list[bool]) -> None:
    start = EXAMPLE_TEXT.index("entities = [")
    end = EXAMPLE_TEXT.index("]\n\n", start) + 2
    entities = tomli.loads(EXAMPLE_TEXT[start:end])["entities"]
    tables = "".join("[[entities]]\n" + "".join(f"{key} = {json.dumps(value)}\n"
                                                  for key, value in entity.items())
                     for entity in entities)
    text = EXAMPLE_TEXT[:start] + EXAMPLE_TEXT[end:] + "\n" + tables
    kind, model = assert_same_as_whole(text.encode("utf-8"))
    assert kind == "model" and isinstance(model, Model) and len(model.entities) == 6
    assert batched == [False]


def test_events_inline_then_as_tables_is_the_whole_parse_error(batched: list[bool]) -> None:
    data = example_with("events = []\n", EXAMPLE_TEXT.index("[article]"))
    kind, problems = assert_same_as_whole(data)
    assert kind == "problems" and isinstance(problems, list)
    assert "TOML syntax error" in problems[0]
    assert batched == []  # the head defines events: no batches at all


def test_a_table_extending_an_earlier_batch_falls_back(batched: list[bool]) -> None:
    # [events.extra] after a [[figures]] header adds to the last event of an earlier batch.
    data = (EXAMPLE_TEXT + '\n[events.extra]\nnote = "x"\n').encode("utf-8")
    kind, problems = assert_same_as_whole(data)
    assert kind == "problems" and isinstance(problems, list)
    assert any(".extra: unknown key" in p for p in problems)
    assert batched == [False]


@pytest.mark.parametrize(
    "text",
    [
        'title = "unterminated\n',
        "score = 1\nscore = 2\n",
        "oops\n",
        "big = 1" + "0" * 5000 + "\n",
        "x = " + "[" * 1000 + "]" * 1000 + "\n",
        "[[events ]]\nid = 1\n[[ figures]]\n",
    ],
    ids=["unterminated string", "key twice", "bare word", "5001 digits", "nested", "spacing"],
)
def test_an_error_at_the_end_is_the_whole_parse_error(batched: list[bool], text: str) -> None:
    kind, problems = assert_same_as_whole((EXAMPLE_TEXT + text).encode("utf-8"))
    assert kind == "problems" and isinstance(problems, list)
    if "[[events ]]" in text:  # it parses: a problem with the model, from the batches
        assert batched == [True]
    else:
        assert "TOML syntax error" in problems[0] or "nested too deeply" in problems[0]
        assert batched == [False]


def test_bad_utf8_in_a_late_batch_is_the_whole_decode_error(batched: list[bool]) -> None:
    data = EXAMPLE.read_bytes() + b'[[figures]]\nid = "\xc3\x28"\n'
    kind, problems = assert_same_as_whole(data)
    assert kind == "problems" and isinstance(problems, list)
    assert "is not valid UTF-8" in problems[0]
    assert batched == [False]


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["no BOM", "BOM"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_bom_and_line_ends(batched: list[bool], prefix: bytes, newline: bytes) -> None:
    data = prefix + EXAMPLE.read_bytes().replace(b"\n", newline)
    assert assert_same_as_whole(data)[0] == "model"
    assert batched == [True]


def test_a_file_that_starts_with_events(batched: list[bool]) -> None:
    data = EXAMPLE_TEXT[FIRST_EVENT:].encode("utf-8")
    assert assert_same_as_whole(data)[0] == "problems"
    assert assert_same_as_whole(b"\xef\xbb\xbf" + data)[0] == "problems"
    assert batched == [True, True]


def test_the_preview_is_the_head_before_the_rest() -> None:
    seen: list[Model] = []
    model = parse_bytes(EXAMPLE.read_bytes(), NAME, on_preview=seen.append)
    (preview,) = seen
    assert preview.entities == model.entities and preview.relationships == model.relationships
    assert preview.events == ()
