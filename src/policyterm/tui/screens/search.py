"""The search dialog (`/`): type, results update on every keystroke, enter goes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from policyterm.core.search import Entry, SearchIndex, highlight
from policyterm.tui.widgets.results import ResultList, Row

# Building thousands of options per keystroke would lag; the rest stay reachable with n/N.
SHOWN_LIMIT = 60
EXCERPT_WIDTH = 60


def _excerpt(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[str, int]:
    """A window of `text` around its first match, and the offset the window starts at."""
    if len(text) <= EXCERPT_WIDTH or not spans:
        return text[:EXCERPT_WIDTH * 2], 0
    start = max(0, spans[0][0] - 20)
    return ("…" if start else "") + text[start : start + EXCERPT_WIDTH], start - (1 if start else 0)


def hit_prompt(entry: Entry, query: str) -> Text:
    """One result line: what matched (matched part highlighted), and where it leads."""
    hit = highlight(entry, query)
    line = Text(no_wrap=True, overflow="ellipsis")
    offset = entry.label.find(hit.text)
    if offset >= 0:
        # The matched field is part of the label ("2023 · <title>"): mark it there.
        line.append(entry.label)
        for start, end in hit.spans:
            line.stylize("bold reverse", offset + start, offset + end)
    else:
        line.append(entry.label)
        line.append(f"  {hit.field_name}: ", style="dim")
        shown, offset = _excerpt(hit.text, hit.spans)
        base = len(line)
        line.append(shown.replace("\n", " "))
        for start, end in hit.spans:
            line.stylize("bold reverse", base + start - offset, base + end - offset)
    line.append(f"  {entry.leads_to}", style="dim italic")
    return line


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
        Binding("up", "move(-1)", "Previous result", priority=True),
        Binding("pagedown", "move(10)", "Ten results down", show=False, priority=True),
        Binding("pageup", "move(-10)", "Ten results up", show=False, priority=True),
        Binding("enter", "go", "Go to result", priority=True),
    ]

    def __init__(self, index: SearchIndex, query: str = "") -> None:
        super().__init__()
        self.index = index
        self.initial_query = query
        self.query_text = query
        self.results: list[Entry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            # No validation: it restyles the input when the first character is typed.
            yield Input(value=self.initial_query, id="search-input", validate_on=[],
                        placeholder="Search names, people, events, dates, figures, themes…")
            yield ResultList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-dialog").border_title = "Search"
        self._refresh_results(self.initial_query)
        # Watched rather than through Input.Changed: that message arrives after the frame
        # that shows the typed character, so the results would follow a frame (16+ ms) later.
        self.watch(self.query_one("#search-input", Input), "value", self._refresh_results,
                   init=False)

    def _refresh_results(self, query: str) -> None:
        self.query_text = query
        self.results = self.index.search(query)
        rows: list[Row] = []
        group: str | None = None
        shown = self.results[:SHOWN_LIMIT]
        counts: dict[str, int] = {}
        for entry in self.results:
            counts[entry.kind.value] = counts.get(entry.kind.value, 0) + 1
        for number, entry in enumerate(shown):
            if entry.kind.value != group:
                group = entry.kind.value
                rows.append((Text(f"{group} ({counts[group]:,})"), None))
            rows.append((partial(hit_prompt, entry, query), number))
        self.query_one("#search-results", ResultList).show(rows)
        # The count goes in the search box's border: that needs no layout pass, and repaints
        # the box (repainted for the typed character anyway) rather than the whole dialog.
        box = self.query_one("#search-input")
        if not query.strip():
            status = "Type to search · ↑↓ move · enter goes · esc closes"
        elif not self.results:
            status = f"No match for “{query}”"
        elif len(self.results) > SHOWN_LIMIT:
            status = (f"{len(self.results):,} results; the first {SHOWN_LIMIT} shown "
                      "(n/N after closing walks all of them)")
        else:
            status = f"{len(self.results):,} result" + ("" if len(self.results) == 1 else "s")
        box.border_subtitle = Text(status)  # Text: the query is shown, never parsed

    def action_move(self, step: int) -> None:
        self.query_one("#search-results", ResultList).move(step)

    def action_go(self) -> None:
        chosen = self.query_one("#search-results", ResultList).highlighted_value
        if chosen is not None:
            self._choose(chosen)

    def on_result_list_chosen(self, message: ResultList.Chosen) -> None:
        self._choose(message.value)

    def _choose(self, hit: int) -> None:
        self.dismiss(SearchOutcome(self.query_text, self.results, hit))

    def action_close(self) -> None:
        self.dismiss(SearchOutcome(self.query_text, self.results, None))
