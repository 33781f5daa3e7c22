"""One search index over everything a reader may look for in a model.

Case- and accent-insensitive ("antonio" finds "António"). Every searchable text is folded once
when the index is built, so a keystroke costs one C-level substring test per entry and word.
Pure Python: no textual, no rich.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, lru_cache

from policyterm.core.display import FULL_LIMIT, format_figure, format_score
from policyterm.core.folding import find_spans, fold
from policyterm.core.model import EntityKind, EventType
from policyterm.core.views import ModelView


class HitKind(str, Enum):
    """Result groups, in the order they are always shown: a fixed order, so that a group
    stays where the reader last saw it as the query grows."""

    COUNTERPART = "Counterparts"
    EVENT = "Events"
    PERSON = "People"
    FIGURE = "Figures"
    THEME = "Themes"
    ENTITY = "Organisations and others"
    RELATIONSHIP = "Relationships"
    ARTICLE = "The article"
    SOURCE = "The article's text"  # its paragraphs, when the model's source is at hand


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
    source: tuple[int, ...] = ()  # the paragraphs it cites; a SOURCE entry: the paragraph


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    field_name: str
    text: str  # the field that matched, original text
    spans: tuple[tuple[int, int], ...] = field(default=())  # matched parts of `text`


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
    """`text`, or its first `limit` - 1 characters (no space at their end) and "…"."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _entry(kind: HitKind, item_id: str, label: str, fields: Sequence[tuple[str, str]],
           target: Target, leads_to: str, source: tuple[int, ...] = ()) -> Entry:
    """An Entry with its texts capped (see MAX_FIELD_CHARS)."""
    return Entry(kind, item_id, cap(label, MAX_LABEL_CHARS),
                 tuple((name, cap(text)) for name, text in fields), target, leads_to, source)


# Fields that name an entry, rather than describe it.
NAME_FIELDS = frozenset({"name", "alias", "pair", "title", "figure", "theme"})

_SEPARATOR = "\x00"  # cannot occur in a folded model string (the loader rejects controls)


# Typo tolerance: a query word this long may have one typo when nothing matches it exactly.
TYPO_MIN_LENGTH = 5

# A query word, as the alternatives any one of which an entry must hold.
Term = tuple[str, ...]

# Stripped from either end of a query word ("-" and "+" are not: "-5" is a score).
_AROUND_WORDS = ".,;:!?()[]{}\"'"

_WORD = re.compile(r"\w+(?:-\w+)*")


class SearchIndex:
    """Built once per model; `search` answers each keystroke."""

    def __init__(self, view: ModelView, paragraphs: Mapping[int, str] | None = None) -> None:
        """`paragraphs`: the article's text by paragraph number, if the model's source is
        at hand: searched too, each leading to what cites it."""
        self.entries: list[Entry] = _entries(view)
        if paragraphs:
            self.entries += _paragraph_entries(self.entries, paragraphs)
        # The entries in group order (model order within a group, as results are shown): the
        # hits of a group are then one run of positions, and `first` ranks only the groups
        # it shows. Positions below index this list.
        self._ordered = sorted(self.entries, key=lambda entry: _GROUP_RANK[entry.kind])
        # Each entry's fields folded and joined: a query word is one C-level `in` per entry.
        self._texts = [_SEPARATOR.join(fold(t) for _, t in e.fields) for e in self._ordered]
        # What an entry is called (its name, aliases, title), folded, each name after a
        # separator: a match there ranks first. (One string per entry, not also a list of
        # names: at 20,000 events the lists took 4 MB; the hits of a query of several words
        # are split again when ranked.)
        self._joined_names = [
            _SEPARATOR + _SEPARATOR.join(
                [fold(text) for field, text in entry.fields if field in NAME_FIELDS]
                or [fold(entry.label)])
            for entry in self._ordered
        ]
        self._groups = [_GROUP_RANK[entry.kind] for entry in self._ordered]
        # Where each group's run of positions ends.
        self._group_ends = [bisect.bisect_right(self._groups, rank)
                            for rank in range(len(GROUP_ORDER))]
        # Made on the first typo, not here: most sessions never need it.
        self._prefixes: dict[int, frozenset[str]] = {}
        self._vocabulary: frozenset[str] | None = None
        self._last_terms: tuple[str, list[Term]] = ("", [])
        # The words last matched exactly, and their hits: a query typed on from them (each
        # word still there, or grown) can only narrow them, so it tests those hits alone.
        self._narrowed: tuple[list[str], Sequence[int]] = ([], range(len(self._texts)))

    def search(self, query: str) -> list[Entry]:
        """Entries holding every word of the query, in the fixed group order, best first in
        a group (names starting with the query, then names holding every word, then matches
        elsewhere).

        When nothing holds every word, a word of TYPO_MIN_LENGTH letters or more that occurs
        nowhere is taken to have one typo: the word starts that are one edit away from it
        stand in for it. Those hits come only when there are no exact ones, so never before
        them.
        """
        matched, terms = self._find(query)
        return self._ranked(matched, terms)

    def first(self, query: str, limit: int) -> tuple[list[Entry], dict[HitKind, int]]:
        """The start of each group of `search(query)`, `limit` entries in all shared among
        the groups that have hits (at least one each), and how many hits each group holds:
        what a keystroke shows, every group in it, without ranking more of a group's hits
        than its share."""
        matched, terms = self._find(query)
        bounds: list[tuple[HitKind, int, int]] = []
        start = 0
        for rank, kind in enumerate(GROUP_ORDER):
            end = bisect.bisect_left(matched, self._group_ends[rank], lo=start)
            if end > start:
                bounds.append((kind, start, end))
            start = end
        # Smallest groups first: one with fewer hits than its share leaves the rest to the
        # groups after it, so thousands of events cannot push the people out of view.
        shares: dict[HitKind, int] = {}
        left = limit
        for taken, (kind, start, end) in enumerate(sorted(bounds, key=lambda b: b[2] - b[1])):
            shares[kind] = min(end - start, max(1, left // (len(bounds) - taken)))
            left -= shares[kind]
        shown: list[Entry] = []
        for kind, start, end in bounds:
            shown += self._first_of_group(matched[start:end], terms, shares[kind])
        return shown, {kind: end - start for kind, start, end in bounds}

    def _first_of_group(self, hits: Sequence[int], terms: list[Term],
                        limit: int) -> list[Entry]:
        """`_ranked(hits, terms)[:limit]` for the hits of one group; for one word, without
        testing more of them than it takes (a letter has thousands of event hits)."""
        if any(len(term) != 1 for term in terms):  # a typo's readings
            return self._ranked(hits, terms)[:limit]
        words = [term[0] for term in terms]
        word, starts, joined = words[0], _SEPARATOR + words[0], self._joined_names
        at_word_start = _word_start(word).search
        # Each quality in turn (see _quality), each only as far as the group's share needs.
        qualities = ([(i for i in hits if starts in joined[i]),
                      (i for i in hits if word in joined[i] and starts not in joined[i]
                       and at_word_start(joined[i])),
                      (i for i in hits if word in joined[i] and starts not in joined[i]
                       and not at_word_start(joined[i])),
                      (i for i in hits if word not in joined[i])] if len(words) == 1 else
                     [(i for i in hits if self._quality(i, words) == 0),
                      (i for i in hits if self._quality(i, words) == 1),
                      (i for i in hits if self._quality(i, words) == 3)])
        ranked: list[int] = []
        for quality in qualities:
            if len(ranked) >= limit:
                break
            ranked += itertools.islice(quality, limit - len(ranked))
        return [self._ordered[i] for i in ranked[:limit]]

    def _find(self, query: str) -> tuple[Sequence[int], list[Term]]:
        """The positions of the entries that match `query`, ascending, and the terms they
        matched (a typo's readings, where nothing matched exactly)."""
        words = query_terms(query)
        if not words:
            return [], []
        terms: list[Term] = [(word,) for word in words]
        matched = self._matching(terms)
        if not matched:
            forgiven = self._forgive(terms)
            if forgiven is not None:
                terms = forgiven
                matched = self._matching(terms)
        self._last_terms = (query, terms)
        return matched, terms

    def cited_by(self, numbers: Iterable[int]) -> list[Entry]:
        """The entries that cite any of the paragraphs `numbers`, in the fixed group order."""
        wanted = set(numbers)
        return [entry for entry in self._ordered
                if entry.kind is not HitKind.SOURCE and not wanted.isdisjoint(entry.source)]

    def match_terms(self, query: str) -> list[str]:
        """The folded strings that `search(query)` matched on, typo alternatives included:
        what to highlight in a hit."""
        if self._last_terms[0] != query:
            self.search(query)
        return [alternative for term in self._last_terms[1] for alternative in term]

    def _matching(self, terms: list[Term]) -> Sequence[int]:
        texts = self._texts
        matched: Sequence[int] = range(len(texts))
        exact = [term[0] for term in terms if len(term) == 1]
        if len(exact) < len(terms):
            exact = []  # typo alternatives: not kept, and searched afresh
        else:
            previous, hits = self._narrowed
            if all(any(old in word for word in exact) for old in previous):
                matched = hits
        # Longest first: fewest survivors for the next word.
        for term in sorted(terms, key=lambda t: min(map(len, t)), reverse=True):
            if len(term) == 1:
                (word,) = term
                matched = [i for i in matched if word in texts[i]]
            else:
                matched = [i for i in matched if any(a in texts[i] for a in term)]
        if exact:
            self._narrowed = (exact, matched)
        return matched

    def _ranked(self, matched: Sequence[int], terms: list[Term]) -> list[Entry]:
        # Buckets by (group, quality), each in model order: no sort over thousands of hits.
        buckets: list[list[list[int]]] = [[[], [], [], []] for _ in GROUP_ORDER]
        groups = self._groups
        if all(len(term) == 1 for term in terms):
            words = [term[0] for term in terms]
            for i in matched:
                buckets[groups[i]][self._quality(i, words)].append(i)
        else:
            # Each combination of alternatives, best first: few, as a typo has few readings.
            readings = [list(r) for r in itertools.product(*terms)]
            for i in matched:
                quality = min(self._quality(i, words) for words in readings
                              if all(w in self._texts[i] for w in words))
                buckets[groups[i]][quality].append(i)
        return [self._ordered[i] for group in buckets for bucket in group for i in bucket]

    def _quality(self, i: int, words: list[str]) -> int:
        """For one word: 0, a name starts with it; 1, a word of a name does ("US" in
        "official US trip"); 2, a name holds it ("accusations"); 3, else. For several: 0,
        one name holds every word and starts with the first; 1, one name holds every word;
        3, else."""
        names = self._joined_names[i]
        if len(words) == 1:
            word = words[0]
            if word not in names:
                return 3
            return (0 if _SEPARATOR + word in names else
                    1 if _word_start(word).search(names) else 2)
        # Every word somewhere in the names before any one name is looked at.
        if not all(w in names for w in words):
            return 3
        holding = [name for name in names.split(_SEPARATOR) if all(w in name for w in words)]
        if not holding:
            return 3
        return 0 if any(name.startswith(words[0]) for name in holding) else 1

    def _forgive(self, terms: list[Term]) -> list[Term] | None:
        """`terms` with each long word that occurs nowhere replaced by the word starts one
        typo away from it; None when there is no such word or it has no such start."""
        forgiven: list[Term] = []
        changed = False
        for term in terms:
            (word,) = term
            if len(word) < TYPO_MIN_LENGTH or not word.isalpha() or (
                    len(terms) > 1 and self._matching([term])):
                forgiven.append(term)
                continue
            near = self._one_typo_away(word)
            if not near:
                return None
            forgiven.append(near)
            changed = True
        return forgiven if changed else None

    def _one_typo_away(self, word: str) -> Term:
        """The starts of indexed words one edit (or one swap of neighbours) from `word`.

        A start, not a whole word, as an exact query matches a part of a word: "afgan"
        finds "afghan", and so "Afghanistan", while it is being typed.
        """
        length = len(word)
        candidates: set[str] = set()
        for size in (length - 1, length, length + 1):
            candidates |= self._starts(size)
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(word)
        near: list[str] = []
        for candidate in candidates:
            matcher.set_seq1(candidate)
            longest = max(length, len(candidate))
            # Matching characters: one fewer than the longer of the two is one edit (a swap
            # of neighbours too). ratio() is 2 * matches / both lengths; the quick bounds
            # rule most candidates out before the full comparison.
            needed = 2 * (longest - 1) / (length + len(candidate))
            if (matcher.real_quick_ratio() >= needed and matcher.quick_ratio() >= needed
                    and matcher.ratio() >= needed
                    and _one_edit(matcher, candidate, word)):
                near.append(candidate)
        # Longest first: the highlight then marks as much of the meant word as was read.
        return tuple(sorted(near, key=len, reverse=True))

    def _starts(self, size: int) -> frozenset[str]:
        """The first `size` letters of every indexed word at least that long."""
        starts = self._prefixes.get(size)
        if starts is None:
            if self._vocabulary is None:
                words: set[str] = set()
                for text in self._texts:
                    words.update(_WORD.findall(text))
                self._vocabulary = frozenset(w for w in words if w.isalpha())
            starts = self._prefixes[size] = frozenset(
                w[:size] for w in self._vocabulary if len(w) >= size)
        return starts


def _one_edit(matcher: difflib.SequenceMatcher[str], first: str, second: str) -> bool:
    """Whether `first` and `second` (the matcher's two strings) differ by one typo: one
    letter changed, added or left out, or two neighbours swapped (difflib sees a swap as a
    letter moved: "ie"/"ei")."""
    edits = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if len(edits) == 1:
        _, a1, a2, b1, b2 = edits[0]
        return max(a2 - a1, b2 - b1) == 1
    if len(edits) == 2:
        (tag1, a1, a2, b1, b2), (tag2, c1, c2, d1, d2) = edits
        # A swap: a letter added and the same letter left out, one letter apart.
        added, dropped = ((second[b1:b2], first[c1:c2]) if tag1 == "insert"
                          else (second[d1:d2], first[a1:a2]))
        return ({tag1, tag2} == {"insert", "delete"} and c1 - a2 == 1
                and len(added) == 1 and added == dropped)
    return False


@lru_cache(maxsize=64)
def _word_start(word: str) -> re.Pattern[str]:
    """`word` where it starts a word: after no letter or digit."""
    return re.compile(r"(?<![^\W_])" + re.escape(word))


def query_terms(query: str) -> list[str]:
    """The folded words of a query, without the punctuation around a word that a pasted
    phrase brings ("(CPEC)", "IMF.", "“talks”"); a word that is all punctuation is kept."""
    words = (word.strip(_AROUND_WORDS) or word for word in fold(query).split())
    return [word for word in words if _SEPARATOR not in word]


def highlight(entry: Entry, query: str, terms: list[str] | None = None) -> Hit:
    """The field to show for a hit, with the matched parts marked: the label where it matches.

    `terms`: what the search matched on (SearchIndex.match_terms), if not the query's words.
    """
    if terms is None:
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
                              target(counterpart), leads(counterpart), entity.source))

    for relationship in view.model.relationships:
        counterpart = view.counterpart_of_relationship(relationship)
        first, second = view.pair_names(relationship)
        label = f"{first} ↔ {second}"
        fields = [("pair", label), ("headline", relationship.headline),
                  ("summary", relationship.summary), ("trend", relationship.trend.value)]
        entries.append(_entry(HitKind.RELATIONSHIP, relationship.id, label, fields,
                              target(counterpart), leads(counterpart), relationship.source))

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
                              Target(counterpart, event.id), leads(counterpart), event.source))

    for figure in view.model.figures:
        counterpart = view.counterpart_of_figure(figure)
        printed = format_figure(figure)
        first_event = figure.events[0] if figure.events else None
        fields = [("figure", printed), ("label", figure.label), ("value", _plain(figure.value))]
        entries.append(_entry(HitKind.FIGURE, figure.id, f"{printed} — {figure.label}",
                              fields, Target(counterpart, first_event), leads(counterpart),
                              figure.source))

    for theme in view.model.themes:
        counterpart = view.counterpart_of_theme(theme.id)
        entries.append(_entry(HitKind.THEME, theme.id, theme.name, (("theme", theme.name),),
                              target(counterpart), leads(counterpart), theme.source))

    # The article itself: its title, standfirst and author lead to its overview.
    article = view.model.article
    fields = [("title", article.title)]
    fields += [(name, text) for name, text in (("standfirst", article.standfirst),
                                               ("author", article.author)) if text]
    entries.append(_entry(HitKind.ARTICLE, "", article.title, fields, Target(None),
                          "→ the article (i)"))
    return entries


def _paragraph_entries(entries: list[Entry], paragraphs: Mapping[int, str]) -> list[Entry]:
    """One entry per paragraph of the source, saying how many items cite it."""
    citing = Counter(number for entry in entries for number in set(entry.source))
    found = []
    for number, text in sorted(paragraphs.items()):
        count = citing[number]
        leads_to = (f"→ cited by {count} item{'s' if count != 1 else ''}" if count
                    else "→ cited by nothing")
        found.append(_entry(HitKind.SOURCE, str(number), f"¶{number}", (("text", text),),
                            Target(None), leads_to, (number,)))
    return found


def _plain(value: float) -> str:
    """The number as typed and as printed with separators: "2867 2,867" ("1e+308" alone:
    a float that large prints in scientific form, see display.FULL_LIMIT)."""
    if isinstance(value, int) or (value.is_integer() and abs(value) < FULL_LIMIT):
        return f"{int(value)} {int(value):,}"
    return f"{value}"
