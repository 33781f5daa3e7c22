"""One search index over everything a reader may look for in a model.

Case- and accent-insensitive ("antonio" finds "António"). Every searchable text is folded once
when the index is built, so a keystroke costs one C-level substring test per entry and word.
Pure Python: no textual, no rich.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from policyterm.core.display import FULL_LIMIT, format_figure, format_score
from policyterm.core.model import EntityKind, EventType
from policyterm.core.views import ModelView


class HitKind(str, Enum):
    """Result groups, in the order they are shown."""

    COUNTERPART = "Counterparts"
    PERSON = "People"
    ENTITY = "Organisations and others"
    RELATIONSHIP = "Relationships"
    EVENT = "Events"
    FIGURE = "Figures"
    THEME = "Themes"


GROUP_ORDER = tuple(HitKind)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a hit leads: a counterpart to select, and an event for the timeline cursor."""

    counterpart: str | None
    event: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    kind: HitKind
    item_id: str
    label: str
    fields: tuple[tuple[str, str], ...]  # (field name, original text), label's field first
    target: Target
    leads_to: str  # "→ China", shown beside the hit


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    field_name: str
    text: str  # the field that matched, original text
    spans: tuple[tuple[int, int], ...] = field(default=())  # matched parts of `text`


class _FoldTable(dict[int, str]):
    """A `str.translate` table that folds each distinct character once, on first sight."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Case- and accent-insensitive form, one output run per input character."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of its source character."""
    pieces: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char.lower() if char.isascii() else _fold_char(char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


def find_spans(text: str, terms: list[str]) -> tuple[tuple[int, int], ...]:
    """Where each folded term occurs in `text`, as spans of the original string."""
    folded, origin = _fold_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1 and term:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


# What one entry indexes and shows, so that a keystroke stays interactive whatever the model
# holds (a 1,000,000-character title cost 0.4-0.6 s per keystroke to highlight): the first
# MAX_FIELD_CHARS characters of each field, and a label (the line a result or a palette command
# shows, one terminal line at most) of MAX_LABEL_CHARS. A cut text ends with "…". The Detail
# pane still shows every field in full. (Textual's palette matcher tries every way a query's
# letters fit a label, which grows exponentially with its length: 437 ms for one label of 160
# characters of "Water talks on the river …" against "river tal", 9 ms at 100.)
MAX_FIELD_CHARS = 2_000
MAX_LABEL_CHARS = 100


def cap(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """`text`, or its first `limit` - 1 characters and "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _entry(kind: HitKind, item_id: str, label: str, fields: Sequence[tuple[str, str]],
           target: Target, leads_to: str) -> Entry:
    """An Entry with its texts capped (see MAX_FIELD_CHARS)."""
    return Entry(kind, item_id, cap(label, MAX_LABEL_CHARS),
                 tuple((name, cap(text)) for name, text in fields), target, leads_to)


# Fields that name an entry, rather than describe it.
NAME_FIELDS = frozenset({"name", "alias", "pair", "title", "figure", "theme"})

_SEPARATOR = "\x00"  # cannot occur in a folded model string (the loader rejects controls)


class SearchIndex:
    """Built once per model; `search` answers each keystroke."""

    def __init__(self, view: ModelView) -> None:
        self.entries: list[Entry] = list(_entries(view))
        # Each entry's fields folded and joined: a query word is one C-level `in` per entry.
        self._texts = [_SEPARATOR.join(fold(t) for _, t in e.fields) for e in self.entries]
        # What an entry is called (its name, aliases, title), folded, each name after a
        # separator: a match there ranks first. (One string per entry, not also a list of
        # names: at 20,000 events the lists took 4 MB; the hits of a query of several words
        # are split again when ranked.)
        self._joined_names = [
            _SEPARATOR + _SEPARATOR.join(
                [fold(text) for field, text in entry.fields if field in NAME_FIELDS]
                or [fold(entry.label)])
            for entry in self.entries
        ]
        self._groups = [_GROUP_RANK[entry.kind] for entry in self.entries]

    def search(self, query: str) -> list[Entry]:
        """Entries holding every word of the query, grouped by kind, best first in a group.

        Within a group: names starting with the query, then names holding every word, then
        matches elsewhere; a group with a better match comes before the usual group order.
        """
        terms = query_terms(query)
        if not terms:
            return []
        texts = self._texts
        matched: Sequence[int] = range(len(texts))
        for term in sorted(terms, key=len, reverse=True):  # longest first: fewest survivors
            matched = [i for i in matched if term in texts[i]]
        joined = self._joined_names
        starts_a_name = _SEPARATOR + terms[0]
        single = terms[0] if len(terms) == 1 else None
        # Buckets by (group, quality), each in model order: no sort over thousands of hits.
        buckets: list[list[list[int]]] = [[[], [], []] for _ in GROUP_ORDER]
        for i in matched:
            names = joined[i]
            if starts_a_name in names:
                quality = 0
            elif (single in names) if single else (
                    # Every word somewhere in the names before any one name is looked at.
                    all(t in names for t in terms)
                    and any(all(t in name for t in terms)
                            for name in names.split(_SEPARATOR))):
                quality = 1
            else:
                quality = 2
            buckets[self._groups[i]][quality].append(i)

        def best_quality(group: int) -> int:
            return next((q for q in range(3) if buckets[group][q]), 3)

        order = sorted(range(len(GROUP_ORDER)), key=lambda g: (best_quality(g), g))
        return [self.entries[i] for g in order for bucket in buckets[g] for i in bucket]


def query_terms(query: str) -> list[str]:
    """The folded words of a query."""
    return [t for t in fold(query).split() if _SEPARATOR not in t]


def highlight(entry: Entry, query: str) -> Hit:
    """The field to show for a hit, with the matched parts marked: the label where it matches."""
    terms = query_terms(query)
    best = max(entry.fields, key=lambda f: sum(t in fold(f[1]) for t in terms))
    return Hit(entry, best[0], best[1], find_spans(best[1], terms))


_GROUP_RANK = {kind: rank for rank, kind in enumerate(GROUP_ORDER)}


def _entries(view: ModelView) -> list[Entry]:
    """Everything searchable, each with where it leads."""
    entries: list[Entry] = []
    names = view.entities
    # What many entries share is made once (cached for this build): at 20,000 events, one
    # string or target per entry took 6 MB.

    @cache
    def leads(counterpart: str | None) -> str:
        if counterpart not in names:
            return "→ (nothing listed)"
        return f"→ {cap(names[counterpart].name, MAX_LABEL_CHARS)}"

    @cache
    def target(counterpart: str | None) -> Target:
        return Target(counterpart)

    @cache
    def score_field(kind: EventType, score: float) -> tuple[str, str]:
        return ("score", f"{kind.value} {format_score(score)}")

    date_fields: dict[str, tuple[str, str]] = {}  # by the date's text: cheaper to hash

    for entity in view.model.entities:
        if entity.id == view.focus_id:
            continue
        counterpart = view.counterpart_of_entity(entity.id)
        if entity.id in view.counterpart_index:
            kind = HitKind.COUNTERPART
        elif entity.kind is EntityKind.PERSON:
            kind = HitKind.PERSON
        else:
            kind = HitKind.ENTITY
        fields: list[tuple[str, str]] = [("name", entity.name)]
        fields += [("alias", alias) for alias in entity.aliases]
        if entity.role:
            fields.append(("role", entity.role))
        entries.append(_entry(kind, entity.id, entity.name, fields,
                              target(counterpart), leads(counterpart)))

    for relationship in view.model.relationships:
        counterpart = view.counterpart_of_relationship(relationship)
        first, second = view.pair_names(relationship)
        label = f"{first} ↔ {second}"
        fields = [("pair", label), ("headline", relationship.headline),
                  ("summary", relationship.summary), ("trend", relationship.trend.value)]
        entries.append(_entry(HitKind.RELATIONSHIP, relationship.id, label, fields,
                              target(counterpart), leads(counterpart)))

    for event in view.model.events:
        counterpart = view.counterpart_of_event(event)
        date = event.date
        shown = date_fields.get(date.text)
        if shown is None:
            shown = date_fields[date.text] = ("date", date.display())
        label = f"{shown[1]} · {event.title}"
        fields = [("title", event.title)]
        if event.date_text:
            fields.append(("date", event.date_text))
        fields.append(shown)
        if event.summary:
            fields.append(("summary", event.summary))
        fields.append(score_field(event.type, event.score))
        entries.append(_entry(HitKind.EVENT, event.id, label, fields,
                              Target(counterpart, event.id), leads(counterpart)))

    for figure in view.model.figures:
        counterpart = view.counterpart_of_figure(figure)
        printed = format_figure(figure)
        first_event = figure.events[0] if figure.events else None
        fields = [("figure", printed), ("label", figure.label), ("value", _plain(figure.value))]
        entries.append(_entry(HitKind.FIGURE, figure.id, f"{printed} — {figure.label}",
                              fields, Target(counterpart, first_event), leads(counterpart)))

    for theme in view.model.themes:
        counterpart = view.counterpart_of_theme(theme.id)
        entries.append(_entry(HitKind.THEME, theme.id, theme.name, (("theme", theme.name),),
                              target(counterpart), leads(counterpart)))
    return entries


def _plain(value: float) -> str:
    """The number as typed and as printed with separators: "2867 2,867" ("1e+308" alone:
    a float that large prints in scientific form, see display.FULL_LIMIT)."""
    if isinstance(value, int) or (value.is_integer() and abs(value) < FULL_LIMIT):
        return f"{int(value)} {int(value):,}"
    return f"{value}"
