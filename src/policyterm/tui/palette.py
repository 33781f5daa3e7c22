"""Command palette (ctrl+p): "Go to …" for every entity and event, and "Go to date".

Model text never goes through markup here: Textual's `Matcher.highlight` and a hit's `help`
string are both parsed as markup, so a name such as `[@click=app.quit]` would become a live
link. Each prompt is built as `Content` instead, with the "leads to" line inside it.
"""

from __future__ import annotations

import asyncio
import heapq
import re
from collections.abc import Container
from functools import partial
from operator import itemgetter
from typing import NamedTuple, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from policyterm.core.overview import counterpart_summary
from policyterm.core.search import MAX_LABEL_CHARS, Entry, HitKind, SearchIndex, cap
from policyterm.core.timeline_window import parse_reader_date, reader_date_problem
from policyterm.core.views import ModelView
from policyterm.tui.widgets.timeline import Timeline

GO_TO_KINDS = (HitKind.COUNTERPART, HitKind.PERSON, HitKind.ENTITY, HitKind.EVENT)
MOST_HITS = 100  # "Go to" hits given to the palette for one query, the best first
YIELD_EVERY = 200  # commands scored between two turns of the event loop
WHOLE_MOST = 1_000  # commands holding the query whole, scored for one query
FUZZY_MOST = 500  # commands holding its letters only scattered, scored for one query
# The palette's own columns around a hit: its list's border, the hit's padding, a scrollbar.
# A hit wrapped over more lines than the list measured it at lost its last line (where it
# leads), so "Go to" hits are cut to the terminal's width less these.
PALETTE_CHROME = 6


def go_to_prompt(command: str, leads_to: str, matcher: Matcher | None = None,
                 width: int | None = None) -> Content:
    """`command` with the letters the query matched highlighted, and where it leads under it,
    all as literal text; each line cut to `width` cells, if given (see PALETTE_CHROME)."""
    prompt = Content(command)
    if matcher is not None:
        score, offsets = matcher.fuzzy_search.match(matcher.query, command)
        if score:
            # The offsets are into the lower-cased command, which may be longer ("İ" lowers
            # to two characters): each is taken back to the character it came from.
            origin = [index for index, char in enumerate(command) for _ in char.lower()]
            for offset in sorted({origin[o] for o in offsets if o < len(origin)}):
                if not command[offset].isspace():
                    prompt = prompt.stylize(matcher.match_style, offset, offset + 1)
    under = Content.styled(leads_to, "dim")
    if width is not None:
        prompt = prompt.truncate(width, ellipsis=True)
        under = under.truncate(width, ellipsis=True)
    return Content.assemble(prompt, "\n", under)


def worth_scoring(commands: list[str], query: str,
                  names: Container[int] = frozenset()) -> list[int]:
    """The positions of the lower-cased `commands` worth Textual's fuzzy score for `query`,
    the most promising first. Scoring every command took the palette up to a second a key
    in a large model. A command holding the query whole is scored quickly, and above any
    scattered match (higher still at a word's start): where thousands do (one letter), only
    the first WHOLE_MOST, word starts first. A scattered match costs Textual a search over
    every placing of every letter: those are scored only when few hold the query whole, only
    where its letters occur in order: every one of `names` (a few hundred short commands:
    what a reader most often goes to), and of the rest the FUZZY_MOST likeliest best."""
    whole = [n for n, text in enumerate(commands) if query in text]
    if len(whole) > WHOLE_MOST:
        at_start = re.compile(r"\b" + re.escape(query))
        whole.sort(key=lambda n: at_start.search(commands[n]) is None)  # stable
        return whole[:WHOLE_MOST]
    if len(whole) >= MOST_HITS:
        return whole
    letters = set(query)
    in_order = re.compile(".*?".join(map(re.escape, query)), re.DOTALL)
    scattered = [n for n, text in enumerate(commands) if query not in text
                 and all(letter in text for letter in letters) and in_order.search(text)]
    # Textual's score grows with the letters found at words' starts and with fewer, longer
    # runs of letters: a few `in` tests a command guess both, to pick the ones to score.
    pairs = {query[i:i + 2] for i in range(len(query) - 1)}
    starts = {" " + letter for letter in letters if letter != " "}

    def promise(n: int) -> int:
        text = commands[n]
        return sum(pair in text for pair in pairs) + sum(start in text for start in starts)

    named = [n for n in scattered if n in names]
    others = sorted((n for n in scattered if n not in names), key=promise, reverse=True)
    return whole + named + others[:FUZZY_MOST]


class GoToHost(Protocol):
    """What the palette needs of the app (declared here, so the palette imports no app)."""

    @property
    def loaded(self) -> bool: ...

    @property
    def search_index(self) -> SearchIndex: ...

    @property
    def view(self) -> ModelView: ...

    @property
    def timeline(self) -> Timeline: ...

    def go_to(self, entry: Entry) -> None: ...


class _GoToCommands(NamedTuple):
    made_from: SearchIndex | None  # None while the model loads
    commands: list[tuple[Entry, str]]
    lowered: list[str]
    names: set[int]  # positions of the commands that go to an entity, not an event


class GoToProvider(Provider):
    """Every entity and event as a "Go to" command, fuzzy-matched by Textual."""

    _made: _GoToCommands | None = None

    @property
    def host(self) -> GoToHost:
        return cast(GoToHost, self.app)  # the provider is registered by PolicyApp only

    def _entries(self, kinds: tuple[HitKind, ...]) -> list[Entry]:
        if not self.host.loaded:  # nothing to go to while the model loads
            return []
        # An entity tied to no counterpart has nowhere to go (search still finds it).
        return [entry for entry in self.host.search_index.entries
                if entry.kind in kinds and entry.target.counterpart is not None]

    def _go_to_commands(self) -> _GoToCommands:
        """Every "Go to" command, made once per model while the palette is open rather than
        at every key: with the commands lower-cased, and which of them name no event. An
        entity has one more per alias, "Go to Afghanistan (Kabul)": a reader types the name
        the article uses."""
        index = self.host.search_index if self.host.loaded else None
        if self._made is None or self._made.made_from is not index:
            commands: list[tuple[Entry, str]] = []
            for entry in self._entries(GO_TO_KINDS):
                # Each alias's right after its name: Textual's scores tie often, and the
                # first given is shown first ("kabul" scores the same in many events).
                commands.append((entry, f"Go to {entry.label}"))
                commands += [(entry, cap(f"Go to {entry.label} ({text})", MAX_LABEL_CHARS))
                             for field, text in entry.fields if field == "alias"]
            self._made = _GoToCommands(
                index, commands, [command.lower() for _, command in commands],
                {n for n, (entry, _) in enumerate(commands) if entry.kind is not HitKind.EVENT})
        return self._made

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        go_to = self.host.go_to
        made = self._go_to_commands()
        commands = made.commands
        scored: list[tuple[float, Entry, str]] = []
        candidates = worth_scoring(made.lowered, query.lower(), made.names)
        for number, position in enumerate(candidates, 1):
            entry, command = commands[position]
            score = matcher.match(command)
            if score > 0:
                scored.append((score, entry, command))
            if number % YIELD_EVERY == 0:
                # Keystrokes go on meanwhile, and a newer query cancels this search here.
                await asyncio.sleep(0)
        # Only the best: the palette builds, queues and sorts every hit it is given, and a
        # short query matches thousands of events in a large model (the reader sees the top).
        # An entity matched by its name and an alias is offered once, by the better.
        best: dict[int, tuple[float, Entry, str]] = {}
        for hit in scored:
            kept = best.get(id(hit[1]))
            if kept is None or hit[0] > kept[0]:
                best[id(hit[1])] = hit
        for score, entry, command in heapq.nlargest(MOST_HITS, best.values(),
                                                    key=itemgetter(0)):
            yield Hit(score, go_to_prompt(command, self._under(entry), matcher, self._width),
                      partial(go_to, entry), text=command)

    async def discover(self) -> Hits:
        go_to = self.host.go_to
        for entry in self._entries((HitKind.COUNTERPART,)):
            command = f"Go to {entry.label}"
            yield DiscoveryHit(go_to_prompt(command, self._under(entry), width=self._width),
                               partial(go_to, entry), text=command)

    @property
    def _width(self) -> int:
        return max(self.app.size.width - PALETTE_CHROME, 12)

    def _under(self, entry: Entry) -> str:
        """The line under a command: for a counterpart, what it is and how the year went
        (its name again would say nothing); for anything else, where it leads."""
        if entry.kind is HitKind.COUNTERPART:
            return counterpart_summary(self.host.view, entry.item_id)
        return entry.leads_to


GO_TO_DATE = "Go to date"
# A query that reads as a date asks for that date first. Textual's fuzzy scores are not kept
# within 0..1 (a close match of a long command scores several), so 1.0 came below events.
DATE_FIRST = 1_000.0
DATE_PREFIXES = ("go to date", "go to", "date")
# A date being typed after its year ("2023-", "2023-0", "2023-02-1"): between the year and
# the whole date nothing else matches, and the list flickered to "No matches found".
_DATE_UNDER_WAY = re.compile(r"[0-9]{4}-(?:[0-9]{0,2}(?:-[0-9]?)?)?")


def typed_date(query: str) -> str:
    """The date in a palette query, without a leading "go to date"."""
    text = query.strip()
    for prefix in DATE_PREFIXES:
        if text.lower().startswith(prefix):
            return text[len(prefix) :].strip(" :")
    return text


class GoToDateProvider(Provider):
    """"Go to date 2023-06": the timeline shows that month, day or year."""

    @property
    def timeline(self) -> Timeline | None:
        host = cast(GoToHost, self.app)  # registered by PolicyApp only
        return host.timeline if host.loaded else None

    async def search(self, query: str) -> Hits:
        timeline = self.timeline
        if timeline is None:
            return
        text = typed_date(query)
        command = f"{GO_TO_DATE} {text}"
        period = parse_reader_date(text)
        if period is not None:
            shown = timeline.period_window(*period).label()
            yield Hit(DATE_FIRST, go_to_prompt(command, f"Timeline: {shown}"),
                      partial(timeline.show_period, *period), text=command)
            return
        problem = reader_date_problem(text)
        if problem is not None:  # "2023-02-30": say why, rather than "No matches found"
            yield Hit(DATE_FIRST, go_to_prompt(command, f"Not a date: {problem}"),
                      self.app.bell, text=command)
            return
        if _DATE_UNDER_WAY.fullmatch(text):  # "2023-0": the hint, not "No matches found"
            yield Hit(DATE_FIRST, self._hint(timeline), timeline.action_fit, text=GO_TO_DATE)
            return
        matcher = self.matcher(query)
        score = matcher.match(GO_TO_DATE)
        if score > 0:
            yield Hit(score, self._hint(timeline, matcher), timeline.action_fit,
                      text=GO_TO_DATE)

    async def discover(self) -> Hits:
        timeline = self.timeline
        if timeline is not None:
            yield DiscoveryHit(self._hint(timeline), timeline.action_fit, text=GO_TO_DATE)

    @staticmethod
    def _hint(timeline: Timeline, matcher: Matcher | None = None) -> Content:
        period = timeline.fit_window().label()
        return go_to_prompt(f"{GO_TO_DATE}: type 2023-06, Jun 2023 or 2023",
                            f"Timeline: enter shows the article's period ({period})", matcher)
