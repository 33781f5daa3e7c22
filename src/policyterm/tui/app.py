"""The explorer: counterparts, detail and timeline, driven by the keyboard.

The app holds the selection (counterpart and timeline event) and passes it down to the panes;
the panes post messages when the reader moves in them ("attributes down, messages up").
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.widgets import Footer, LoadingIndicator, OptionList, Static

from policyterm.core.background import BackgroundLoad
from policyterm.core.cache import ModelCache
from policyterm.core.loading import Problem, display_name
from policyterm.core.model import Model
from policyterm.core.views import ModelView
from policyterm.tui.widgets.counterparts import CounterpartList
from policyterm.tui.widgets.detail import DetailPane
from policyterm.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen

    from policyterm.core.search import Entry, SearchIndex
    from policyterm.tui.screens.help import BindingSection
    from policyterm.tui.screens.search import SearchOutcome

# The palette and the dialogs are imported when first used, not at start, and the search
# index is built after the first screen:
# the first screen needs none of them.

INDEX_DELAY_SECONDS = 0.5


def _go_to_provider() -> type[Provider]:
    from policyterm.tui.palette import GoToProvider

    return GoToProvider


def _go_to_date_provider() -> type[Provider]:
    from policyterm.tui.palette import GoToDateProvider

    return GoToDateProvider


def title_text(view: ModelView) -> Text:
    article = view.model.article
    published = f"{article.published.day} {article.published:%b %Y}"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("policyterm", style="bold")
    text.append(f" — {article.title} · {published} · focus: {view.focus.name}")
    return text


class PolicyApp(App[int]):
    """policyterm's explorer on one model: given loaded, or loaded from a path behind a
    loading screen."""

    CSS_PATH = "policyterm.tcss"
    TITLE = "policyterm"
    COMMANDS = App.COMMANDS | {_go_to_provider, _go_to_date_provider}
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
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the selected relationship, or "
                "the timeline's event, as plain text with its date, score and citations",
                id="copy"),
        Binding("question_mark", "help", "Help", tooltip="Every key, and what the glyphs mean",
                id="help"),
        Binding("q", "quit", "Quit", tooltip="Quit policyterm", id="quit"),
    ]

    # A var, not a reactive: a reactive on the App repaints the whole screen when it changes,
    # where only the panes that show the selection need to (they refresh themselves).
    counterpart: var[str | None] = var(None, init=False)

    def __init__(self, model: Model | None = None, *, path: Path | None = None,
                 cache: ModelCache | None = None) -> None:
        """Open `model`; or, given `path` instead, load it (from `cache` if it holds it)
        behind a loading screen."""
        super().__init__()
        if model is None and path is None:
            raise ValueError("PolicyApp needs a model or a path to load one from")
        self.path = path
        self.cache = cache
        self.load_problems: tuple[Problem, ...] = ()  # why loading `path` failed
        self.last_search: SearchOutcome | None = None
        # Queries of this session, the most recent first: for / and ↑ in the search box.
        self.search_history: list[str] = []
        self.hit_position = -1
        self._view = ModelView(model) if model is not None else None
        self._search_index: SearchIndex | None = None
        self._loader: BackgroundLoad | None = None  # the process loading `path`

    @property
    def loaded(self) -> bool:
        return self._view is not None

    @property
    def view(self) -> ModelView:
        assert self._view is not None, "no model yet: it is still loading"
        return self._view

    @property
    def model(self) -> Model:
        return self.view.model

    @property
    def search_index(self) -> SearchIndex:
        """Built on first use, or in the background after the first screen."""
        if self._search_index is None:
            from policyterm.core.search import SearchIndex

            self._search_index = SearchIndex(self.view)
        return self._search_index

    # -- layout and loading -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self._view is not None:
            yield Static(title_text(self._view), id="title", markup=False)
            yield from self._panes(self._view)
        else:
            assert self.path is not None
            name = display_name(self.path)
            yield Static(Text(f"policyterm — {name}"), id="title", markup=False)
            with Vertical(id="loading"):
                yield Static(Text(f"Loading {name} ({self._size_of(self.path)})…"),
                             id="loading-message", markup=False)
                yield LoadingIndicator()
        yield Footer()

    @staticmethod
    def _size_of(path: Path) -> str:
        try:
            return f"{path.stat().st_size / 1e6:.1f} MB"
        except OSError:
            return "size unknown"

    def _panes(self, view: ModelView) -> list[Horizontal | Timeline]:
        main = Horizontal(CounterpartList(view, no_color=self.no_color, id="counterparts"),
                          DetailPane(view, id="detail"), id="main")
        return [main, Timeline(view, id="timeline")]

    def on_mount(self) -> None:
        if self._view is not None:
            self._start_exploring()
        else:
            self.call_after_refresh(self._start_loading)  # once the loading screen shows

    def _start_loading(self) -> None:
        assert self.path is not None
        self._loader = BackgroundLoad(self.path, self.cache)
        # A daemon thread waits for the child: Textual joins a worker's thread at exit.
        threading.Thread(target=self._report, args=(self._loader,), daemon=True).start()

    def _report(self, loader: BackgroundLoad) -> None:
        """In a thread: wait for the load, then hand its outcome to the event loop."""
        outcome = loader.result()
        # RuntimeError: the app closed between the check and the call.
        with contextlib.suppress(RuntimeError):
            if self.is_running:
                if isinstance(outcome, Model):
                    self.call_from_thread(self._loaded, ModelView(outcome))
                else:
                    self.call_from_thread(self._failed, outcome)

    def on_unmount(self) -> None:
        if self._loader is not None:
            self._loader.stop()  # quitting during a load: the child ends now

    def _failed(self, problems: tuple[Problem, ...]) -> None:
        self.load_problems = problems
        self.exit(return_code=1)

    def _loaded(self, view: ModelView) -> None:
        self._view = view
        with self.batch_update():
            self.query_one("#title", Static).update(title_text(view))
            self.mount_all(self._panes(view), before=self.query_one(Footer))
            self.query_one("#loading").remove()
        self.refresh_bindings()
        self.call_after_refresh(self._start_exploring)

    def _start_exploring(self) -> None:
        self.query_one("#counterparts").border_title = "Counterparts"
        self.query_one("#detail").border_title = "Detail"
        self.counterpart_list.focus()
        self.watch(self.counterpart_list, "highlighted", self._list_highlighted, init=False)
        if self.view.counterparts:
            self.select_counterpart(self.view.counterparts[0].id)
        # Build the index once the screen is up; `/` before then builds it on the spot.
        self.set_timer(INDEX_DELAY_SECONDS, lambda: self.search_index)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's commands: the app's own actions, and Textual's (its "Keys" panel
        gives way to the help screen, which lists every key and closes with escape)."""
        if self.loaded:
            yield SystemCommand("Search", "Search names, events, figures, themes (/)",
                                self.action_search)
            yield SystemCommand("Next hit", "Next hit of the last search (n)",
                                self.action_next_hit)
            yield SystemCommand("Previous hit", "Previous hit of the last search (N)",
                                self.action_previous_hit)
            yield SystemCommand("Copy", "The selected relationship or timeline event as plain "
                                "text (y)", self.action_copy)
            yield SystemCommand("All events / selected only",
                                "Timeline: all events, or only the selected counterpart's (a)",
                                self.action_toggle_all)
        yield SystemCommand("Help", "Every key, and what the glyphs mean (?)", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command

    def on_resize(self) -> None:
        # A pane hidden on a small terminal loses the focus; give it back when the panes show.
        if self.loaded and self.focused is None:
            self.call_after_refresh(self._refocus)

    def _refocus(self) -> None:
        if self.focused is None and self.screen is self.screen_stack[0]:
            self.counterpart_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until the model has loaded there is nothing to move through or search.
        if action in ("quit", "help", "command_palette"):
            return True
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

    def _list_highlighted(self, index: int | None) -> None:
        # Watched rather than through OptionHighlighted: that message arrives after the
        # list's frame, so Detail and Timeline would follow a frame later, and a key typed
        # meanwhile (y, ]) would act on the previous counterpart.
        if index is not None:
            option = self.counterpart_list.get_option_at_index(index)
            if option.id is not None and not option.disabled:
                self.counterpart = option.id

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
            timeline.set_cursor(timeline.first_in_view(own_events), announce=False)
        cursor = timeline.cursor
        # Detail marks the cursor's event only when it is one of this counterpart's.
        marked = self.model.events[cursor].id if cursor in own_events else None
        self.detail.show(entity_id, marked)
        self._update_timeline_subtitle()

    @on(Timeline.CursorMoved)
    def _cursor_moved(self, message: Timeline.CursorMoved) -> None:
        if self.counterpart is not None:
            event = self.model.events[message.index]
            involved = message.index in self.view.event_indices_of(self.counterpart)
            self.detail.show(self.counterpart, event.id if involved else None)
            if involved:
                self.detail.scroll_to_item(event.id)
        self._update_timeline_subtitle()

    @on(Timeline.EventChosen)
    def _event_chosen(self, message: Timeline.EventChosen) -> None:
        event = self.model.events[message.index]
        counterpart = self.view.counterpart_of_event(event)
        if counterpart is not None:
            self.select_counterpart(counterpart)
            self.detail.show(counterpart, event.id)
            self.detail.scroll_to_item(event.id)

    def select_counterpart(self, entity_id: str) -> None:
        self.counterpart_list.select_entity(entity_id)
        # The list reports a highlight change a message later; set the state now, so that
        # selecting the entity already highlighted (or one the list does not show) counts.
        self.counterpart = entity_id

    def _update_timeline_subtitle(self) -> None:
        self.timeline.border_subtitle = self.timeline.cursor_summary()

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

    def action_copy(self) -> None:
        """y: the timeline's event when the timeline has focus, else the selected
        counterpart's relationship, to the clipboard (OSC 52: works over SSH and in tmux)."""
        from policyterm.core.plain_text import event_text, relationship_text

        timeline = self.timeline
        if self.focused is timeline and timeline.cursor is not None:
            event = self.model.events[timeline.cursor]
            text, what = event_text(self.view, event), f"event “{event.title}”"
        elif (selected := self.counterpart) is not None and (
                relationship := self.view.primary_relationship(selected)):
            first, second = self.view.pair_names(relationship)
            text, what = relationship_text(self.view, relationship), f"{first} ↔ {second}"
        else:
            self.notify("Nothing selected to copy.", severity="warning")
            return
        self.copy_to_clipboard(text)
        self.clear_notifications()
        self.notify(f"Copied {what} ({len(text.splitlines())} lines)", markup=False, timeout=3)

    def action_help(self) -> None:
        from policyterm.tui.screens.help import HelpScreen
        from policyterm.tui.screens.search import SearchScreen

        sections: list[BindingSection] = [
            ("Everywhere", self.BINDINGS),
            ("Counterparts", CounterpartList.BINDINGS),
            ("Detail (when focused)", DetailPane.BINDINGS),
            ("Timeline (when focused)", Timeline.BINDINGS),
            ("Search (/)", SearchScreen.BINDINGS),
            ("Palette", [Binding("ctrl+p", "command_palette", "Command palette: go to any "
                                 "entity, event or date")]),
        ]
        self.push_screen(HelpScreen(sections))

    def action_search(self) -> None:
        from policyterm.tui.screens.search import SearchScreen

        history = self.search_history
        self.push_screen(SearchScreen(self.search_index, history[0] if history else "",
                                      history), self._search_closed)

    def _search_closed(self, outcome: SearchOutcome | None) -> None:
        if outcome is None:
            return
        if outcome.query.strip():
            self.last_search = outcome
            query = outcome.query.strip()
            if query in self.search_history:
                self.search_history.remove(query)
            self.search_history.insert(0, query)
        if outcome.chosen is not None:
            self.hit_position = outcome.chosen
            self.go_to(outcome.results[outcome.chosen], outcome.query)

    def action_next_hit(self) -> None:
        self._step_hit(+1)

    def action_previous_hit(self) -> None:
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        # One toast at a time: each press replaces the last one rather than stacking.
        self.clear_notifications()
        if self.last_search is None or not self.last_search.results:
            self.notify("No search yet: press / to search.", severity="warning")
            return
        results = self.last_search.results
        position = self.hit_position + step
        wrapped = ""
        if self.hit_position >= 0 and not 0 <= position < len(results):
            wrapped = (" (search wrapped to the first hit)" if position >= len(results)
                       else " (search wrapped to the last hit)")
        self.hit_position = position % len(results)
        entry = results[self.hit_position]
        self.go_to(entry, self.last_search.query)
        self.notify(f"{self.hit_position + 1}/{len(results)} “{self.last_search.query}”: "
                    f"{entry.label}{wrapped}", timeout=3, markup=False)

    def go_to(self, entry: Entry, query: str = "") -> None:
        """Go where a search hit (found by `query`) or palette command leads."""
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
            timeline.set_cursor(index, announce=False)
        # Land on what matched: its line highlighted, the query's words marked, in view.
        terms = self.search_index.match_terms(query) if query else []  # typos read too
        self.detail.show(target.counterpart, entry.item_id, terms)
        self.detail.scroll_to_item(entry.item_id)
        self._update_timeline_subtitle()
