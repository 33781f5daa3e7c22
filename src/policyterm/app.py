"""The explorer: counterparts, detail and timeline, driven by the keyboard.

The app holds the selection (counterpart and timeline event); widgets render what they are
given and report back through callbacks when the reader moves (in the same callback as the
keypress, so every pane changes in the same frame).
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static
from textual.worker import get_current_worker

from policyterm.loader import (
    LoadCancelled,
    ModelError,
    Problem,
    Tail,
    display_name,
    parse_bytes,
    paused_gc,
    read_model_bytes,
)
from policyterm.model import Model
from policyterm.views import ModelView
from policyterm.widgets.counterparts import CounterpartList
from policyterm.widgets.detail import DetailPane
from policyterm.widgets.timeline import Timeline

if TYPE_CHECKING:
    from textual.command import Provider

    from policyterm.screens.help import BindingSection
    from policyterm.screens.search import SearchOutcome
    from policyterm.search import Entry, SearchIndex

# The palette, the dialogs and the search index are imported when first used, not at start:
# the first screen needs none of them.


INDEX_DELAY_SECONDS = 0.5
GC_YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest generation


def freeze_heap() -> None:
    """Exempt everything alive now (Textual, the model, the index) from garbage collection.

    They live as long as the app, yet each full collection walks them all: 80-120 ms at the
    article's size (more with a larger model), landing on random keypresses. Objects that die
    later are still freed by reference counting, and the young ones by the collector."""
    gc.freeze()
    # Every keypress allocates tens of thousands of short-lived objects (strips, segments,
    # styles). At the default threshold (700) that is dozens of collections per key and a
    # full one every few keys, 10-20 ms each, on top of the frame (p95 of typing in search
    # 23 ms -> 15 ms at the article's size). Collect young objects in larger batches.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _go_to_provider() -> type[Provider]:
    from policyterm.palette import GoToProvider

    return GoToProvider


def title_text(model: Model, view: ModelView) -> Text:
    article = model.article
    published = f"{article.published.day} {article.published:%b %Y}"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("policyterm", style="bold")
    text.append(f" — {article.title} · {published} · focus: {view.focus.name}")
    return text


class PolicyApp(App[int]):
    """policyterm's explorer on one model."""

    CSS_PATH = "policyterm.tcss"
    TITLE = "policyterm"
    COMMANDS = App.COMMANDS | {_go_to_provider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-tiny"), (14, "-short"), (30, "-tall")
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="Search names, events, figures, themes",
                id="search"),
        Binding("n", "next_hit", "Next hit", show=False, tooltip="Next hit of the last search",
                id="next-hit"),
        Binding("N", "previous_hit", "Previous hit", show=False,
                tooltip="Previous hit of the last search", id="previous-hit"),
        Binding("right_square_bracket", "step_counterpart(1)", "Next counterpart",
                show=False, tooltip="Next counterpart, from any pane", id="next-counterpart"),
        Binding("left_square_bracket", "step_counterpart(-1)", "Previous counterpart",
                show=False, tooltip="Previous counterpart, from any pane",
                id="previous-counterpart"),
        # The screen already binds tab/shift+tab to these actions; declared here for help.
        Binding("tab", "focus_next", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="previous-pane"),
        Binding("a", "toggle_all", "All/selected", tooltip="Timeline: all events, or only the "
                "selected counterpart's", id="toggle-all"),
        Binding("question_mark", "help", "Help", tooltip="Every key, and what the glyphs mean",
                id="help"),
        Binding("q", "quit", "Quit", tooltip="Quit policyterm", id="quit"),
    ]

    # A var, not a reactive: a reactive on the App repaints the whole screen when it changes,
    # where only the panes that show the selection need to (they refresh themselves).
    counterpart: var[str | None] = var(None, init=False)

    def __init__(self, model: Model | None = None, source: str = "",
                 path: Path | None = None, *, preview: Model | None = None,
                 data: bytes | None = None, tail: Tail | None = None) -> None:
        """Open `model`; or, given only `path`, load it in a worker, showing `preview` (the
        part before its events, see loader.preview_bytes) or progress until then. `data` is
        the file's bytes if they are read already, `tail` the records of its last tables if
        they are being parsed elsewhere (see tail_parse)."""
        super().__init__()
        if model is None and path is None:
            raise ValueError("PolicyApp needs a model or a path to load one from")
        self.path = path
        self._data = data
        self._tail = tail
        self.source = source or (display_name(path) if path else "")
        self.load_problems: tuple[Problem, ...] = ()
        self.last_search: SearchOutcome | None = None
        self.hit_position = -1
        self._search_index: SearchIndex | None = None
        self._exploring = False  # the panes are mounted and follow the selection
        self._preview_painted = threading.Event()
        self.complete = model is not None  # False while a large file's events still load
        shown = model if model is not None else preview
        if shown is not None:
            self.model = shown
            self.view = ModelView(shown)

    @property
    def search_index(self) -> SearchIndex:
        """Built on first use, or in the background after the first screen."""
        if self._search_index is None:
            from policyterm.search import SearchIndex

            self._search_index = SearchIndex(self.view)
        return self._search_index

    @property
    def loaded(self) -> bool:
        return hasattr(self, "view")

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.loaded:
            yield from self._explorer()
        else:
            yield Static(Text(f"policyterm — loading {self.source}"), id="title")
            yield Static(Text(f"Reading {self.source}…"), id="loading")
        yield Footer()

    def _explorer(self) -> list[Widget]:
        return [Static(title_text(self.model, self.view), id="title", markup=False),
                *self._panes()]

    def _panes(self) -> list[Widget]:
        main = Horizontal(CounterpartList(self.view, on_select=self._list_selected,
                                          id="counterparts"),
                          DetailPane(self.view, id="detail"), id="main")
        return [main, Timeline(self.view, on_cursor_moved=self._cursor_moved,
                               on_event_chosen=self._event_chosen, id="timeline")]

    def on_mount(self) -> None:
        if self.loaded:
            self._start_exploring()
        if not self.complete:
            self._load_in_background()

    @work(thread=True, exclusive=True, group="load")
    def _load_in_background(self) -> None:
        """Large models: parse off the event loop so the terminal shows progress at once."""
        assert self.path is not None
        worker = get_current_worker()
        previewed = self.loaded  # opened on the part before the events (see cli)
        if not previewed:
            size = self.path.stat().st_size if self.path.is_file() else 0
            self.call_from_thread(self._show_progress,
                                  f"Reading and checking {self.source} ({size / 1e6:.1f} MB)…")
        name = display_name(self.path)

        def show_preview(preview: Model) -> None:
            # Counterparts and relationships first (milliseconds), then the events.
            self.call_from_thread(self._loaded, preview, ModelView(preview), False)
            # Parsing holds the GIL: let the preview reach the screen before it goes on.
            self._preview_painted.wait(timeout=1.0)

        try:
            with paused_gc():  # nothing parsed here is garbage: see paused_gc
                if previewed:
                    # Parsing holds the GIL: let the first screen be drawn before it starts.
                    self._preview_painted.wait(timeout=1.0)
                # The bytes are decoded and parsed a batch at a time (see parse_bytes): the
                # preview waits only for the head, and the whole text is never in memory.
                data, self._data = self._data, None
                model = parse_bytes(read_model_bytes(self.path) if data is None else data,
                                    name, on_preview=None if previewed else show_preview,
                                    tail=self._tail, cancelled=lambda: worker.is_cancelled)
                del data  # megabytes no longer needed: not kept while the view is built
                view = ModelView(model)
                # Before the collector resumes: its first pass would otherwise walk every object
                # the load made (~70 ms at 20,000 events), just as the panes switch to them.
                freeze_heap()
        except ModelError as error:
            self.call_from_thread(self._failed, error)
            return
        except LoadCancelled:  # the app is closing: a quit need not wait for the whole file
            return
        finally:
            if self._tail is not None:
                self._tail.cancel()  # a whole parse did without its records
        self.call_from_thread(self._loaded, model, view, True)

    def _show_progress(self, message: str) -> None:
        self.query_one("#loading", Static).update(Text(message))

    def _failed(self, error: ModelError) -> None:
        self.load_problems = error.problems
        self.exit(return_code=1)

    def _loaded(self, model: Model, view: ModelView, complete: bool) -> None:
        """Show a model: a preview of a large file first, then the whole of it."""
        first = not self.loaded
        self.model = model
        self.view = view
        self.complete = complete
        self.refresh_bindings()  # search (see check_action) comes with the whole model
        if first:
            with self.batch_update():
                self.query_one("#title", Static).update(title_text(model, view))
                self.mount_all(self._panes(), before=self.query_one(Footer))
                self.query_one("#loading").remove()
            self.call_after_refresh(self._start_exploring)
            return
        # The preview's widgets stay; they switch to the whole model, selection kept.
        with self.batch_update():
            self.counterpart_list.view = view
            self.detail.use_view(view)
            self.timeline.use_view(view)
            if self.counterpart is not None:
                selected, self.counterpart = self.counterpart, None
                self.counterpart = selected
        self._update_timeline_subtitle()
        self._schedule_search_index()  # the worker froze the loaded heap already

    def _start_exploring(self) -> None:
        self.query_one("#counterparts").border_title = "Counterparts"
        self.query_one("#detail").border_title = "Detail"
        self.query_one("#timeline").border_title = "Timeline"
        counterparts = self.query_one(CounterpartList)
        counterparts.focus()
        self._exploring = True
        if self.view.counterparts:
            self.select_counterpart(self.view.counterparts[0].id)
        if self.complete:
            self._schedule_search_index()
            self.call_after_refresh(freeze_heap)
        else:
            self.timeline.placeholder = "Loading events…"
            self.call_after_refresh(self._preview_painted.set)

    def _schedule_search_index(self) -> None:
        # Build the index once the screen is up: a thread started now would hold the GIL
        # while the first frames are drawn. `/` before then builds it on the spot.
        self.set_timer(INDEX_DELAY_SECONDS, self._prepare_search_index)

    @work(thread=True, exclusive=True, group="index")
    def _prepare_search_index(self) -> None:
        from policyterm.search import SearchIndex

        index = SearchIndex(self.view)
        if self._search_index is None:
            self._search_index = index
        self.call_from_thread(freeze_heap)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until a model has loaded in the background there is nothing to move through; until
        # its events have, there is nothing to search.
        if action in ("quit", "help", "command_palette"):
            return True
        if action in ("search", "next_hit", "previous_hit"):
            return self.complete
        return self.loaded

    @property
    def counterpart_list(self) -> CounterpartList:
        return self.query_one(CounterpartList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    # -- the selection ------------------------------------------------------------------------

    def _list_selected(self, entity_id: str) -> None:
        # The list may move its highlight while mounting, before the other panes exist.
        if self._exploring:
            self.counterpart = entity_id

    @on(OptionList.OptionSelected, "#counterparts")
    def _counterpart_entered(self) -> None:
        # Enter on a counterpart: read about it (the selection already followed the cursor).
        self.detail.focus()

    def watch_counterpart(self, entity_id: str | None) -> None:
        if entity_id is None:
            return
        timeline = self.timeline
        timeline.emphasised = entity_id
        own_events = self.view.event_indices_of(entity_id)
        if timeline.cursor not in own_events and own_events:
            # Follow the selection quietly: Detail shows the new counterpart from its top.
            timeline.set_cursor(own_events[0], announce=False)
        cursor = timeline.cursor
        # Detail marks the cursor's event only when it is one of this counterpart's.
        marked = self.model.events[cursor].id if cursor in own_events else None
        self.detail.show(entity_id, marked)
        self._update_timeline_subtitle()

    def _cursor_moved(self, index: int) -> None:
        if self.counterpart is not None:
            event = self.model.events[index]
            involved = index in self.view.event_indices_of(self.counterpart)
            self.detail.show(self.counterpart, event.id if involved else None)
            if involved:
                self.detail.scroll_to_item(event.id)
        self._update_timeline_subtitle()

    def _event_chosen(self, index: int) -> None:
        event = self.model.events[index]
        counterpart = self.view.counterpart_of_event(event)
        if counterpart is not None:
            self.select_counterpart(counterpart)
            self.detail.show(counterpart, event.id)
            self.detail.scroll_to_item(event.id)

    def select_counterpart(self, entity_id: str) -> None:
        self.counterpart_list.select_entity(entity_id)
        # The list reports a highlight change only; set the state too, so that selecting the
        # entity already highlighted (or one the list does not show) still takes effect now.
        self.counterpart = entity_id

    def _update_timeline_subtitle(self) -> None:
        if self.complete:
            self.timeline.border_subtitle = self.timeline.cursor_summary()
        else:
            self.timeline.border_subtitle = "loading events…"

    # -- actions ------------------------------------------------------------------------------

    def action_step_counterpart(self, delta: int) -> None:
        self.counterpart_list.step(delta)

    def action_toggle_all(self) -> None:
        timeline = self.timeline
        timeline.only_emphasised = not timeline.only_emphasised
        if timeline.cursor is not None and timeline.cursor not in timeline.shown:
            shown = timeline.shown
            timeline.set_cursor(shown[0] if shown else None)
        self._update_timeline_subtitle()

    def action_help(self) -> None:
        from policyterm.screens.help import HelpScreen
        from policyterm.screens.search import SearchScreen

        sections: list[BindingSection] = [
            ("Everywhere", self.BINDINGS),
            ("Counterparts", CounterpartList.BINDINGS),
            ("Detail (when focused)", DetailPane.BINDINGS),
            ("Timeline (when focused)", Timeline.BINDINGS),
            ("Search (/)", SearchScreen.BINDINGS),
            ("Palette", [Binding("ctrl+p", "command_palette", "Command palette: go to any "
                                 "entity or event")]),
        ]
        self.push_screen(HelpScreen(sections))

    def action_search(self) -> None:
        from policyterm.screens.search import SearchScreen

        self.push_screen(SearchScreen(self.search_index), self._search_closed)

    def _search_closed(self, outcome: SearchOutcome | None) -> None:
        if outcome is None:
            return
        if outcome.query.strip():
            self.last_search = outcome
        if outcome.chosen is not None:
            self.hit_position = outcome.chosen
            self.go_to(outcome.results[outcome.chosen])

    def action_next_hit(self) -> None:
        self._step_hit(+1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        if self.last_search is None or not self.last_search.results:
            self.notify("No search yet: press / to search.", severity="warning")
            return
        results = self.last_search.results
        self.hit_position = (self.hit_position + step) % len(results)
        entry = results[self.hit_position]
        self.go_to(entry)
        self.notify(f"{self.hit_position + 1}/{len(results)} “{self.last_search.query}”: "
                    f"{entry.label}", timeout=2, markup=False)

    def go_to(self, entry: Entry) -> None:
        """Go where a search hit or palette command leads."""
        target = entry.target
        if target.counterpart is None:
            self.notify(f"{entry.label}: not tied to any counterpart", severity="warning",
                        markup=False)
            return
        self.select_counterpart(target.counterpart)
        timeline = self.timeline
        if target.event is not None:
            index = self.view.event_index[target.event]
            if index not in timeline.shown:
                timeline.only_emphasised = False
            timeline.set_cursor(index)
        self.detail.show(target.counterpart, target.event)
        self.detail.scroll_to_item(target.event or entry.item_id)
        self._update_timeline_subtitle()
