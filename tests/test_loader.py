"""The loader: docs/example.toml into the model, and one failing case for each rule."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import tomli

from policyterm.core.dates import parse_edtf
from policyterm.core.loading import ModelError, Problem, load_model, parse_bytes
from policyterm.core.loading.build import parse_document
from policyterm.core.loading.reading import decode_text, parse_toml
from policyterm.core.model import (
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

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "example.toml"
NAME = "example.toml"


@cache
def _example_document() -> dict[str, Any]:
    return tomli.loads(EXAMPLE.read_text(encoding="utf-8"))


def document() -> dict[str, Any]:
    """A fresh, mutable copy of docs/example.toml as parsed TOML."""
    return copy.deepcopy(_example_document())


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model(EXAMPLE)


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ModelError) as caught:
        parse_document(doc, NAME)
    return [str(problem) for problem in caught.value.problems]


# ---------------------------------------------------------------------------------------------
# The example loads into the expected objects


def test_article(model: Model) -> None:
    assert model.article == Article(
        title="Ruritania and its neighbours",
        published=dt.date(2024, 1, 5),
        covers=parse_edtf("2023"),
        focus="XRU",
        paragraphs=5,
        standfirst="A quiet year with Kravonia, a loud one over the river",
        author="A correspondent",
        source_file="example-source.md",
    )


def test_entities(model: Model) -> None:
    assert [e.id for e in model.entities] == ["XRU", "XGR", "XKR", "lake-league", "cdb",
                                             "mara-lenz"]
    assert model.entities[0] == Entity(id="XRU", kind=EntityKind.COUNTRY, name="Ruritania",
                                       source=(1, 2, 3, 4, 5), aliases=("Strelsau",))
    league = model.entities[3]
    assert league.kind is EntityKind.BLOC and league.members == ("XGR", "XKR")
    lenz = model.entities[5]
    assert (lenz.kind, lenz.role, lenz.member_of) == (EntityKind.PERSON, "Foreign minister", "XRU")
    assert lenz.aliases == () and lenz.wikidata is None


def test_themes(model: Model) -> None:
    assert model.themes == (Theme("water", "Water", (2, 3)),
                            Theme("investment", "Investment", (4, 5)))


def test_relationships(model: Model) -> None:
    first = model.relationships[0]
    assert first == Relationship(
        id="xru-xgr", pair=("XRU", "XGR"), trend=Trend.DETERIORATING,
        headline="Dispute over the shared river",
        summary="Graustark's dam upstream turned a long-standing disagreement over river water "
        "into open protest, and talks during the year went nowhere.",
        source=(1, 2, 3), themes=("water",),
    )
    assert first.other_side("XRU") == "XGR" and first.other_side("XGR") == "XRU"
    assert [r.trend for r in model.relationships] == [Trend.DETERIORATING, Trend.IMPROVING,
                                                      Trend.STABLE]


def test_events_are_sorted_and_typed(model: Model) -> None:
    assert [e.id for e in model.events] == [
        "river-talks",   # 2023-01-01..2023-12-31
        "dam-protest",   # 2023-03
        "lenz-visit",    # 2023-05-16
        "cdb-loan",      # 2023-06~
        "trade-accord",  # 2023-10/2023-12
    ]
    keys = [(e.date.lower, e.date.upper, e.id) for e in model.events]
    assert keys == sorted(keys)
    visit = model.events[2]
    assert visit == Event(
        id="lenz-visit", date=parse_edtf("2023-05-16"), date_text="May 16",
        title="Foreign minister Lenz visits Kravonia", actors=("mara-lenz", "XKR"),
        type=EventType.CONSULT, mode="visit", context=("diplomatic", "economic"), score=3,
        relationships=("xru-xkr",), source=(4,),
    )
    assert visit.recipients == () and visit.summary is None
    talks = model.events[0]
    assert talks.summary == "Graustark turned down every proposal to share the river's flow."
    assert talks.date_text is None
    assert model.events[4].date_text == "in the last quarter"
    assert model.events[4].date.display() == "Q4 2023"
    assert model.events[1].score == -4 and model.events[1].type is EventType.PROTEST


def test_figures(model: Model) -> None:
    assert model.figures[0] == Figure(
        id="loan-size", value=1_200_000_000, unit="USD", label="Size of the development "
        "bank's loan", source=(5,), approximate=True, relationships=("xru-cdb",),
        events=("cdb-loan",),
    )
    assert model.figures[1].approximate is False and model.figures[1].events == ()


def test_events_sorted_whatever_the_file_order() -> None:
    doc = document()
    doc["events"].reverse()
    model = parse_document(doc, NAME)
    assert model.events[0].id == "river-talks"
    assert [e.id for e in model.events] == [e.id for e in load_model(EXAMPLE).events]


def test_events_sort_by_lower_then_upper_then_id() -> None:
    doc = document()
    template = doc["events"][0]
    dates = {"z-year": "2023", "a-day": "2023-01-01", "b-month": "2023-01",
             "c-quarter": "2023-01/2023-03", "d-late": "2023-11-08", "a-late": "2023-11-08",
             "early": "2022-12~", "span": "2022/2024", "june": "2023-06?"}
    doc["events"] = [dict(template, id=ident, date=date) for ident, date in dates.items()]
    doc["figures"][0]["events"] = []
    assert [e.id for e in parse_document(doc, NAME).events] == [
        "span",       # 2022-01-01..2024-12-31
        "early",      # 2022-12-01..2022-12-31
        "a-day",      # 2023-01-01..2023-01-01
        "b-month",    # 2023-01-01..2023-01-31
        "c-quarter",  # 2023-01-01..2023-03-31
        "z-year",     # 2023-01-01..2023-12-31
        "june",
        "a-late",     # same interval as d-late: by id
        "d-late",
    ]


def test_same_interval_events_sort_by_id() -> None:
    doc = document()
    for index, ident in enumerate(["e", "c", "a", "d", "b"]):
        doc["events"][index]["date"] = "2023-07"
        doc["events"][index]["id"] = ident
    doc["figures"][0]["events"] = ["a"]
    assert [e.id for e in parse_document(doc, NAME).events] == ["a", "b", "c", "d", "e"]


# ---------------------------------------------------------------------------------------------
# The model is frozen


def test_model_is_frozen(model: Model) -> None:
    with pytest.raises(AttributeError):  # every record is a named tuple
        model.article.title = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        model.events = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        model.events[0].score = 9  # type: ignore[misc]
    with pytest.raises(AttributeError):  # dates too
        model.events[0].date.start.year = 1999  # type: ignore[misc]
    with pytest.raises(AttributeError):
        model.entities[0].source.append(6)  # type: ignore[attr-defined]
    assert isinstance(model.entities, tuple) and isinstance(model.events[0].actors, tuple)
    assert all(isinstance(e.source, tuple) for e in model.entities)
    hash(model)  # frozen all the way down: hashable


# ---------------------------------------------------------------------------------------------
# One failing case per rule: the message names the path and says what is expected

Mutation = Callable[[dict[str, Any]], None]


def at(section: str, index: int, key: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc[section] if section == "article" else doc[section][index]
        target[key] = value

    return mutate


def drop(section: str, index: int, key: str) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target = doc[section] if section == "article" else doc[section][index]
        del target[key]

    return mutate


def top(key: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc[key] = value

    return mutate


EV0 = 'events[0] (id "dam-protest")'
EN0 = 'entities[0] (id "XRU")'
RE0 = 'relationships[0] (id "xru-xgr")'
FI0 = 'figures[0] (id "loan-size")'

RULES: dict[str, tuple[Mutation, str]] = {
    "format wrong": (top("format", 2), "format: 2 is not a supported format; expected format = 1"),
    "format missing": (lambda d: d.pop("format"),
                       "format: is missing; expected format = 1 as the first key"),
    "format boolean": (top("format", True), "format: true is not a supported format"),
    "article missing": (lambda d: d.pop("article"),
                        "article: is missing; expected an [article] table"),
    "article not a table": (top("article", "x"),
                            'article: "x" is a string; expected an [article] table'),
    "entities missing": (lambda d: d.pop("entities"),
                         "entities: is missing; expected entities = [ ... ] before [article]"),
    "events a table": (top("events", {"id": "x"}), "events: is a table; expected an array of "
                       "tables ([[events]] tables)"),
    "entity not a table": (lambda d: d["entities"].append(5),
                           "entities[6]: 5 is an integer; expected a table"),
    "unknown top-level key": (top("version", 1), "version: unknown key; expected one of "
                              "format, entities, themes, article, relationships, events, figures"),
    "unknown key with a hint": (at("events", 0, "dat", "2023"), f'{EV0}.dat: unknown key (did '
                                'you mean "date"?); expected one of id, date, date_text'),
    "unknown article key": (at("article", 0, "subtitle", "x"),
                            'article.subtitle: unknown key (did you mean "title"?)'),
    "required key missing": (drop("events", 0, "score"),
                             f"{EV0}.score: is missing; this key is required"),
    "string wrong type": (at("entities", 0, "name", 5),
                          f"{EN0}.name: 5 is an integer; expected a string"),
    "control character": (at("events", 0, "title", "a\x07b"), f"{EV0}.title: holds the control "
                          "character U+0007 at character 2; expected one line of text with "
                          "no control characters"),
    # A summary may hold newlines and tabs: its wording says so; a title's did too.
    "control character in a summary": (at("events", 0, "summary", "a\x07b"), f"{EV0}.summary: "
                                       "holds the control character U+0007 at character 2; "
                                       "expected text with no control characters but "
                                       "newline and tab"),
    "integer wrong type": (at("article", 0, "paragraphs", 5.0),
                           "article.paragraphs: 5.0 is a float; expected an integer"),
    "paragraphs too small": (at("article", 0, "paragraphs", 0), "article.paragraphs: 0 is too "
                             "small; expected the number of paragraphs, at least 1"),
    "published a string": (at("article", 0, "published", "2024-01-05"), 'article.published: '
                           '"2024-01-05" is a string; expected a TOML local date such as '
                           "2023-12-31 (no quotes)"),
    "published a date-time": (at("article", 0, "published", dt.datetime(2024, 1, 5, 9)),
                              "article.published: 2024-01-05T09:00:00 is a date-time"),
    "published a time": (at("article", 0, "published", dt.time(9)),
                         "article.published: 09:00:00 is a time; expected a TOML local date"),
    "covers not a date": (at("article", 0, "covers", "2023-13"), 'article.covers: "2023-13" is '
                          "not a date: there is no month 13; expected 01..12"),
    "date impossible": (at("events", 0, "date", "2023-02-30"), f'{EV0}.date: "2023-02-30" is not '
                        "a date: Feb 2023 has no day 30; expected 01..28"),
    "date reversed": (at("events", 0, "date", "2023-05/2023-04"), f'{EV0}.date: "2023-05/2023-04"'
                      " is not a date: the interval ends before it starts"),
    "date not a string": (at("events", 0, "date", dt.date(2023, 3, 1)), f"{EV0}.date: 2023-03-01 "
                          "is a date; expected a date string such as"),
    "score out of range": (at("events", 0, "score", 10.01), f"{EV0}.score: 10.01 is out of "
                           "range; expected a score from -10 to +10"),
    "score beyond 64 bits": (at("events", 0, "score", 2**64), f"{EV0}.score: 18446744073709551616 "
                             "is beyond TOML's range; expected a 64-bit integer"),
    "huge integer shown short": (at("entities", 0, "name", -(2**5000)), f"{EN0}.name: an "
                                 "integer of about 1506 digits is an integer; expected a string"),
    "source beyond 64 bits": (at("events", 0, "source", [2**63]), f"{EV0}.source: item 0: "
                              "9223372036854775808 is beyond TOML's range"),
    "score nan": (at("events", 0, "score", float("nan")),
                  f"{EV0}.score: nan is not a number; expected a finite number"),
    "score bool": (at("events", 0, "score", False),
                   f"{EV0}.score: false is a boolean; expected a number"),
    # As 1e400 reads: the author may never have written "inf".
    "figure inf": (at("figures", 0, "value", float("-inf")),
                   f"{FI0}.value: is infinite (written -inf, or a number past about "
                   "-1.8e308); expected a finite number"),
    "approximate not bool": (at("figures", 0, "approximate", 1),
                             f"{FI0}.approximate: 1 is an integer; expected true or false"),
    "entity kind": (at("entities", 0, "kind", "state"), f'{EN0}.kind: "state" is not an entity '
                    "kind; expected one of country, bloc, organisation, armed-group, "
                    "initiative, person"),
    "trend": (at("relationships", 0, "trend", "worse"), f'{RE0}.trend: "worse" is not a trend; '
              "expected one of improving, deteriorating, stalled, stable, mixed"),
    "event type": (at("events", 0, "type", "protest"), f'{EV0}.type: "protest" is not a PLOVER '
                   "event type; expected one of AGREE, CONSULT"),
    "enum not a string": (at("relationships", 0, "trend", 1),
                          f"{RE0}.trend: 1 is an integer; expected a trend: improving"),
    "array not an array": (at("entities", 0, "aliases", "Strelsau"), f'{EN0}.aliases: '
                           '"Strelsau" is a string; expected an array of strings'),
    "array item wrong": (at("events", 0, "context", ["ok", 3]),
                         f"{EV0}.context: item 1: 3 is an integer; expected a string"),
    "source empty": (at("themes", 0, "source", []), 'themes[0] (id "water").source: is empty; '
                     "expected at least one paragraph number"),
    "source beyond": (at("events", 0, "source", [2, 6]), f"{EV0}.source: cites paragraph 6; "
                      "expected a paragraph number from 1 to 5 (article.paragraphs)"),
    "source zero": (at("figures", 0, "source", [0]), f"{FI0}.source: cites paragraph 0"),
    "actors empty": (at("events", 0, "actors", []),
                     f"{EV0}.actors: is empty; expected at least one entity id"),
    "relationships empty": (at("events", 0, "relationships", []),
                            f"{EV0}.relationships: is empty; expected at least one relationship"),
    "pair of one": (at("relationships", 0, "pair", ["XRU"]),
                    f"{RE0}.pair: has 1 id; expected exactly 2 entity ids"),
    "pair of three": (at("relationships", 0, "pair", ["XRU", "XGR", "XKR"]),
                      f"{RE0}.pair: has 3 ids; expected exactly 2 entity ids"),
    "pair same": (at("relationships", 0, "pair", ["XGR", "XGR"]),
                  f'{RE0}.pair: names "XGR" twice; expected two different entities'),
    "id pattern": (at("events", 0, "id", "dam protest"), 'events[0] (id "dam protest").id: "dam '
                   'protest" is not a valid id; expected a letter or digit, then letters, '
                   'digits, "-", "_" or "."'),
    "id empty": (at("themes", 1, "id", ""), 'themes[1] (id "").id: "" is not a valid id'),
    # Pasted look-alikes are named: escaped alone, "\u22124" reads as digits.
    "date with an en dash": (at("events", 0, "date", "2023\u201305"),
                             f'{EV0}.date: "2023\\u201305" is not a date (U+2013, an en dash, '
                             "where ASCII - is meant); expected YYYY"),
    "id with a hyphen": (at("themes", 1, "id", "debt\u2010talks"),
                         'themes[1] (id "debt\\u2010talks").id: "debt\\u2010talks" is not a '
                         "valid id (U+2010, a hyphen, where ASCII - is meant); expected"),
    "name empty": (at("entities", 1, "name", ""),
                   'entities[1] (id "XGR").name: is empty; expected visible text'),
    "optional text empty": (at("events", 0, "date_text", ""),
                            f"{EV0}.date_text: is empty; expected visible text (or leave this "
                            "optional key out)"),
    "headline of spaces": (at("relationships", 0, "headline", "  "),
                           f"{RE0}.headline: holds only spaces; expected visible text"),
    "id not a string": (at("figures", 1, "id", 7),
                        "figures[1].id: 7 is an integer; expected a string"),
    "wikidata": (at("entities", 0, "wikidata", "Q12a"), f'{EN0}.wikidata: "Q12a" is not a '
                 "Wikidata QID; expected Q and a number, such as Q843"),
    "duplicate id": (at("figures", 1, "id", "water"), 'figures[1] (id "water").id: "water" is '
                     "already the id of themes[0]; expected ids unique across the file"),
    "dangling focus": (at("article", 0, "focus", "XXX"), 'article.focus: "XXX" is not the id of '
                       "any entity; expected an entity id defined in this file"),
    "dangling member_of": (at("entities", 5, "member_of", "XRV"), 'entities[5] (id "mara-lenz")'
                           '.member_of: "XRV" is not the id of any entity (did you mean "XRU"?)'),
    "dangling members": (at("entities", 3, "members", ["XGR", "XQQ"]),
                         'entities[3] (id "lake-league").members: "XQQ" is not the id of any '
                         "entity"),
    "dangling pair": (at("relationships", 0, "pair", ["XRU", "imf"]),
                      f'{RE0}.pair: "imf" is not the id of any entity'),
    "dangling theme": (at("relationships", 0, "themes", ["waters"]), f'{RE0}.themes: "waters" is '
                       'not the id of any theme (did you mean "water"?); expected a theme id'),
    "dangling actor": (at("events", 0, "actors", ["XRU", "nobody"]),
                       f'{EV0}.actors: "nobody" is not the id of any entity'),
    "dangling recipient": (at("events", 0, "recipients", ["nobody"]),
                           f'{EV0}.recipients: "nobody" is not the id of any entity'),
    "dangling event relationship": (at("events", 0, "relationships", ["xru-xkr", "xru-xyz"]),
                                    f'{EV0}.relationships: "xru-xyz" is not the id of any '
                                    "relationship"),
    "dangling figure relationship": (at("figures", 0, "relationships", ["r"]),
                                     f'{FI0}.relationships: "r" is not the id of any '
                                     "relationship; expected a relationship id"),
    "dangling figure event": (at("figures", 0, "events", ["cdb-loans"]), f'{FI0}.events: '
                              '"cdb-loans" is not the id of any event (did you mean "cdb-loan"?)'
                              "; expected an event id defined in this file"),
    "misplaced entities": (lambda d: d["article"].update(entities=d.pop("entities")),
                           "article.entities: entities belongs at the top level; expected it "
                           "before the first [table] header"),
}


def test_misplaced_entities_are_said_once_not_also_as_an_unknown_key() -> None:
    doc = document()
    doc["article"]["entities"] = doc.pop("entities")
    about = [p for p in problems_of(doc) if "article.entities" in p]
    assert len(about) == 1 and "belongs at the top level" in about[0], about


@pytest.mark.parametrize(("mutate", "expected"), RULES.values(), ids=RULES.keys())
def test_rule(mutate: Mutation, expected: str) -> None:
    doc = document()
    mutate(doc)
    problems = problems_of(doc)
    assert any(f"{NAME}: {expected}" in p for p in problems), "\n".join(problems)
    for problem in problems:
        assert "\n" not in problem
        assert "; expected" in problem or "; this key is required" in problem, problem


def test_the_example_itself_has_no_problems() -> None:
    """The rules above fail because of their mutation, not because of the example."""
    parse_document(document(), NAME)


def test_all_problems_are_reported_at_once() -> None:
    doc = document()
    doc["format"] = 3
    doc["article"]["paragraphs"] = "five"
    doc["entities"][1]["kind"] = "nation"
    doc["themes"][0]["colour"] = "blue"
    doc["relationships"][2]["pair"] = ["cdb", "cdb"]
    doc["events"][3]["date"] = "2023-02-29"
    doc["events"][4]["score"] = -12
    doc["figures"][1]["relationships"] = ["xru-xgr", "nope"]
    with pytest.raises(ModelError) as caught:
        parse_document(doc, NAME)
    paths = [problem.path for problem in caught.value.problems]
    assert paths == [
        "format",
        "article.paragraphs",
        'entities[1] (id "XGR").kind',
        'themes[0] (id "water").colour',
        'relationships[2] (id "xru-cdb").pair',
        'events[3] (id "river-talks").date',
        'events[4] (id "trade-accord").score',
        'figures[1] (id "river-share").relationships',
    ]
    assert str(caught.value).count("\n") == len(paths) - 1
    # paragraphs unknown: no citation is checked against it, so nothing is reported twice.
    assert not any("cites paragraph" in str(p) for p in caught.value.problems)


def test_problem_formats() -> None:
    assert str(Problem("f.toml", "bad", line=3, column=7)) == "f.toml:3:7: bad"
    assert str(Problem("f.toml", "bad", line=3)) == "f.toml:3:1: bad"
    assert str(Problem("f.toml", "bad", path="a.b")) == "f.toml: a.b: bad"
    assert str(Problem("f.toml", "bad")) == "f.toml: bad"
    error = ModelError([Problem("f.toml", "one"), Problem("f.toml", "two")])
    assert str(error) == "f.toml: one\nf.toml: two"


# ---------------------------------------------------------------------------------------------
# Bytes and text


def test_syntax_error_is_located() -> None:
    with pytest.raises(ModelError) as caught:
        parse_bytes(b'format = 1\n\n[article]\ntitle = "open\n', "s.toml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 14)
    assert str(problem).startswith("s.toml:4:14: TOML syntax error: ")


@pytest.mark.parametrize(("value", "note"), [
    ("−4", "(U+2212, a minus sign, where ASCII - is meant)"),
    ("“CPEC”", "(U+201C, a left double quotation mark, where ASCII \" is meant)"),
])
def test_a_look_alike_in_a_bare_value_is_named(value: str, note: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("score = -2", f"score = {value}", 1)
    assert value in text
    with pytest.raises(ModelError) as caught:
        parse_bytes(text.encode(), NAME)
    (problem,) = caught.value.problems
    assert f"is not a value {note}; expected" in str(problem), str(problem)


def test_a_key_given_twice_is_named_with_where_it_was_first() -> None:
    """It said "a key given a value twice", placed at the end of the second line."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1) if line.startswith("trend = "))
    lines.insert(first, '  trend = "stable"')
    with pytest.raises(ModelError) as caught:
        parse_bytes("\n".join(lines).encode(), NAME)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (first + 1, 3)
    assert problem.message == ("TOML syntax error: the key trend given twice in one table "
                               f"(first on line {first}); expected each key once")


@pytest.mark.parametrize(("old", "new", "said"), [
    ("published = 2024-01-05", "published = 2024-1-5",
     "2024-1-5 is not a TOML date; expected YYYY-MM-DD, month and day in two digits"),
    ("published = 2024-01-05", "published = 05/01/2024  # the day it ran",
     "05/01/2024 is not a TOML date; expected YYYY-MM-DD"),
    ("value = 30", "value = 30%", '30% is not a number; expected the number alone (30), '
     'with unit = "percent"'),
    ("value = 30", "value = 1,200,000", "1,200,000 is not a number; expected its digits "
     "without commas"),
])
def test_a_number_or_date_written_as_people_write_them_is_named(old: str, new: str,
                                                                said: str) -> None:
    """Each said "more after a value on its line; expected one key = value per line"."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ModelError) as caught:
        parse_bytes(text.replace(old, new, 1).encode(), NAME)
    (problem,) = caught.value.problems
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(old))
    assert (problem.line, problem.column) == (line, new.index("=") + 3)
    assert problem.message.startswith(f"TOML syntax error: {said}"), problem.message


@pytest.mark.parametrize(("old", "new", "said"), [
    ('source_file = "example-source.md"', 'source_file = "..\\sources\\a.md"',
     "a \\ in a \"string\" that starts no escape; expected \\\\ for one, or the text in "
     "'single quotes' (a path may use /)"),
    ("[article]", "[article", "a table header not closed; expected [name] on a line of its own"),
    ("[[events]]", "[[events]", "a table header not closed; expected [[name]] on a line"),
])
def test_tomlis_own_words_are_said_plainly(old: str, new: str, said: str) -> None:
    """A Windows path said "Unescaped '\\' in a string", with no word of the fix."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ModelError) as caught:
        parse_bytes(text.replace(old, new, 1).encode(), NAME)
    (problem,) = caught.value.problems
    assert problem.message.startswith(f"TOML syntax error: {said}"), problem.message


def test_utf8_bom_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + EXAMPLE.read_bytes()
    assert parse_bytes(data, NAME).article.focus == "XRU"


def test_crlf_line_ends_are_accepted() -> None:
    data = EXAMPLE.read_bytes().replace(b"\n", b"\r\n")
    model = parse_bytes(data, NAME)
    assert model.relationships[0].summary.startswith("Graustark's dam upstream")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "e.toml: is empty; expected a format-v1 model"),
        (b" \n\t\r\n", "e.toml: is empty; expected a format-v1 model"),
        (b"\xff\xfef\x00", "e.toml: is UTF-16 text; expected UTF-8 (save it as UTF-8)"),
        (b"\xfe\xff\x00f", "e.toml: is UTF-16 text; expected UTF-8 (save it as UTF-8)"),
        (b"a = 1\nb = \"\xc3\x28\"\n", "e.toml:2:6: byte 0xc3 is not valid UTF-8"),
        (b"a = 1\nbb\x00", "e.toml:2:3: holds NUL bytes (binary data?); expected UTF-8 text"),
        (b"x = " + b"[" * 1000 + b"]" * 1000, "e.toml: arrays or tables are nested too deeply"),
        (b"a = 1\nbb = 1" + b"0" * 5000, "e.toml:2:6: TOML syntax error: an integer too long to "
         "read; expected a 64-bit integer (at most 19 digits)"),
        (b"a = 1\nbb = 1" + b"0_000" * 1100, "e.toml:2:6: TOML syntax error: an integer too long"),
        (b'a = "open\nb = 1', "e.toml:1:10: TOML syntax error: a string still open at the end of "
         "its line; expected its closing quote"),
        (b"a = 'open\nb = 1", "e.toml:2:6: TOML syntax error: a 'single-quoted' string or key "
         "not closed on its line"),
        (b'a = """open\nb = 1', "e.toml:2:6: TOML syntax error: a string still open at the end "
         "of the file"),
        (b"a = '''open", "e.toml:1:12: TOML syntax error: a string still open at the end of "
         "the file"),
    ],
    ids=["empty", "whitespace", "utf-16-le", "utf-16-be", "bad utf-8", "nul", "nested",
         "5001 digits", "4401 digits with underscores", "open string", "open literal",
         "open multi-line string", "open multi-line literal"],
)
def test_unreadable_bytes(data: bytes, message: str) -> None:
    with pytest.raises(ModelError) as caught:
        parse_bytes(data, "e.toml")
    assert str(caught.value).startswith(message)


def test_decode_and_parse_steps() -> None:
    assert decode_text(b"\xef\xbb\xbfa = 1", "x") == "a = 1"
    assert parse_toml("a = 1", "x") == {"a": 1}


@pytest.mark.parametrize("section", ["entities", "themes"])
def test_a_section_that_cannot_be_read_is_one_problem_not_one_per_reference(
        section: str) -> None:
    """Its ids are unknown: every reference to it was reported as well, seventeen lines
    for one mistake in the example."""
    doc = document()
    doc[section] = 5
    problems = problems_of(doc)
    assert problems == [f"{NAME}: {section}: is an integer; expected an array of tables "
                        f"({section} = [ {{ ... }}, ... ])"]
