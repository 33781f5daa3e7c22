"""The search dialog (`/`): type, results update on every keystroke, enter goes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input

from policyterm.core.search import Entry, HitKind, SearchIndex, highlight
from policyterm.tui.widgets.results import ResultList, Row

# Building thousands of options per keystroke would lag: the groups share this many rows,
# each showing its best hits; the rest stay reachable with n/N.
SHOWN_LIMIT = 60
# Words of a field shown before its first match, for context.
CONTEXT_CELLS = 20
MATCH_STYLE = "bold reverse"
# The fewest cells worth giving a person's role after their name ("  role: env…").
ROLE_ROOM = 12
_ONE_LINE = str.maketrans("\t\n\r", "   ")


def _fit(text: Text, room: int) -> Text:
    """`text`, or as many of its words as fit `room` cells and "…"; a word is cut only when
    stopping at a space would leave less than half the room used."""
    if text.cell_len <= room:
        return text
    if room <= 1:
        return Text("…"[:room])
    plain = text.plain
    end = used = 0
    for char in plain:
        used += cell_len(char)
        if used > room - 1:
            break
        end += 1
    space = plain.rfind(" ", 0, end + 1)
    # At a word's end where one is near; text without spaces (Chinese, Japanese; a long
    # name) is cut where it must be rather than back to a space at its start ("→ …").
    if space > end // 2:
        end = space
    cut = text[:end]
    cut.rstrip()
    cut.append("…")
    return cut


def _window(text: str, spans: tuple[tuple[int, int], ...], room: int) -> Text:
    """`text` with its matches marked, fitted to `room` cells; when the longest match (the
    earliest of those: a query's short words, "on", match early and often) would not fit,
    starting at a word a little before it, after "…"."""
    # A tab or a line break would move what follows on the line: shown as spaces.
    line = Text(text.translate(_ONE_LINE))
    for start, end in spans:
        line.stylize(MATCH_STYLE, start, end)
    anchor = max(spans, key=lambda span: span[1] - span[0]) if spans else (0, 0)
    if not spans or cell_len(text) <= room or cell_len(text[: anchor[1]]) <= room - 1:
        return _fit(line, room)
    match = anchor[0]
    start = _tail_start(text, match, min(CONTEXT_CELLS, room // 3))
    if cell_len(text[start:]) < room - 1:
        # Near the end: show as much as fits before the match rather than leave room empty.
        start = min(start, _tail_start(text, len(text), room - 2))
    word = text.find(" ", start, match)
    start = word + 1 if word != -1 else start
    return _fit(Text("…") + line[start:], room)


def _tail_start(text: str, end: int, cells: int) -> int:
    """Where the part of `text` ending at `end` that fills at most `cells` cells starts (in
    cells, not characters: a Chinese character is two)."""
    start, used = end, 0
    while start > 0 and used + cell_len(text[start - 1]) <= cells:
        start -= 1
        used += cell_len(text[start])
    return start


def hit_prompt(entry: Entry, terms: list[str], width: int) -> Text:
    """One result line of `width` cells: what matched (matched part highlighted), and at the
    right end where it leads, which is never cut away: the snippet gives way instead."""
    hit = highlight(entry, "", terms)
    # The target keeps up to half the line: a long entity name cannot hide the hit.
    leads = _fit(Text(entry.leads_to, style="dim italic"), max(12, width // 2))
    room = max(0, width - leads.cell_len - 2)
    offset = entry.label.find(hit.text)
    if offset >= 0:
        # The matched field is part of the label ("2023 · <title>"): mark it there.
        body = _window(entry.label, tuple((offset + a, offset + b) for a, b in hit.spans),
                       room)
        role = next((text for field, text in entry.fields if field == "role"), None)
        rest = room - body.cell_len
        if entry.kind is HitKind.PERSON and role and rest >= ROLE_ROOM:
            # Who they are, in the room the name leaves: people can share a name.
            body.append_text(_fit(Text(f"  role: {role.translate(_ONE_LINE)}", style="dim"),
                                  rest))
    else:
        field = Text(f"  {hit.field_name}: ", style="dim")
        # The label gives way to the matched field down to half the room, no further.
        label = _fit(Text(entry.label),
                     max(room // 2, room - field.cell_len - cell_len(hit.text)))
        shown = _window(hit.text, hit.spans, room - label.cell_len - field.cell_len)
        body = label + field + shown
    body = _fit(body, room)
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append_text(body)
    line.append(" " * (width - body.cell_len - leads.cell_len))
    line.append_text(leads)
    return line


class SearchBox(Input):
    """The query box. A paste of several lines is searched whole, its lines joined: Input
    keeps only the first, so a name broken over two lines lost its second half."""

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Input's own handling, which keeps the first line
        event.stop()
        text = " ".join(event.text.split())
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)


@dataclass(frozen=True)
class SearchOutcome:
    """What the dialog leaves behind: the query and its results (for n/N), and the choice."""

    query: str
    results: list[Entry]
    chosen: int | None  # index into results; None when closed with escape


class SearchScreen(ModalScreen[SearchOutcome]):
    """Search everything; dismisses with the query, its results and the chosen one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search"),
        Binding("down", "move(1)", "Next result", priority=True),
        Binding("up", "move(-1)", "Previous result",
                tooltip="Previous result; in an empty box, the earlier searches (↓ back)",
                priority=True),
        Binding("pagedown", "move(10)", "Ten results down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Ten results up", show=False, priority=True),
        Binding("enter", "go", "Go to result", priority=True),
        # Tab would take focus from the box and leave typing going nowhere: it moves the
        # highlight instead, and ends a walk through earlier queries (↑↓ move results again).
        Binding("tab", "step(1)", "Next result", show=False,
                tooltip="Next result (also ends ↑↓ through earlier queries)", priority=True),
        Binding("shift+tab", "step(-1)", "Previous result", show=False, priority=True),
    ]

    def __init__(self, index: SearchIndex, query: str = "", history: Sequence[str] = ()) -> None:
        """`query`: typed in already, and selected (typing replaces it). `history`: earlier
        queries, the most recent first, for ↑ in an empty box."""
        super().__init__()
        self.index = index
        self.initial_query = query
        self.query_text = query
        self._results: list[Entry] | None = []  # None: not yet ranked (see `results`)
        self.history = tuple(history)
        self._recalled: int | None = None  # the history entry in the box, while ↑↓ walk it

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            # No validation: it restyles the input when the first character is typed.
            yield SearchBox(value=self.initial_query, id="search-input", validate_on=[],
                        placeholder="Search names, people, events, dates, figures, themes…")
            yield ResultList(id="search-results")
        # Its own keys: the explorer's footer below said "a Selected  q Quit", which type
        # letters here.
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-dialog").border_title = "Search"
        self._refresh_results(self.initial_query)
        # Watched rather than through Input.Changed: that message arrives after the frame
        # that shows the typed character, so the results would follow a frame (16+ ms) later.
        self.watch(self.query_one("#search-input", Input), "value", self._refresh_results,
                   init=False)

    def on_key(self, event: events.Key) -> None:
        # Keys that came in one burst with "/" (a paste, a fast typist) reach the dialog
        # before its box has focus. Handed on, they queue behind the box's focus and are
        # typed there in order. (The box stops every printable key, so none comes back.)
        if event.is_printable:
            event.stop()
            event.prevent_default()
            self.query_one(SearchBox).post_message(events.Key(event.key, event.character))

    @property
    def results(self) -> list[Entry]:
        """Every hit of the query, ranked. Ranked when first asked for (n/N after closing),
        not at each keystroke: a keystroke shows only the first SHOWN_LIMIT."""
        if self._results is None:
            self._results = self.index.search(self.query_text)
        return self._results

    def _refresh_results(self, query: str) -> None:
        self.query_text = query
        self._results = None
        shown, counts = self.index.first(query, SHOWN_LIMIT)
        total = sum(counts.values())
        terms = self.index.match_terms(query)  # a typo's readings too
        # Each group shows its first few hits: a row's value is its place in `results`, which
        # holds every hit of every group in the same order.
        shown_of = Counter(entry.kind for entry in shown)
        group_starts = dict(zip(counts, accumulate(counts.values(), initial=0), strict=False))
        rows: list[Row] = []
        group: HitKind | None = None
        place = 0
        for entry in shown:
            if entry.kind != group:
                group, place = entry.kind, group_starts[entry.kind]
                count = counts[group]
                rows.append((Text(f"{group.value} ({count:,})" if shown_of[group] == count
                                  else f"{group.value} (first {shown_of[group]} of {count:,})"),
                             None))
            rows.append((partial(hit_prompt, entry, terms), place))
            place += 1
        self.query_one("#search-results", ResultList).show(rows)
        # The count goes in the search box's border: that needs no layout pass, and repaints
        # the box (repainted for the typed character anyway) rather than the whole dialog.
        box = self.query_one("#search-input")
        if not query.strip():
            status = ("Type to search · ↑ earlier searches · esc closes" if self.history
                      else "Type to search · ↑↓ move · enter goes · esc closes")
        elif not total:
            status = f"No match for “{query}”"
        elif total > len(shown):
            status = (f"{total:,} results; {len(shown)} shown "
                      "(n/N after closing walks all of them)")
        else:
            status = f"{total:,} result" + ("" if total == 1 else "s")
        if self._recalled is not None and query == self.history[self._recalled]:
            status = (f"earlier search {self._recalled + 1}/{len(self.history)} · "
                      f"tab: to the results · {status}")
        box.border_subtitle = Text(status)  # Text: the query is shown, never parsed

    def action_move(self, step: int) -> None:
        """↑↓: through earlier queries, from an empty box or while walking them (until a
        key is typed or Tab moves the highlight); otherwise through the results."""
        box = self.query_one("#search-input", Input)
        walking = (self._recalled is not None
                   and box.value == self.history[self._recalled])
        if abs(step) == 1 and self.history and (walking or (step < 0 and not box.value)):
            self._recall(0 if self._recalled is None else self._recalled - step)
            return
        self.action_step(step)

    def _recall(self, position: int) -> None:
        """Put history entry `position` in the box (older as it grows); -1: an empty box."""
        position = min(position, len(self.history) - 1)
        box = self.query_one("#search-input", Input)
        if position < 0:
            self._recalled = None
            box.value = ""
            return
        self._recalled = position
        box.value = self.history[position]
        box.cursor_position = len(box.value)

    def action_step(self, step: int) -> None:
        self._recalled = None
        self.query_one("#search-results", ResultList).move(step)

    def action_go(self) -> None:
        # Enter acts as the app reads it (a priority key), so in one burst with the query
        # ("/china" and enter sent at once) it can come before the query's keys are typed:
        # it goes once this dialog, then its box, have taken the keys queued before it.
        self.call_later(self.query_one(SearchBox).call_later, self._go)

    def _go(self) -> None:
        if not self.is_current:  # closed meanwhile (escape, or an enter before this one)
            return
        chosen = self.query_one("#search-results", ResultList).highlighted_value
        if chosen is not None:
            self._choose(chosen)

    def on_result_list_chosen(self, message: ResultList.Chosen) -> None:
        self._choose(message.value)

    def _choose(self, hit: int) -> None:
        self.dismiss(SearchOutcome(self.query_text, self.results, hit))

    def action_close(self) -> None:
        self.dismiss(SearchOutcome(self.query_text, self.results, None))
