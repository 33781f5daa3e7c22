"""The explorer: counterparts, detail and timeline, driven by the keyboard.

The app holds the selection (counterpart and timeline event) and passes it down to the panes;
the panes post messages when the reader moves in them ("attributes down, messages up").
"""

from __future__ import annotations

import contextlib
import shlex
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, OptionList, Static

from policyterm.core.cache import ModelCache
from policyterm.core.display import format_sources
from policyterm.core.loading import Problem, display_name
from policyterm.core.model import Model
from policyterm.core.views import ModelView
from policyterm.tui.widgets.counterparts import CounterpartList
from policyterm.tui.widgets.detail import DetailPane, sources_item
from policyterm.tui.widgets.timeline import Timeline

if TYPE_CHECKING:
    from textual.command import Provider

    from policyterm.core.background import BackgroundLoad
    from policyterm.core.overview import Item
    from policyterm.core.search import Entry, SearchIndex
    from policyterm.core.source import Source
    from policyterm.tui.screens.help import BindingSection
    from policyterm.tui.screens.search import SearchOutcome

# The palette and the dialogs are imported when first used, not at start, and the search
# index is built after the first screen:
# the first screen needs none of them.

INDEX_DELAY_SECONDS = 0.5
RELOAD_POLL_SECONDS = 1.0
# A reload that takes longer than this (a large model) says so in the title until it ends.
RELOADING_NOTICE_SECONDS = 0.3
PROBLEMS_SHOWN = 3
# The characters of a query that a toast about it quotes.
QUERY_IN_TOAST = 40
# Textual's system commands, explained as this app's own are.
_SYSTEM_HELP = {
    "Quit": "Quit policyterm (q, ctrl+q)",
    "Maximize": "The focused pane on the whole screen (escape, or Minimize, restores it)",
}


def file_stamp(path: Path) -> tuple[int, int] | None:
    """What tells one version of a file from the next: size and modification time."""
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return stat.st_size, stat.st_mtime_ns


def problems_text(problems: tuple[Problem, ...], unreadable: bool = False) -> Text:
    """The first few problems of a reload, one line each, over the model still shown: by
    line and column (the file is the one open, and its path would take the line), then what
    is wrong, then the field (which the line and column locate already: it is cut first)."""
    count = len(problems)
    if unreadable:  # gone, too large, a directory: it holds no problems of its own
        text = Text("⚠ The file cannot be read now; still showing the version before (it "
                    "reloads once it can be read, or r)", style="bold")
    else:
        text = Text(f"⚠ The file now has {count} problem{'s' if count != 1 else ''}; still "
                    "showing the version before (fix and save, or r)", style="bold")
    for problem in problems[:PROBLEMS_SHOWN]:
        where = f"{problem.line}:{problem.column or 1}: " if problem.line is not None else ""
        message = problem.message
        if unreadable:  # "no such file": what a path argument should be is beside the point
            message = message.split("; expected", 1)[0]
        what = f"{message} — {problem.path}" if problem.path else message
        text.append(f"\n{where}{what}", style="not bold")
    if count > PROBLEMS_SHOWN:
        text.append(f"\n… and {count - PROBLEMS_SHOWN} more (policyterm validate lists them all)",
                    style="not bold italic")
    return text


def _go_to_provider() -> type[Provider]:
    from policyterm.tui.palette import GoToProvider

    return GoToProvider


def _go_to_date_provider() -> type[Provider]:
    from policyterm.tui.palette import GoToDateProvider

    return GoToDateProvider


def title_text(view: ModelView, reloading: bool = False) -> Text:
    """The title row; the focus before the date, which a narrow terminal can lose first."""
    article = view.model.article
    published = f"{article.published.day} {article.published:%b %Y}"
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("policyterm", style="bold")
    if reloading:
        text.append(" (reloading…)", style="italic")
    text.append(f" — {article.title} · focus: {view.focus.name} · {published}")
    return text


class ExplorerScreen(Screen[None]):
    """The app's own screen. Textual would focus the first focusable widget mounted as the
    screen composes: the timeline, since the list inside its container is not mounted yet;
    moving the focus from there as the app starts would draw the timeline and the footer
    once more."""

    AUTO_FOCUS = "#counterparts"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # The keys on their way up from the panes to the app, which binds them (see
        # PolicyApp.on_key), by identity.
        self.keys_passing: dict[int, events.Key] = {}

    def on_key(self, event: events.Key) -> None:
        self.keys_passing[id(event)] = event


class PolicyApp(App[int]):
    """policyterm's explorer on one model: given loaded, or loaded from a path behind a
    loading screen."""

    CSS_PATH = "policyterm.tcss"
    TITLE = "policyterm"
    COMMANDS = App.COMMANDS | {_go_to_provider, _go_to_date_provider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide"), (160, "-very-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-tiny"), (14, "-short"), (30, "-tall")
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="Search names, people, events, dates, "
                "figures and themes (and the article's text, when it is at hand)",
                id="search"),
        Binding("n", "step_hit(1)", "Next hit", show=False, tooltip="Next hit of the last search",
                id="next-hit"),
        Binding("N", "step_hit(-1)", "Previous hit", show=False,
                tooltip="Previous hit of the last search", id="previous-hit"),
        Binding("right_square_bracket", "step_counterpart(1)", "Next counterpart",
                show=False, tooltip="Next counterpart, from any pane", id="next-counterpart"),
        Binding("left_square_bracket", "step_counterpart(-1)", "Previous counterpart",
                show=False, tooltip="Previous counterpart, from any pane",
                id="previous-counterpart"),
        # The screen already binds tab/shift+tab to these actions; declared here for help.
        Binding("tab", "focus_next", "Next pane", show=False, id="next-pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="previous-pane"),
        # One key, two bindings: the footer names what a press does now (check_action shows
        # the one that applies).
        Binding("a", "show_selected_only", "Selected", tooltip="Timeline: only the selected "
                "counterpart's events", id="show-selected-only"),
        # "All", not "All events": no longer than "Selected", so the footer's width holds.
        Binding("a", "show_all_events", "All", tooltip="Timeline: all events again",
                id="show-all-events"),
        Binding("y", "copy", "Copy", show=False, tooltip="Copy the selected relationship, or "
                "the timeline's event, as plain text with its date, score and citations",
                id="copy"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the model file again (it "
                "is also read again by itself when it changes)", id="reload"),
        Binding("s", "sources", "Sources", show=False, tooltip="The article's paragraphs "
                "that the selected item cites, and what else cites them", id="sources"),
        Binding("i", "article", "Article", show=False, tooltip="The article: title, "
                "standfirst, author, dates, and what the model holds", id="article"),
        Binding("question_mark", "help", "Help", tooltip="Every key, and what the glyphs mean",
                id="help"),
        Binding("q", "quit", "Quit", tooltip="Quit policyterm (ctrl+q too)", id="quit"),
    ]

    # A var, not a reactive: a reactive on the App repaints the whole screen when it changes,
    # where only the panes that show the selection need to (they refresh themselves).
    counterpart: var[str | None] = var(None, init=False)

    def __init__(self, model: Model | ModelView | None = None, *, path: Path | None = None,
                 cache: ModelCache | None = None, loader: BackgroundLoad | None = None,
                 source: Path | None = None) -> None:
        """Open `model`, or a view of one (read from `path`, if given); or, without a model,
        load `path` (from `cache` if it holds it) behind a loading screen, by `loader` if one
        is already loading it. The file at `path` is watched: when it changes, it is loaded
        again. The article's text is read from `source`, or else from the model's
        `source_file`, and watched too."""
        super().__init__()
        if model is None and path is None:
            raise ValueError("PolicyApp needs a model or a path to load one from")
        self.path = path
        self.cache = cache
        self.load_problems: tuple[Problem, ...] = ()  # why loading `path` failed at start
        self.load_unreadable = False  # ... because the file could not be read at all
        self._stamp = file_stamp(path) if path is not None else None  # the version shown
        self.last_search: SearchOutcome | None = None
        # After a reload the last search's hits are of the old model: n and N search again.
        self._hits_outdated = False
        # Queries of this session, the most recent first: for / and ↑ in the search box.
        self.search_history: list[str] = []
        self.hit_position = -1
        self._view = ModelView(model) if isinstance(model, Model) else model
        self._search_index: SearchIndex | None = None
        self.source_given = source
        self.source: Source | None = None  # the article's text, when it could be read
        self._source_path: Path | None = None
        self._source_stamp: tuple[int, int] | None = None
        # The model and source last checked against each other, and what the last toast of
        # that check said was wrong (nothing: no toast, or "agrees again").
        self._source_checked: tuple[Model, Source] | None = None
        self._source_said: tuple[tuple[str | None, str], ...] = ()
        self._loader = loader  # the process loading `path`, if any
        self._counterpart_list: CounterpartList | None = None
        self._detail: DetailPane | None = None
        self._timeline: Timeline | None = None

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

            self._search_index = SearchIndex(self.view, self.source.paragraphs
                                             if self.source is not None else None)
        return self._search_index

    # -- layout and loading -------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return ExplorerScreen(id="_default")

    def compose(self) -> ComposeResult:
        if self._view is not None:
            yield Static(title_text(self._view), id="title", markup=False)
            yield self._problems_bar()
            yield from self._panes(self._view)
        else:
            assert self.path is not None
            name = display_name(self.path)
            yield Static(Text(f"policyterm — {name}"), id="title", markup=False)
            yield self._problems_bar()
            with Vertical(id="loading"):
                yield Static(Text(f"Loading {name} ({self._size_of(self.path)})…"),
                             id="loading-message", markup=False)
                yield LoadingIndicator()
        yield Footer()

    @staticmethod
    def _problems_bar() -> Static:
        """Where a reload's problems show while the last good model stays on screen."""
        bar = Static(id="problems", markup=False)
        bar.display = False
        return bar

    @staticmethod
    def _size_of(path: Path) -> str:
        try:
            return f"{path.stat().st_size / 1e6:.1f} MB"
        except OSError:
            return "size unknown"

    def _panes(self, view: ModelView) -> list[Horizontal | Timeline]:
        self._counterpart_list = CounterpartList(view, no_color=self.no_color,
                                                 id="counterparts")
        self._detail = DetailPane(view, id="detail")
        self._timeline = Timeline(view, id="timeline")
        return [Horizontal(self._counterpart_list, self._detail, id="main"), self._timeline]

    def on_key(self, event: events.Key) -> None:
        """A key that comes back up from the explorer's panes after a dialog opened over
        them is read again, for the dialog.

        Textual hands each key to the focused pane, and the key's binding is looked up once
        it comes back up here. In one burst ("/china" pasted or typed fast, or "/china" and
        enter sent at once), the keys after "/" were handed to the list before "/" came back
        to open the search; when they came back, the search was on top, nothing there bound
        them, and they were lost. The keys before "/" still act on the explorer, in order.
        """
        explorer = self.screen_stack[0] if self.screen_stack else None
        if not isinstance(explorer, ExplorerScreen) or \
                explorer.keys_passing.pop(id(event), None) is None:
            return  # from a dialog: its own keys, never read again (no loop)
        if self.screen is not explorer and not self.quitting:
            event.prevent_default()
            event.stop()
            self.post_message(events.Key(event.key, event.character))

    def on_mount(self) -> None:
        if self._view is not None:
            self._start_exploring()
        elif self._loader is not None:
            self._wait_for(self._loader)
        else:
            self.call_after_refresh(self._start_loading)  # once the loading screen shows
        if self.path is not None:
            # A poll of the file's size and modification time: one stat a second costs
            # nothing, works on every OS and file system, and needs no dependency.
            self.set_interval(RELOAD_POLL_SECONDS, self._reload_if_changed)

    def _start_loading(self, reuse_cache: bool = True) -> None:
        from policyterm.core.background import BackgroundLoad  # a warm start needs none

        assert self.path is not None
        self._stamp = file_stamp(self.path)
        try:
            self._loader = BackgroundLoad(self.path, self.cache, reuse_cache)
        except OSError as error:  # no process could be started (out of memory, no python)
            self._failed((Problem(display_name(self.path), "could not be loaded (no loading "
                                  f"process: {error.strerror or error})"),))
            return
        self._wait_for(self._loader)

    def _wait_for(self, loader: BackgroundLoad) -> None:
        # A daemon thread waits for the child: Textual joins a worker's thread at exit.
        threading.Thread(target=self._report, args=(loader,), daemon=True).start()

    def _reload_if_changed(self) -> None:
        if self.path is not None and self._loader is None and \
                file_stamp(self.path) != self._stamp:
            self.action_reload()
        elif self._source_path is not None and self.loaded and \
                file_stamp(self._source_path) != self._source_stamp:
            self._follow_source(announce=True)

    def _follow_source(self, announce: bool = False) -> None:
        self._read_source(announce)
        self._check_against_source()

    def _read_source(self, announce: bool = False) -> None:
        """Read the article's text (again, if it changed); a warning if it cannot be read.
        The search index is made again to cover it."""
        if self.source_given is None and self.model.article.source_file is None \
                and self._source_path is None:
            return  # most models name no source: not even its module is needed
        from policyterm.core.source import read_named_source, source_path

        path = source_path(self.path, self.model.article.source_file, self.source_given)
        stamp = file_stamp(path) if path is not None else None
        if (path, stamp) == (self._source_path, self._source_stamp):
            return
        self._source_path, self._source_stamp = path, stamp
        self._search_index = None
        if path is None:
            self.source = None
            return
        name = display_name(self.path) if self.path is not None else "the model"
        self.source, warning = read_named_source(name, path, self.source_given is not None)
        if warning is not None:
            self.notify(str(warning), title="Source", severity="warning", timeout=8,
                        markup=False)
        elif announce and self.source is not None:
            self.notify(f"Reloaded the source {self.source.name}.", timeout=2, markup=False)
        if announce and self.source is not None:
            from policyterm.tui.screens.source import SourceScreen

            for screen in self.screen_stack:  # an open paragraph dialog shows the new text
                if isinstance(screen, SourceScreen):
                    screen.show_source(self.source)

    def _check_against_source(self) -> None:
        """Once for each model and source: what validate would find against the source, in
        one toast, so that an author editing with the explorer open learns at once of a
        date phrase gone from its paragraph or a sentence copied; and, after that, that a
        reload fixed them. Checked in a thread: a large model with a long source takes a
        second or more, which would freeze the screen."""
        source, model = self.source, self.model
        if source is None:
            self._source_checked, self._source_said = None, ()
            return
        checked = self._source_checked
        if checked is not None and checked[0] is model and checked[1] is source:
            return
        self._source_checked = (model, source)
        threading.Thread(target=self._check_in_thread, args=(model, source), daemon=True).start()

    def _check_in_thread(self, model: Model, source: Source) -> None:
        from policyterm.core.source import check_against_source

        problems, warnings = check_against_source(model, source, "the model")
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            if self.is_running:
                self.call_from_thread(self._say_source_check, model, source, problems,
                                      warnings)

    def _say_source_check(self, model: Model, source: Source, problems: list[Problem],
                          warnings: list[Problem]) -> None:
        checked = self._source_checked
        if checked is None or checked[0] is not model or checked[1] is not source:
            return  # a newer model or source is being checked
        # What is wrong, wherever it is: a save that changes nothing of it (or only moves
        # lines) says nothing again, rather than pile up the same toast.
        found = tuple((p.path, p.message) for p in problems + warnings)
        said, self._source_said = self._source_said, found
        if found == said:
            return
        if not found:
            self.notify(f"The model agrees with its source {source.name} again.",
                        title="Source", timeout=3, markup=False)
            return
        counts = " and ".join(f"{count:,} {word}{'' if count == 1 else 's'}"
                              for count, word in ((len(problems), "problem"),
                                                  (len(warnings), "warning")) if count)
        message = f"{counts} against the source {source.name}"
        if len(source.paragraphs) != model.article.paragraphs:
            # Numbered otherwise than the model's citations (its [N] markers gone, a
            # heading counted): every ¶ shown could be the wrong one.
            message = (f"The source has {len(source.paragraphs)} paragraphs, the model "
                       f"{model.article.paragraphs}: citations may show the wrong text. "
                       + message[0].upper() + message[1:])
        command = "policyterm validate"
        if self.source_given is not None:
            command += f" --source {shlex.quote(str(self.source_given))}"
        command += f" {shlex.quote(display_name(self.path))}" if self.path is not None else ""
        them = "it" if len(found) == 1 else "them"
        self.notify(f"{message}: {command} lists {them}.",
                    title="Source", severity="warning" if problems else "information",
                    timeout=8, markup=False)

    def action_reload(self) -> None:
        """Load the model file again, never from the cache (r is "read it again"); the panes
        keep showing the current model until then."""
        if self.path is not None and self._loader is None:
            self._start_loading(reuse_cache=False)
            if self._loader is not None:
                self.set_timer(RELOADING_NOTICE_SECONDS, self._say_reloading)

    def _say_reloading(self) -> None:
        if self._loader is not None and self._view is not None:  # still under way
            self.query_one("#title", Static).update(title_text(self._view, reloading=True))

    def _report(self, loader: BackgroundLoad) -> None:
        """In a thread: wait for the load, then hand its outcome to the event loop."""
        outcome = loader.result()
        # RuntimeError: the app closed between the check and the call.
        with contextlib.suppress(RuntimeError):
            if self.is_running:
                if outcome.model is not None:
                    self.call_from_thread(self._loaded, ModelView(outcome.model))
                else:
                    self.call_from_thread(self._failed, outcome.problems, outcome.unreadable)
        loader.finish()  # the child may still be storing the model in the cache

    def on_unmount(self) -> None:
        if self._loader is not None:
            self._loader.stop()  # quitting during a load: the child ends now

    def _failed(self, problems: tuple[Problem, ...], unreadable: bool = False) -> None:
        self._loader = None
        if self._view is None:  # nothing to show: close, and the command prints them
            self.load_problems = problems
            self.load_unreadable = unreadable
            self.exit(return_code=1)
            return
        # A reload of a file that now has problems: keep the last good model, say why.
        self.query_one("#title", Static).update(title_text(self._view))
        self.query_one("#problems", Static).update(problems_text(problems, unreadable))
        self.query_one("#problems").display = True

    def _loaded(self, view: ModelView) -> None:
        self._loader = None
        self.query_one("#problems").display = False
        # Awaited: a replacement waits for the old panes' removal, a first model for the
        # mounting of its panes.
        self.call_later(self._replace_view if self._view is not None else self._show, view)

    async def _show(self, view: ModelView) -> None:
        """The first model: its panes replace the loading screen."""
        self._view = view
        # The panes are mounted and given their selection before the screen is drawn
        # again: one frame shows them whole.
        with self.batch_update():
            self.query_one("#title", Static).update(title_text(view))
            await self.mount_all(self._panes(view), before=self.query_one(Footer))
            self.query_one("#loading").remove()
            self._start_exploring()
        self.refresh_bindings()

    async def _replace_view(self, view: ModelView) -> None:
        """The file changed: new panes on the new model, with the selection kept by id."""
        old_events = self.model.events
        cursor = self.timeline.cursor
        event_id = old_events[cursor].id if cursor is not None else None
        base_focus = self.screen_stack[0].focused  # not a dialog's, if one is open
        focused = base_focus.id if base_focus is not None else None
        counterpart = self.counterpart
        only_selected = self.timeline.only_emphasised
        lanes = self.timeline.lanes_view
        window = self.timeline.window  # the zoom and period the reader chose
        detail_line = self.detail.scroll_y  # where the reader was, in what an author edits
        detail_highlight = self.detail.highlighted  # an event or Sources line j/k reached
        old_view, self._view = self.view, view
        counterpart = self._counterpart_again(old_view, counterpart)
        if counterpart is not None and counterpart not in view.counterpart_index:
            event_id = None  # gone: the first counterpart instead, the timeline following
        self._search_index = None
        self._hits_outdated = self.last_search is not None
        self.hit_position = -1
        self.counterpart = None
        # No frame with the old panes gone and the new not yet in. (The selection comes
        # after the batch, and the focus after the next refresh: see _start_exploring.)
        with self.batch_update():
            self.query_one("#title", Static).update(title_text(view))
            # The old panes must be gone before new ones with the same ids are mounted.
            await self.query("#main, #timeline").remove()
            await self.mount_all(self._panes(view), before=self.query_one(Footer))
        if not self.query("#counterparts"):
            return  # the app closed while the panes were swapped (q during a reload)
        self._start_exploring(counterpart, event_id, focused)
        if self.counterpart == counterpart:
            # Still on this counterpart's Detail (the new pane has no lines yet to ask):
            # highlighted again.
            if counterpart is not None and detail_highlight is not None and \
                    self._detail_lists(counterpart, detail_highlight):
                self.detail.show(counterpart, detail_highlight)
            # Once the new pane has laid out its lines (as it first draws them).
            self.call_after_refresh(self.detail.scroll_to, y=detail_line, animate=False)
        self.timeline.only_emphasised = only_selected
        self.refresh_bindings()
        if lanes:  # the view the reader chose, as the zoom below
            self.timeline.action_toggle_lanes()
        first, last = self.timeline.data_range
        if window.overlaps(first, last):
            self.timeline.restore_window(window)
        self._update_timeline_subtitle()
        self.notify("Reloaded the model file.", timeout=2)

    def _counterpart_again(self, old: ModelView, counterpart: str | None) -> str | None:
        """The counterpart to select after a reload: the same id; or, when the author renamed
        it, the one its relationships (found by their ids) now lead to."""
        if counterpart is None or counterpart in self.view.counterpart_index:
            return counterpart
        for relationship in old.relationships_of(counterpart):
            now = self.view.relationships.get(relationship.id)
            if now is None:
                continue
            # The side that is new: the renamed one (its other side may be any counterpart,
            # not only the focus); both new, the one a reader would select.
            new_sides = [side for side in now.pair if side not in relationship.pair]
            renamed = new_sides[0] if len(new_sides) == 1 else \
                self.view.counterpart_of_relationship(now)
            if renamed in self.view.counterpart_index:
                return renamed
        return counterpart

    def _detail_lists(self, counterpart: str, item_id: str) -> bool:
        """Whether the counterpart's Detail has a line for an event or a Sources line."""
        item = sources_item(item_id)
        if item in self.view.events:
            return self.view.lists_event(counterpart, self.view.events[item])
        return any(relationship.id == item
                   for relationship in self.view.relationships_of(counterpart))

    def _start_exploring(self, counterpart: str | None = None, event_id: str | None = None,
                         focused: str | None = None) -> None:
        """Panes mounted: titles, focus and a first selection (or the one kept by id)."""
        self.query_one("#counterparts").border_title = "Counterparts"
        self.query_one("#detail").border_title = "Detail"
        self.counterpart_list.focus()
        self.watch(self.counterpart_list, "highlighted", self._list_highlighted, init=False)
        if counterpart in self.view.counterpart_index:
            self.select_counterpart(counterpart)
        elif self.view.counterparts:
            self.select_counterpart(self.view.counterparts[0].id)
        if event_id in self.view.event_index:
            self.timeline.set_cursor(self.view.event_index[event_id], announce=False)
        if focused is not None and self.query(f"#{focused}"):
            # After the next refresh: a reload's new pane can take the focus once laid out.
            self.call_after_refresh(self.query_one(f"#{focused}").focus)
        self.call_after_refresh(self._follow_source)  # the first screen does not need it
        # Build the index once the screen is up; `/` before then builds it on the spot.
        self.set_timer(INDEX_DELAY_SECONDS, lambda: self.search_index)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's commands: the app's own actions, and Textual's (its "Keys" panel
        gives way to the help screen, which lists every key and closes with escape)."""
        if self.loaded:
            yield SystemCommand("Search", "Search names, people, events, dates, figures and "
                                "themes (/)",
                                self.action_search)
            yield SystemCommand("Next hit", "Next hit of the last search (n)",
                                partial(self.action_step_hit, 1))
            yield SystemCommand("Previous hit", "Previous hit of the last search (N)",
                                partial(self.action_step_hit, -1))
            yield SystemCommand("Copy", "The selected relationship or timeline event as plain "
                                "text (y)", self.action_copy)
            if self.path is not None:
                yield SystemCommand("Reload", "Read the model file again (r)", self.action_reload)
            yield SystemCommand("All events / selected only",
                                "Timeline: all events, or only the selected counterpart's (a)",
                                self.action_toggle_all)
            yield SystemCommand("The article", "Title, standfirst, author, dates, and what "
                                "the model holds (i)", self.action_article)
        yield SystemCommand("Help", "Every key, and what the glyphs mean (?)", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title in _SYSTEM_HELP:
                yield SystemCommand(command.title, _SYSTEM_HELP[command.title],
                                    command.callback, command.discover)
            elif command.title != "Keys":
                yield command

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """The palette's Screenshot, saved in the current directory: Textual's default, a
        Downloads folder, is missing on many machines, and saving then only failed."""
        return super().deliver_screenshot(filename, path or str(Path.cwd()), time_format)

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        # Said here, not by Textual: its message reads the file's path as markup.
        event.prevent_default()
        if event.name == "screenshot":
            where = display_name(event.path) if event.path is not None else "it"
            self.notify(f"Saved the screenshot as {where}", title="Screenshot", markup=False)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        event.prevent_default()
        if event.name == "screenshot":
            self.notify(f"Could not save the screenshot: {event.exception}",
                        title="Screenshot", severity="error", markup=False)

    def on_resize(self) -> None:
        # A pane hidden on a small terminal loses the focus; give it back when the panes show.
        if self.loaded and self.focused is None:
            self.call_after_refresh(self._refocus)

    def _refocus(self) -> None:
        if self.focused is None and self.screen is self.screen_stack[0]:
            self.counterpart_list.focus()

    @property
    def quitting(self) -> bool:
        """Whether exit() was called. Keys typed after q in the same burst (a paste, a fast
        typist) were queued before it and still arrive; a screen pushed now would be mounted
        without its compose (Textual is shutting down), so their actions do not run."""
        return self.return_code is not None  # set by exit() at once

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.quitting:
            return False
        # Until the model has loaded there is nothing to move through or search.
        if action in ("quit", "help_quit", "help", "command_palette"):
            return True
        if action == "reload":
            return self.path is not None and self.loaded
        if action in ("show_selected_only", "show_all_events") and self.loaded:
            return self.timeline.only_emphasised == (action == "show_all_events")
        return self.loaded

    # The panes, as mounted by _panes. Kept here rather than found with query_one: a reload
    # replaces them, and a query's cache would keep the old ones (and their models) alive.

    @property
    def counterpart_list(self) -> CounterpartList:
        assert self._counterpart_list is not None
        return self._counterpart_list

    @property
    def detail(self) -> DetailPane:
        assert self._detail is not None
        return self._detail

    @property
    def timeline(self) -> Timeline:
        assert self._timeline is not None
        return self._timeline

    def watch_theme(self) -> None:
        # One watcher here, not one per pane: a pane replaced by a reload would stay
        # referenced by its watcher.
        if self._detail is not None and self._timeline is not None:
            self._detail.theme_changed()
            self._timeline.theme_changed()

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

    @on(DetailPane.EventChosen)
    def _detail_event_chosen(self, message: DetailPane.EventChosen) -> None:
        index = self.view.event_index.get(message.event_id)
        if index is None:
            return
        timeline = self.timeline
        if index not in timeline.shown:
            timeline.only_emphasised = False
        timeline.set_cursor(index, announce=False)
        self._update_timeline_subtitle()

    @on(Timeline.EventChosen)
    def _event_chosen(self, message: Timeline.EventChosen) -> None:
        event = self.model.events[message.index]
        counterpart = self.view.counterpart_of_event(event)
        if self.counterpart is not None and self.view.lists_event(self.counterpart, event):
            counterpart = self.counterpart  # its Detail lists it: the reader stays with it
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

    def action_move_counterpart(self, delta: int) -> None:
        """↑↓ on the timeline: the counterpart before or after, stopping at the ends."""
        self.counterpart_list.action_move_by(delta)

    def action_show_selected_only(self) -> None:
        self.action_toggle_all()

    def action_show_all_events(self) -> None:
        self.action_toggle_all()

    def action_toggle_all(self) -> None:
        timeline = self.timeline
        timeline.only_emphasised = not timeline.only_emphasised
        if timeline.cursor is not None and timeline.cursor not in timeline.shown:
            shown = timeline.shown
            timeline.set_cursor(shown[0] if shown else None)
        self._update_timeline_subtitle()
        self.refresh_bindings()  # the footer's "a" says what it does next

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
        if outcome.query.strip() and outcome != self.last_search:
            self.last_search = outcome
            self._hits_outdated = False
            self.hit_position = -1  # n starts from the first hit of this search
            query = outcome.query.strip()
            if query in self.search_history:
                self.search_history.remove(query)
            self.search_history.insert(0, query)
        if outcome.chosen is not None:
            self.hit_position = outcome.chosen
            self.go_to(outcome.results[outcome.chosen], outcome.query)

    def action_step_hit(self, step: int) -> None:
        # One toast at a time: each press replaces the last one rather than stacking.
        self.clear_notifications()
        if self.last_search is not None and self._hits_outdated:
            from policyterm.tui.screens.search import SearchOutcome

            query = self.last_search.query
            self.last_search = SearchOutcome(query, self.search_index.search(query), None)
            self._hits_outdated = False
        if self.last_search is None:
            self.notify("No search yet: press / to search.", severity="warning")
            return
        from policyterm.core.search import cap

        # A pasted query can be pages long: a toast shows its start, on one line.
        query = cap(" ".join(self.last_search.query.split()), QUERY_IN_TOAST)
        if not self.last_search.results:
            self.notify(f"No match for “{query}”: press / to search again.",
                        severity="warning", markup=False)
            return
        results = self.last_search.results
        position = self.hit_position + step
        wrapped = ""
        if self.hit_position >= 0 and not 0 <= position < len(results) and len(results) > 1:
            wrapped = (" (search wrapped to the first hit)" if position >= len(results)
                       else " (search wrapped to the last hit)")
        self.hit_position = position % len(results)
        entry = results[self.hit_position]
        if self.screen.is_modal:  # pressed in a dialog a hit opened (HIT_STEPS): it closes
            self.pop_screen()
        self.go_to(entry, self.last_search.query)
        self.notify(f"{self.hit_position + 1:,}/{len(results):,} “{query}”: "
                    f"{entry.label}{wrapped}", timeout=3, markup=False)

    def action_article(self) -> None:
        from policyterm.tui.screens.overview import ArticleScreen

        self.push_screen(ArticleScreen(self.view))

    def action_sources(self) -> None:
        """The paragraphs the focused pane's item cites: the timeline's event, Detail's
        highlighted event or Sources line (in sight); from the counterpart list (or with
        nothing highlighted), the selected counterpart's main relationship."""
        item_id = None
        in_detail = self.detail.highlighted_in_sight if self.focused is self.detail else None
        if self.focused is self.timeline and self.timeline.cursor is not None:
            item_id = self.model.events[self.timeline.cursor].id
        elif in_detail is not None:
            item_id = sources_item(in_detail)
            if item_id not in self.view.events and item_id not in self.view.relationships:
                item_id = None
        if item_id is None and self.counterpart is not None:
            relationship = self.view.primary_relationship(self.counterpart)
            item_id = relationship.id if relationship is not None else None
        if item_id is not None:
            self.show_sources_of(item_id)

    @on(DetailPane.SourcesWanted)
    def _sources_wanted(self, message: DetailPane.SourcesWanted) -> None:
        self.show_sources_of(message.item_id)

    def show_sources_of(self, item_id: str) -> None:
        """The paragraphs an event or relationship cites; an event's date phrase marked."""
        view = self.view
        event = view.events.get(item_id)
        if event is not None:
            self.show_paragraphs(f"{event.date.display()} · {event.title}", event.source,
                                 phrase=event.date_text)
            return
        relationship = view.relationships.get(item_id)
        if relationship is not None:
            first, second = view.pair_names(relationship)
            self.show_paragraphs(f"{first} ↔ {second}", relationship.source)

    def show_paragraphs(self, title: str, numbers: Iterable[int], *,
                        phrase: str | None = None, terms: Iterable[str] = ()) -> None:
        """Paragraphs of the article's text, and what cites them (enter goes there); without
        the text, how to give it."""
        if self.source is None:
            path = self._source_path
            where = (f"{display_name(path)} cannot be read" if path is not None
                     else "name it with source_file in [article], or open with --source PATH")
            self.notify(f"No article text to show ({where}). Cited: "
                        f"{format_sources(numbers)}", title="Sources", severity="warning",
                        timeout=6, markup=False)
            return
        from policyterm.tui.screens.source import SourceScreen

        numbers = sorted(set(numbers))
        self.push_screen(SourceScreen(title, self.source, numbers,
                                      self.search_index.cited_by(numbers), phrase=phrase,
                                      terms=list(terms)), self._cited_item_chosen)

    def _cited_item_chosen(self, entry: Entry | None) -> None:
        if entry is not None:
            self.go_to(entry)

    def _theme_item_chosen(self, item: Item | None) -> None:
        if item is None or item.counterpart is None:
            return
        if not self._still_there(item.counterpart, item.item_id if item.is_event else None):
            return
        self.select_counterpart(item.counterpart)
        if item.is_event:
            self.timeline.set_cursor(self.view.event_index[item.item_id], announce=False)
        self.detail.show(item.counterpart, item.item_id)
        self.detail.scroll_to_item(item.item_id)
        self._update_timeline_subtitle()

    def _still_there(self, counterpart: str | None, event: str | None,
                     theme: str | None = None) -> bool:
        """Whether a hit found before a reload still names items of the model; if not, the
        reader is told rather than sent nowhere."""
        view = self.view
        if ((counterpart is None or counterpart in view.entities)
                and (event is None or event in view.event_index)
                and (theme is None or theme in view.themes)):
            return True
        self.notify("That item is no longer in the model file (it was reloaded).",
                    severity="warning", timeout=3)
        return False

    def go_to(self, entry: Entry, query: str = "") -> None:
        """Go where a search hit (found by `query`) or palette command leads."""
        from policyterm.core.search import HitKind  # loaded by now: the hit came from it

        target = entry.target
        if not self._still_there(target.counterpart, target.event,
                                 entry.item_id if entry.kind is HitKind.THEME else None):
            return
        if entry.kind is HitKind.THEME:  # every relationship, event and figure under it
            from policyterm.tui.screens.overview import ThemeScreen

            self.push_screen(ThemeScreen(self.view, entry.item_id), self._theme_item_chosen)
            return
        if entry.kind is HitKind.ARTICLE:
            self.action_article()
            return
        if entry.kind is HitKind.SOURCE:
            if self.source is None or int(entry.item_id) not in self.source.paragraphs:
                self.notify("That paragraph is no longer in the source (it was reloaded).",
                            severity="warning", timeout=3)
                return
            terms = self.search_index.match_terms(query) if query else []
            self.show_paragraphs(f"The article's text, ¶{entry.item_id}",
                                 (int(entry.item_id),), terms=terms)
            return
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
        if entry.item_id != target.counterpart and not self.detail.shows(entry.item_id):
            # A bloc or person with no line of its own here: say why this is what opened.
            name = self.view.entities[target.counterpart].name
            self.notify(f"{entry.label} has no entry of its own; it leads to {name}.",
                        timeout=4, markup=False)
