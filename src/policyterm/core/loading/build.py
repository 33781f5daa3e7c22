"""From a parsed TOML document to a Model, or every problem in it.

First each table is converted by its fields (fields.py); then come the checks that need the
whole file: ids unique across it, every reference naming an item of the right kind,
citations within article.paragraphs. Events end up in format order.

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from policyterm.core.loading.fields import ARTICLE, KINDS, SECTIONS, TOP_LEVEL_KEYS, Invalid, Table
from policyterm.core.loading.problems import (
    MAX_PROBLEMS,
    Place,
    Problems,
    TooManyProblems,
    shown,
    shown_key,
    type_name,
)
from policyterm.core.loading.reading import FORMAT_VERSION
from policyterm.core.model import Article, Event, Model


class _Rejected(SimpleNamespace):
    """An item with a problem: its values (None where one was wrong) under their keys, and
    its path. Its references are still checked, as a record's are; no model ever holds it.
    `refused_id`: the id as written, when that id was the problem."""

    path: str
    refused_id: str | None


def parse_document(document: dict[str, Any], name: str) -> Model:
    """Check a parsed TOML document against format v1 and build the model, or raise
    ModelError with every problem found (or the first MAX_PROBLEMS of them)."""
    problems = Problems(name)
    # Sections missing, misplaced or of the wrong type: the ids they hold are unknown, so a
    # reference to one of them is not reported as well (one mistake, one problem).
    unreadable: set[str] = set()
    try:
        _check_top_level(document, problems, unreadable)
        article = _article(document, problems, unreadable)
        # One tuple object for equal arrays (the same actors, the same paragraphs): a large
        # model holds far fewer objects, and pickles and unpickles faster for it.
        alike: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        items = {section.name: _items(document, section, problems, alike, unreadable)
                 for section in SECTIONS}
        _check_unique_ids(items, problems)
        _check_one_relationship_per_pair(items["relationships"], problems)
        _check_references(article, items, problems, unreadable)
        _check_citations(article, items, problems)
    except TooManyProblems:
        pass
    problems.raise_if_any()
    assert article is not None
    return Model(
        article=Article(**vars(article)),
        entities=tuple(items["entities"]),
        themes=tuple(items["themes"]),
        relationships=tuple(items["relationships"]),
        events=tuple(sorted(items["events"], key=_format_order)),
        figures=tuple(items["figures"]),
    )


def _format_order(event: Event) -> tuple[int, int, str]:
    return (event.date.first_day, event.date.last_day, event.id)


# ---------------------------------------------------------------------------------------------
# Tables


def _check_top_level(document: dict[str, Any], problems: Problems,
                     unreadable: set[str]) -> None:
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            problems.report(shown_key(key), _unknown_key(key, TOP_LEVEL_KEYS),
                            Place((key,), at_key=True))
    if "format" not in document:
        problems.report("format", f"is missing; expected format = {FORMAT_VERSION} "
                        "as the first key")
    elif type(document["format"]) is not int or document["format"] != FORMAT_VERSION:
        problems.report("format", f"{shown(document['format'])} is not a supported format; "
                        f"expected format = {FORMAT_VERSION}", Place(("format",)))
    if "entities" not in document:
        unreadable.add("entities")
        problems.report("entities", "is missing; expected entities = [ ... ] before [article]")


def _article(document: dict[str, Any], problems: Problems,
             unreadable: set[str]) -> SimpleNamespace | None:
    """The article's values, or None when there is no [article] table to take them from."""
    if "article" not in document:
        problems.report("article", "is missing; expected an [article] table")
        return None
    raw = document["article"]
    if not isinstance(raw, dict):
        problems.report("article", f"{shown(raw)} is {type_name(raw)}; expected {ARTICLE.layout}",
                        Place(("article",)))
        return None
    values, errors = _convert(raw, ARTICLE, ("article",))
    # Top-level arrays written after [article], which TOML nests under it: said once, as
    # that, rather than also as an unknown key of the article.
    misplaced = [key for key in ("entities", "themes") if key in raw]
    for key, message, place in errors:
        if key not in misplaced:
            problems.report(f"article.{key}", message, place)
    for key in misplaced:
        unreadable.add(key)
        problems.report(f"article.{key}", f"{key} belongs at the top level; "
                        "expected it before the first [table] header",
                        Place(("article", key), at_key=True))
    return SimpleNamespace(**values)


def _items(document: dict[str, Any], section: Table, problems: Problems,
           alike: dict[tuple[Any, ...], tuple[Any, ...]], unreadable: set[str]) -> list[Any]:
    """Each table of a top-level array as its record; one with a problem as _Rejected, and
    one that is no table at all as None. An item's index in the list is its index in the file.
    Its arrays are the tuples in `alike` where an equal one is there already."""
    raw_items = document.get(section.name, [])
    if not isinstance(raw_items, list):
        unreadable.add(section.name)
        problems.report(section.name, f"is {type_name(raw_items)}; expected an array of "
                        f"tables ({section.layout})", Place((section.name,)))
        return []
    items: list[Any] = []
    for index, raw in enumerate(raw_items):
        if not isinstance(raw, dict):
            problems.report(f"{section.name}[{index}]",
                            f"{shown(raw)} is {type_name(raw)}; expected a table",
                            Place((section.name, index)))
            items.append(None)
            continue
        values, errors = _convert(raw, section, (section.name, index))
        if not errors:
            for key in section.arrays:
                array = values[key]
                values[key] = alike.setdefault(array, array)
            items.append(section.record(**values))
            continue
        path = f"{section.name}[{index}]"
        if isinstance(raw.get("id"), str):
            path += f" (id {shown(raw['id'])})"
        for key, message, place in errors:
            problems.report(f"{path}.{key}", message, place)
        refused_id = raw["id"] if values.get("id") is None and isinstance(raw.get("id"), str) \
            else None
        items.append(_Rejected(path=path, refused_id=refused_id, **values))
    return items


def _convert(raw: dict[str, Any], table: Table, keys: tuple[str | int, ...]
             ) -> tuple[dict[str, Any], list[tuple[str, str, Place]]]:
    """The values of one table by its fields (None for a wrong one), and for each problem
    the key it is at (as a path shows it), the message, and its place; `keys` are the
    table's own place in the document."""
    values = dict(table.defaults)
    errors: list[tuple[str, str, Place]] = []
    converters = table.converters
    for key, value in raw.items():
        if len(errors) > MAX_PROBLEMS:  # reporting these stops the checks: no need for more
            break
        convert = converters.get(key)
        if convert is None:
            errors.append((shown_key(key), _unknown_key(key, converters),
                           Place((*keys, key), at_key=True)))
            continue
        try:
            values[key] = convert(value)
        except Invalid as error:
            element = () if error.item is None else (error.item,)
            message = str(error)
            if value == "" and key not in table.required:
                message += " (or leave this optional key out)"
            errors.append((key, message, Place((*keys, key, *element))))
            values[key] = None
    if not table.required <= raw.keys():
        for key in table.fields:
            if key in table.required and key not in raw:
                # Where the table starts: the key that would go in it has no place yet.
                errors.append((key, "is missing; this key is required", Place(keys)))
                values[key] = None
    return values, errors


def _unknown_key(key: str, known: Iterable[str]) -> str:
    return f"unknown key{_did_you_mean(key, list(known))}; expected one of " + ", ".join(known)


# ---------------------------------------------------------------------------------------------
# Across the file


def _path(section: str, index: int, item: Any) -> str:
    """An item's path in messages, as _items writes it (only worked out for a problem)."""
    if isinstance(item, _Rejected):
        return item.path
    return f"{section}[{index}] (id {shown(item.id)})"


def _check_unique_ids(items: Mapping[str, list[Any]], problems: Problems) -> None:
    first_use: dict[str, tuple[str, int]] = {}
    for section, section_items in items.items():
        for index, item in enumerate(section_items):
            if item is None or item.id is None:
                continue
            here = (section, index)
            first = first_use.setdefault(item.id, here)
            if first is not here:
                problems.report(f"{_path(section, index, item)}.id",
                                f"{shown(item.id)} is already the id of {first[0]}[{first[1]}]; "
                                "expected ids unique across the file",
                                Place((section, index, "id")))


def _check_one_relationship_per_pair(relationships: list[Any], problems: Problems) -> None:
    """The format has one relationship per pair, either way round: a second would give one
    counterpart two trends, where its row in the explorer shows one."""
    first_of: dict[frozenset[str], tuple[int, Any]] = {}
    for index, relationship in enumerate(relationships):
        if relationship is None or relationship.pair is None:
            continue
        sides = frozenset(relationship.pair)
        first = first_of.setdefault(sides, (index, relationship))
        if first[0] != index:
            problems.report(f"{_path('relationships', index, relationship)}.pair",
                            f"is the pair of {_path('relationships', *first)} already; "
                            "expected one relationship per pair (either way round)",
                            Place(("relationships", index, "pair")))


def _check_references(article: SimpleNamespace | None, items: Mapping[str, list[Any]],
                      problems: Problems, unreadable: set[str]) -> None:
    """Every id a table names is the id of an item of the kind its field refers to (where
    that kind's section could be read: see parse_document)."""
    ids = {kind: {item.id for item in items[table.name] if item is not None}
           for kind, table in KINDS.items()}
    # Ids refused as written ("X GR"), by kind, found at the first reference that names
    # nothing: a reference to what one meant ("XGR") is the same mistake, reported already.
    refused: dict[str, list[str]] = {}
    near_misses: dict[str, _NearMisses] = {}

    def unresolved(item: Any, references: tuple[tuple[str, str], ...]
                   ) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
        """The key, the message and the place below the item, for each reference of `item`
        that names nothing (the place is the key, or the key and index in an array)."""
        for key, kind in references:
            refs = getattr(item, key)
            if isinstance(refs, str):
                named: Iterable[tuple[tuple[str | int, ...], str]] = [((key,), refs)]
            else:
                named = (((key, number), ref) for number, ref in enumerate(refs or ()))
            for below, ref in named:
                if ref in ids[kind] or KINDS[kind].name in unreadable:
                    continue
                if kind not in refused:
                    refused[kind] = [item.refused_id for item in items[KINDS[kind].name]
                                     if isinstance(item, _Rejected) and item.refused_id]
                if refused[kind] and _did_you_mean(ref, refused[kind]):
                    continue
                if kind not in near_misses:
                    near_misses[kind] = _NearMisses(i for i in ids[kind] if i)
                hint = near_misses[kind].hint(ref)
                article_word = "an" if kind[0] in "aeiou" else "a"
                yield key, (f"{shown(ref)} is not the id of any {kind}{hint}; "
                            f"expected {article_word} {kind} id defined in this file"), below

    if article is not None:
        for key, message, below in unresolved(article, ARTICLE.references):
            problems.report(f"article.{key}", message, Place(("article", *below)))
    for section in SECTIONS:
        references = section.references
        if all(_all_resolved(items[section.name], key, ids[kind]) for key, kind in references):
            continue  # the usual case: the whole section is sound
        for index, item in enumerate(items[section.name]):
            if item is None:
                continue
            for key, message, below in unresolved(item, references):
                problems.report(f"{_path(section.name, index, item)}.{key}", message,
                                Place((section.name, index, *below)))


def _all_resolved(section_items: list[Any], key: str, ids: set[str]) -> bool:
    """Whether the `key` of every item names only `ids`; each distinct value (equal arrays
    are one tuple) is looked at once."""
    try:
        distinct = set(map(attrgetter(key), section_items))
    except AttributeError:  # an item that is no table at all (None): one by one, then
        return False
    named: set[str] = set()
    for refs in distinct:
        if isinstance(refs, str):
            named.add(refs)
        elif refs is not None:
            named.update(refs)
    return ids.issuperset(named)


def _check_citations(article: SimpleNamespace | None, items: Mapping[str, list[Any]],
                     problems: Problems) -> None:
    paragraphs = article.paragraphs if article is not None else None
    if paragraphs is None:  # unknown or wrong: nothing to check the citations against
        return
    for section, section_items in items.items():
        for index, item in enumerate(section_items):
            if item is None or item.source is None:
                continue
            for position, number in enumerate(item.source):
                if not 1 <= number <= paragraphs:
                    problems.report(f"{_path(section, index, item)}.source",
                                    f"cites paragraph {number}; expected a paragraph number "
                                    f"from 1 to {paragraphs} (article.paragraphs)",
                                    Place((section, index, "source", position)))


# ---------------------------------------------------------------------------------------------
# "Did you mean"

_LONGEST_WORD = 100  # difflib's cost grows with length; a word this long is no typo anyway


def _did_you_mean(word: str, choices: list[str]) -> str:
    """' (did you mean "x"?)' for a near miss among a few `choices`; else nothing."""
    if len(word) > _LONGEST_WORD:
        return ""
    close = difflib.get_close_matches(word, choices, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _NearMisses:
    """Near misses for misspelt ids among any number of ids, at a bounded cost per look-up.

    A typo keeps either the start or the end of a word, so only the ids next to it in
    sorted order, and next to it in sorted order of the reversed words, are compared."""

    NEIGHBOURS = 20  # on each side, in each order

    def __init__(self, words: Iterable[str]) -> None:
        usable = [word for word in words if len(word) <= _LONGEST_WORD]
        self._forward = sorted(usable)
        self._backward = sorted(word[::-1] for word in usable)
        # Case slips ("xru" for "XRU"), which difflib, comparing exact characters, misses.
        self._by_case = {word.casefold(): word for word in reversed(self._forward)}

    def hint(self, word: str) -> str:
        if len(word) > _LONGEST_WORD:
            return ""
        same = self._by_case.get(word.casefold())
        if same is not None:
            return f' (did you mean "{same}"?)'
        nearby = set(self._around(self._forward, word))
        nearby.update(reversed_[::-1] for reversed_ in self._around(self._backward, word[::-1]))
        return _did_you_mean(word, sorted(nearby))

    def _around(self, ordered: list[str], word: str) -> list[str]:
        at = bisect_left(ordered, word)
        return ordered[max(0, at - self.NEIGHBOURS):at + self.NEIGHBOURS]
