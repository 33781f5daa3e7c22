"""`policyterm export --format csv`: every table read back by Python's csv module equals the
model, field by field; text a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE, ROOT, hostile_model
from policyterm.core.export_csv import COLUMNS, TABLES, guarded, to_csv
from policyterm.core.loading import load_model
from policyterm.core.model import Model

BUNDLED = ROOT / "data" / "article.toml"


def unguarded(cell: str) -> str:
    """The model's text back from a text cell written by `guarded`."""
    return cell[1:] if cell.startswith("'") else cell


def read_back(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def text_cell(value: str | None) -> str:
    return "" if value is None else value


def joined(values: tuple[Any, ...]) -> str:
    return ";".join(str(v).replace("\\", "\\\\").replace(";", "\\;") for v in values)


def split_list(cell: str) -> list[str]:
    """A list cell's items, as a reader splits them: at each ";" without a "\\" before it."""
    items, current, chars = [], "", iter(cell)
    for char in chars:
        if char == "\\":
            current += next(chars, "")
        elif char == ";":
            items, current = [*items, current], ""
        else:
            current += char
    return [*items, current]


def expected_rows(model: Model, table: str) -> list[dict[str, Any]]:
    """The model's values, as the CSV reads back once text cells are unguarded."""
    if table == "events":
        return [{"id": e.id, "date": e.date.text, "date_text": text_cell(e.date_text),
                 "earliest": e.date.lower.isoformat(), "latest": e.date.upper.isoformat(),
                 "title": e.title, "summary": text_cell(e.summary), "actors": joined(e.actors),
                 "recipients": joined(e.recipients), "type": e.type.value,
                 "mode": text_cell(e.mode), "context": joined(e.context), "score": e.score,
                 "relationships": joined(e.relationships), "source": joined(e.source)}
                for e in model.events]
    if table == "figures":
        return [{"id": f.id, "value": f.value, "unit": f.unit,
                 "approximate": "true" if f.approximate else "false", "label": f.label,
                 "relationships": joined(f.relationships), "events": joined(f.events),
                 "source": joined(f.source)} for f in model.figures]
    if table == "entities":
        return [{"id": e.id, "kind": e.kind.value, "name": e.name, "aliases": joined(e.aliases),
                 "role": text_cell(e.role), "member_of": text_cell(e.member_of),
                 "members": joined(e.members), "wikidata": text_cell(e.wikidata),
                 "source": joined(e.source)} for e in model.entities]
    return [{"id": r.id, "side_1": r.pair[0], "side_2": r.pair[1], "trend": r.trend.value,
             "headline": r.headline, "summary": r.summary, "themes": joined(r.themes),
             "source": joined(r.source)} for r in model.relationships]


NUMBERS = {"score", "value"}


def as_model_values(row: dict[str, str]) -> dict[str, Any]:
    return {key: float(cell) if key in NUMBERS else unguarded(cell)
            for key, cell in row.items() if key != "as_read"}


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("which", ["example", "bundled", "hostile"])
def test_every_table_reads_back_exactly(table: str, which: str, tmp_path: Path) -> None:
    path = {"example": EXAMPLE, "bundled": BUNDLED}.get(which) or hostile_model(tmp_path)
    model = load_model(path)
    text = to_csv(model, table)
    rows = read_back(text)
    assert list(rows[0]) == list(COLUMNS[table]) if rows else True
    assert [as_model_values(row) for row in rows] == expected_rows(model, table)
    assert text == to_csv(model, table)  # deterministic


def test_rfc_4180_lines_and_quoting() -> None:
    text = to_csv(load_model(EXAMPLE), "events")
    assert text.startswith("id,date,date_text,earliest,latest,title,")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert ("river-talks,2023,,2023-01-01,2023-12-31,River talks stall,Graustark turned down "
            "every proposal to share the river's flow.,XGR,XRU,REJECT,,territory,-2,xru-xgr,3"
            ) in text
    assert "trade-accord,2023-10/2023-12,in the last quarter,2023-10-01,2023-12-31," in text
    summary = to_csv(load_model(EXAMPLE), "relationships").split("\r\n")[1]
    assert summary.count('"') == 2  # the summary holds a comma: quoted, once


def test_formula_starts_are_written_as_text(tmp_path: Path) -> None:
    model = load_model(hostile_model(tmp_path))
    events = {row["id"]: row for row in read_back(to_csv(model, "events"))}
    assert events["dam-protest"]["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert events["lenz-visit"]["mode"] == "'-visit"
    assert events["river-talks"]["title"].startswith("![img]")  # "!" runs nothing
    assert events["dam-protest"]["score"] == "-4"  # a number: never prefixed
    figures = read_back(to_csv(model, "figures"))
    assert figures[0]["label"] == "'+1 @SUM(A1) 'quoted"
    entities = {row["id"]: row for row in read_back(to_csv(model, "entities"))}
    assert entities["mara-lenz"]["role"] == "'- minister & <i>envoy</i>"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "'=x", "'", "plain", ""])
def test_guarding_is_reversible(text: str) -> None:
    assert unguarded(guarded(text)) == text
    assert not guarded(text).startswith(("=", "+", "-", "@", "\t"))


def test_list_items_holding_the_separator_split_back(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    old = 'aliases = ["CDB"]'
    assert old in text
    model_path = tmp_path / "model.toml"
    model_path.write_text(text.replace(old, r'aliases = ["CDB; Dev Bank", "a\\b", "x"]'),
                          encoding="utf-8")
    model = load_model(model_path)
    bank = next(row for row in read_back(to_csv(model, "entities")) if row["id"] == "cdb")
    assert split_list(unguarded(bank["aliases"])) == ["CDB; Dev Bank", "a\\b", "x"]
