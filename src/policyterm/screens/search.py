"""The search dialog (`/`): type, results update on every keystroke, enter goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from policyterm.search import Entry, SearchIndex, highlight

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
            yield Input(value=self.initial_query, id="search-input",
                        placeholder="Search names, people, events, dates, figures, themes…")
            yield OptionList(id="search-results", markup=False)

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
        options: list[Option] = []
        group: str | None = None
        shown = self.results[:SHOWN_LIMIT]
        counts: dict[str, int] = {}
        for entry in self.results:
            counts[entry.kind.value] = counts.get(entry.kind.value, 0) + 1
        for number, entry in enumerate(shown):
            if entry.kind.value != group:
                group = entry.kind.value
                options.append(Option(Text(f"{group} ({counts[group]:,})", style="bold"),
                                      disabled=True))
            options.append(Option(hit_prompt(entry, query), id=str(number)))
        results = self.query_one("#search-results", OptionList)
        results.set_options(options)
        if shown:
            results.highlighted = 1  # the first hit, after its group heading
        # The count goes in the dialog's border: updating it needs no layout pass.
        dialog = self.query_one("#search-dialog")
        if not query.strip():
            status = "Type to search · ↑↓ move · enter goes · esc closes"
        elif not self.results:
            status = f"No match for “{query}”"
        elif len(self.results) > SHOWN_LIMIT:
            status = (f"{len(self.results):,} results; the first {SHOWN_LIMIT} shown "
                      "(n/N after closing walks all of them)")
        else:
            status = f"{len(self.results):,} result" + ("" if len(self.results) == 1 else "s")
        dialog.border_subtitle = Text(status)  # Text: the query is shown, never parsed

    def action_move(self, step: int) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count == 0:
            return
        current = results.highlighted if results.highlighted is not None else 0
        target = current
        direction = 1 if step > 0 else -1
        remaining = abs(step)
        probe = current
        while remaining:
            probe += direction
            if not 0 <= probe < results.option_count:
                break
            if not results.get_option_at_index(probe).disabled:
                target = probe
                remaining -= 1
        results.highlighted = target

    def action_go(self) -> None:
        results = self.query_one("#search-results", OptionList)
        option = results.highlighted_option
        if option is None or option.id is None:
            return
        self.dismiss(SearchOutcome(self.query_text, self.results, int(option.id)))

    @on(OptionList.OptionSelected, "#search-results")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(SearchOutcome(self.query_text, self.results, int(event.option.id)))

    def action_close(self) -> None:
        self.dismiss(SearchOutcome(self.query_text, self.results, None))
