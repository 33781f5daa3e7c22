"""Where the scanner says keys and values are: checked against tomli's own reading of them.

For every scalar value tomli finds, the text the scanner points at must parse back to that
value; for every key, the text there must spell the key. A text the scanner does not
understand must give fewer places, never wrong ones, and never an exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli

from policyterm.core.loading import ModelError, parse_bytes
from policyterm.core.loading.positions import Keys, scan
from policyterm.core.loading.problems import line_and_column, lines_and_columns

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "invalid"

ODD_LAYOUTS = '''\
# comments [with] "quotes" and = signs
format = 1 # trailing comment
"quoted key" = 'literal # not a comment'
dotted.inner . deeper = 2024-01-05 10:00:00
entities = [  # one per line, with comments between
  { id = "A", source = [1, 2,], note = """a [multi-line]
string with "quotes" and # signs""" },

  # a comment line inside the array
  {id="B",source=[[1, 2], [3]]},
]
numbers = [1.5, -inf, 0x1F, 1_000, 1e-3, +7, true, 07:32:00, 1979-05-27T07:32:00Z]

[article]
title = \'\'\'literal
multi-line\'\'\'
sub.table = { a = { b = [ { c = 1 } ] } }

[[events]]
id = "first"

[events.extra]
note = "a table inside the first event"

[[events]]
id = "second"
"escaped\\u0041key" = "x"
'''


def _leaves(value: Any, keys: Keys = ()) -> list[tuple[Keys, Any]]:
    """Every place in a parsed document with its value, containers included."""
    found: list[tuple[Keys, Any]] = [(keys, value)] if keys else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _leaves(inner, (*keys, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _leaves(inner, (*keys, index))
    return found


def _texts() -> list[tuple[str, str]]:
    texts = [("example", (ROOT / "docs" / "example.toml").read_text(encoding="utf-8")),
             ("article", (ROOT / "data" / "article.toml").read_text(encoding="utf-8")),
             ("odd-layouts", ODD_LAYOUTS)]
    for path in sorted(FIXTURES.glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
            tomli.loads(text)
        except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError, ValueError):
            continue
        texts.append((path.name, text))
    return texts


TEXTS = _texts()


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[name for name, _ in TEXTS])
def test_every_value_and_key_is_found_where_it_is(name: str, text: str) -> None:
    leaves = _leaves(tomli.loads(text))
    keys, values = scan(text, {place for place, _ in leaves})
    for place, value in leaves:
        assert place in values, f"{name}: no position for {place}"
        start, end = values[place]
        if not isinstance(value, (dict, list)):
            again = tomli.loads("v = " + text[start:end])["v"]
            assert again == value or (again != again and value != value), (name, place)  # NaN
        last = place[-1]
        if isinstance(last, str):
            assert place in keys, f"{name}: no position for the key of {place}"
            spelt = text[keys[place]:keys[place] + len(last) + 2]
            assert spelt.startswith((last, f'"{last}', f"'{last}")) or "\\" in spelt, (name, place)


def test_a_text_cut_anywhere_gives_fewer_places_never_wrong_ones() -> None:
    whole_keys, whole_values = scan(ODD_LAYOUTS, {p for p, _ in _leaves(tomli.loads(ODD_LAYOUTS))})
    wanted = set(whole_keys) | set(whole_values)
    for cut in range(0, len(ODD_LAYOUTS), 7):
        keys, values = scan(ODD_LAYOUTS[:cut], wanted)
        assert all(whole_keys[place] == offset for place, offset in keys.items())
        assert all(whole_values[place][0] == span[0] for place, span in values.items())


def test_what_the_scanner_cannot_read_ends_the_scan_quietly() -> None:
    """Places before a character the scanner does not know stand; those after it are left
    out (a problem there keeps its path, with no line)."""
    _, values = scan("a = 1\nb = \u00e9\n", {("a",), ("b",)})
    assert values == {("a",): (4, 5)}
    text = "format = 1\nentities = []\n[article]\ntitle = 5\n"
    with pytest.raises(ModelError) as caught:
        parse_bytes(text.encode(), "m.toml")
    title = next(p for p in caught.value.problems if p.path == "article.title")
    assert str(title).startswith("m.toml:4:9: article.title: 5 is an integer")


def test_lines_and_columns_of_many_offsets_match_one_at_a_time() -> None:
    text = "ab\n\ncd\u00e9f\n\ng"
    offsets = list(range(len(text) + 1))
    many = lines_and_columns(text, reversed(offsets))
    for offset in offsets:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert many[offset] == line_and_column(text, offset) == (line, column)


def test_problems_come_in_file_order_whatever_order_they_were_found(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "example.toml").read_text(encoding="utf-8")
    broken = text.replace('actors = ["cdb"]', 'actors = ["imf"]').replace(
        'paragraphs = 5', 'paragraphs = 5\ncolour = "red"').replace("score = 3", "score = 30")
    with pytest.raises(ModelError) as caught:
        parse_bytes(broken.encode(), "m.toml")
    lines = [(p.line or 0, p.column or 0) for p in caught.value.problems]
    assert len(lines) == 3 and lines == sorted(lines) and all(line for line, _ in lines)
