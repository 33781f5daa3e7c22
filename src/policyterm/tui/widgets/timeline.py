"""The timeline: the events of a window of time on one axis, or one lane per counterpart, and
a cursor on one event.

Drawn with the line API: `render_line` returns one cached row at a time. What lies in the
window, the lane packing and the strip's tallies are computed once per window and event set
(see core.timeline_layout and core.timeline_window); a cursor step only redraws the rows, and
in the lanes view only the lanes in sight are drawn, so 20,000 events cost little more per
keystroke than 20.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import ClassVar, NamedTuple, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from policyterm.core.display import format_score
from policyterm.core.timeline_layout import (
    EMPTY,
    Axis,
    Layout,
    Mark,
    WindowContents,
    band_pieces,
    density,
    event_dates,
    group_alike,
    group_label,
    lane_cells,
    layout_events,
    mark_glyphs,
    split_by_window,
    strip_cells,
    tally,
    tick_bounds,
    with_label,
)
from policyterm.core.timeline_window import (
    Tick,
    TickUnit,
    Window,
    choose_tick_unit,
    describe,
    fitting,
    ticks,
    zoomed,
)
from policyterm.core.views import ModelView
from policyterm.tui.widgets.lines import text_line

# Below this many rows or columns inside the border the timeline says it needs more room.
MIN_ROWS = 3
MIN_WIDTH = 24
TOO_SMALL_WORDINGS = ("Timeline: too small here; make the terminal larger.",
                      "Too small here; make the terminal larger.",
                      "Too small; enlarge the terminal.", "Too small")
NAME_WIDTH_MAX = 22  # the lanes view's name column, at most
MIN_INFO_TITLE = 12  # the info line keeps this much of the title before its other parts give way
NO_EVENTS = "This model has no dated events."
Key = TypeVar("Key")
Value = TypeVar("Value")


def _cached(cache: dict[Key, Value], key: Key, make: Callable[[], Value]) -> Value:
    """`cache[key]`, made by `make()` if absent; a cache of more than 64 starts over."""
    if key not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[key] = make()
    return cache[key]


class Lane(NamedTuple):
    """One row of the lanes view: a counterpart (or "Other") and its events in date order."""

    entity_id: str | None
    name: str
    indices: Sequence[int]


# Pairs of keys under one word in the footer ("← → Event"): at 80 columns, five words for
# the timeline's keys left no room for the app's own (search, help, quit).
_EVENT_KEYS = Binding.Group("Event")
_ZOOM_KEYS = Binding.Group("Zoom")


def _place_labels(labels: list[tuple[int, str]], width: int, earlier: str, later: str,
                  push_first: bool) -> tuple[list[str], int, int, int]:
    """The label row's cells with the labels that fit between the edge texts (none
    touching the one before), where the labels start being free (0: no room for
    `earlier`), where the right edge text starts, and how many labels were placed."""
    cells = [" "] * width
    free_from = len(earlier) if len(earlier) + len(later) <= width else 0
    right_limit = width - len(later) if free_from or not earlier else width
    start, placed = free_from, 0
    for number, (column, label) in enumerate(labels):
        if push_first and number == 0:
            column = max(column, start)
        if start <= column and column + len(label) <= right_limit:
            cells[column : column + len(label)] = list(label)
            start = column + len(label) + 1
            placed += 1
    return cells, free_from, right_limit, placed


class Timeline(Widget, can_focus=True):
    """The events of a window of time; the selected counterpart's emphasised."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move_cursor(-1)", "Previous event",
                tooltip="Previous event on the timeline", group=_EVENT_KEYS),
        Binding("right,l", "move_cursor(1)", "Next event", tooltip="Next event on the timeline",
                group=_EVENT_KEYS),
        # Counterparts, as in the list (no wrap at its ends): in the lanes view, the lane
        # above or below.
        Binding("up,k", "app.move_counterpart(-1)", "Previous counterpart", show=False,
                tooltip="The previous counterpart (in lanes, the lane above)"),
        Binding("down,j", "app.move_counterpart(1)", "Next counterpart", show=False,
                tooltip="The next counterpart (in lanes, the lane below)"),
        Binding("g,home", "event_at(0)", "First event", show=False,
                tooltip="First event on the timeline"),
        Binding("G,end", "event_at(-1)", "Last event", show=False,
                tooltip="Last event on the timeline"),
        Binding("pageup", "page(-1)", "Earlier", show=False,
                tooltip="The previous screenful of time"),
        Binding("pagedown", "page(1)", "Later", show=False,
                tooltip="The next screenful of time"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in", tooltip="Zoom in around the cursor",
                group=_ZOOM_KEYS),
        Binding("minus", "zoom(-1)", "Zoom out", tooltip="Zoom out", group=_ZOOM_KEYS),
        Binding("0", "fit", "Fit", show=False, tooltip="Fit the article's period again"),
        Binding("v", "toggle_lanes", "Lanes", tooltip="One shared axis / one lane per "
                "counterpart"),
        Binding("enter", "choose_event", "Go to event's counterpart", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--axis",
        "timeline--year",
        "timeline--edge",
        "timeline--cooperation",
        "timeline--conflict",
        "timeline--neutral",
        "timeline--dim",
        "timeline--band",
        "timeline--cursor",
        "timeline--overflow",
        "timeline--lane-name",
        "timeline--lane-selected",
        "timeline--info",
        "timeline--info-title",
        "timeline--too-small",
    }

    cursor: reactive[int | None] = reactive(None)
    emphasised: reactive[str | None] = reactive(None)  # the selected counterpart's id
    only_emphasised: reactive[bool] = reactive(False)

    class CursorMoved(Message):
        """The reader moved the cursor to the event at `index` (into the model's events)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class EventChosen(Message):
        """Enter, or a double click, on the event at `index`."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, view: ModelView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lanes_view = False
        self.lane_offset = 0  # the first lane in sight, in the lanes view
        self._rows: list[Strip] | None = None
        self._styles: dict[str, Style] = {}
        self._rows_size: tuple[int, int] = (0, 0)
        # Per drawn row, the event under each column (clicks read it).
        self._row_events: dict[int, list[int]] = {}
        self.use_view(view)

    def use_view(self, view: ModelView) -> None:
        """Show a view's events; caches start over, and the window fits the article's period."""
        self.view = view
        self.events_list = view.model.events
        self.bounds, self.precisions, self.date_keys = event_dates(
            [event.date for event in self.events_list])
        self.scores = [event.score for event in self.events_list]
        self._all_indices: tuple[int, ...] = tuple(range(len(self.events_list)))
        self._emphasis: dict[str, frozenset[int]] = {}
        self._contents: dict[tuple[Window, str | None], WindowContents] = {}
        self._layouts: dict[tuple[Window, int, int, str | None],
                            tuple[Layout, dict[int, list[int]]]] = {}
        self._strips: dict[tuple[Window, int, str | None], list[tuple[str, int]]] = {}
        self._groups: dict[tuple[Window, str | None],
                           tuple[list[int], dict[int, list[int]]]] = {}
        # id(lane) -> (the lane, its runs): see _lane_runs
        self._runs: dict[int, tuple[list[int], list[tuple[int, str, list[int] | None]]]] = {}
        # The lanes, and whose events they were made for (None: all): see lanes()
        self._lanes: tuple[str | None, list[Lane]] | None = None
        if self.bounds:
            self.data_range = (min(map(itemgetter(0), self.bounds)),
                               max(map(itemgetter(1), self.bounds)))
        else:
            covers = view.model.article.covers
            self.data_range = (covers.first_day, covers.last_day)
        self.window = self.fit_window()
        self._invalidate()

    # -- state --------------------------------------------------------------------------------

    @property
    def shown(self) -> Sequence[int]:
        """Indices of the events on screen: all, or only the selected counterpart's."""
        if self.only_emphasised and self.emphasised is not None:
            return self.view.event_indices_of(self.emphasised)
        return self._all_indices

    @property
    def _shown_key(self) -> str | None:
        return self.emphasised if self.only_emphasised else None

    def _emphasised_set(self) -> frozenset[int]:
        if self.emphasised is None:
            return frozenset()
        if self.emphasised not in self._emphasis:
            self._emphasis[self.emphasised] = frozenset(self.view.event_indices_of(self.emphasised))
        return self._emphasis[self.emphasised]

    def fit_window(self) -> Window:
        """The article's period (`covers`)."""
        covers = self.view.model.article.covers
        return fitting(covers.first_day, covers.last_day)

    def watch_cursor(self, index: int | None) -> None:
        if index is not None:
            self._show_window(self.window.showing(*self.bounds[index]))
            self._scroll_to_lane(self._lane_of_cursor())
        self._invalidate()

    def watch_emphasised(self) -> None:
        if self.lanes_view and self.emphasised is not None:
            self._scroll_to_lane(self._lane_number(self.emphasised))
        self._invalidate()

    def watch_only_emphasised(self) -> None:
        self.lane_offset = 0
        self._invalidate()

    def _invalidate(self) -> None:
        self._rows = None
        self.refresh()

    def on_resize(self) -> None:
        self._show_window(self.window)  # the tick unit depends on the width
        self._scroll_to_lane(self._lane_of_cursor())  # fewer lanes may fit now

    def on_mount(self) -> None:
        self._show_window(self.window)

    def theme_changed(self) -> None:
        """Called by the app: the cached rows hold the old theme's colours."""
        self._invalidate()

    def _show_window(self, window: Window) -> None:
        """Move to `window`, and say in the border what is shown."""
        self.window = window
        # The axis's width: the header's rows choose their ticks for the same one.
        names = self.name_width() if self.lanes_view else 0
        unit = choose_tick_unit(window, max(1, self.size.width - names))
        mode = "lanes · " if self.lanes_view else ""
        self.border_title = Content.assemble("Timeline", (f" · {mode}{describe(window, unit)}",
                                                          ""))
        self._invalidate()

    def name_width(self) -> int:
        return min(NAME_WIDTH_MAX, max(8, self.size.width // 6))

    def window_contents(self) -> WindowContents:
        return _cached(self._contents, (self.window, self._shown_key), lambda: split_by_window(
            self.bounds, self.precisions, self.shown, self.window))

    def _layout(self, width: int, lane_count: int) -> tuple[Layout, dict[int, list[int]]]:
        """The lanes packed, and the members of each group of events dated alike (keyed by
        the group's first event, which is the one placed in the lanes). Where events find no
        lane, the last lane gives way to a row that counts them."""
        key = (self.window, width, lane_count, self._shown_key)
        if key not in self._layouts:
            if len(self._layouts) > 64:
                self._layouts.clear()
                self._runs.clear()
            axis = Axis.of_window(self.window, width)
            firsts, members = self._grouped()
            layout = layout_events(self.bounds, firsts, axis, lane_count)
            if any(layout.overflow) and lane_count > 1:
                layout = layout.without_last_lane()
            self._layouts[key] = (layout, members)
        return self._layouts[key]

    def _lane_runs(self, lane: list[int], axis: Axis,
                   members: dict[int, list[int]]) -> list[tuple[int, str, list[int] | None]]:
        """A lane's runs of columns: (event index or EMPTY, glyphs, the group drawn there).
        They do not depend on the cursor or the emphasis, so are worked out once per layout,
        not at every keystroke."""
        cached = self._runs.get(id(lane))
        if cached is not None and cached[0] is lane:  # the lane itself: an id may be reused
            return cached[1]
        runs: list[tuple[int, str, list[int] | None]] = []
        column = 0
        width = len(lane)
        first_day, last_day = axis.start.toordinal(), axis.end.toordinal()
        while column < width:
            index = lane[column]
            run = column
            while run < width and lane[run] == index:
                run += 1
            if index == EMPTY:
                runs.append((EMPTY, " " * (run - column), None))
            else:
                lower, upper = self.bounds[index]
                runs.append((index, mark_glyphs(self.precisions[index], run - column,
                                                clipped_start=lower < first_day,
                                                clipped_end=upper > last_day),
                             members.get(index)))
            column = run
        self._runs[id(lane)] = (lane, runs)
        return runs

    def _grouped(self) -> tuple[list[int], dict[int, list[int]]]:
        return _cached(self._groups, (self.window, self._shown_key),
                       lambda: group_alike(self.date_keys, self.window_contents().lanes))

    # -- moving the cursor --------------------------------------------------------------------

    def action_move_cursor(self, step: int) -> None:
        shown = self.shown
        if not shown:
            return
        if self.cursor is None:
            target = shown[0] if step > 0 else shown[-1]
        else:
            found = self._cursor_position(shown)
            if found is not None:
                position = min(max(found + step, 0), len(shown) - 1)
            else:
                # The cursor's event is not shown: step to the nearest shown one that way.
                after = bisect.bisect_left(shown, self.cursor)
                position = max(after - 1, 0) if step < 0 else min(after, len(shown) - 1)
            target = shown[position]
        self.set_cursor(target)

    def _cursor_position(self, shown: Sequence[int]) -> int | None:
        """Where the cursor's event is among `shown` (sorted), or None if it is not there."""
        if self.cursor is None:
            return None
        position = bisect.bisect_left(shown, self.cursor)
        return position if position < len(shown) and shown[position] == self.cursor else None

    def set_cursor(self, index: int | None, *, announce: bool = True) -> None:
        """Put the cursor on an event; `announce`: post CursorMoved (the reader moved it)."""
        if index == self.cursor:
            return
        self.cursor = index
        if index is not None and announce:
            self.post_message(self.CursorMoved(index))

    def action_event_at(self, position: int) -> None:
        """The cursor to the first (0) or last (-1) event shown."""
        if self.shown:
            self.set_cursor(self.shown[position])

    def action_choose_event(self) -> None:
        if self.cursor is not None:
            self.post_message(self.EventChosen(self.cursor))

    # -- moving the window --------------------------------------------------------------------

    def action_zoom(self, direction: int) -> None:
        first, last = self.data_range
        if direction < 0 and self.window.covers(first, last):
            window = None  # every event is in sight already: further out shows no more
        else:
            window = zoomed(self.window, self._zoom_centre(), direction)
        if window is None:  # that, or the ladder's end
            self.app.bell()
            return
        window = window.clamped(first, last)
        # The cursor stays in sight if it was; one out of sight (after 0 or a page) is not
        # brought back by a zoom.
        if self.cursor is not None and self.window.overlaps(*self.bounds[self.cursor]):
            window = window.showing(*self.bounds[self.cursor])
        self._show_window(window)

    def _zoom_centre(self) -> dt.date:
        """The middle of the cursor's event where it is in sight, else of the window."""
        if self.cursor is None:
            return self.window.centre
        lower, upper = self.bounds[self.cursor]
        lower = max(lower, self.window.first_ordinal)
        upper = min(upper, self.window.last_ordinal)
        if lower > upper:
            return self.window.centre
        return dt.date.fromordinal((lower + upper) // 2)

    def action_fit(self) -> None:
        self._show_window(self.fit_window())

    def action_page(self, screens: int) -> None:
        """The next or previous screenful of time; the cursor to its first event."""
        window = self.window.shifted(screens).clamped(*self.data_range)
        if window == self.window:
            self.app.bell()
            return
        self._show_window(window)
        self._cursor_into_window()

    def period_window(self, lower: int, upper: int) -> Window:
        """The window that shows the days `lower`..`upper` (ordinals), moved as paging is to
        show events where the period has none near it."""
        return fitting(lower, upper).clamped(*self.data_range)

    def show_period(self, lower: int, upper: int) -> None:
        """Show the days `lower`..`upper` (ordinals) and put the cursor on their first event."""
        self._show_window(self.period_window(lower, upper))
        self._cursor_into_window()

    def restore_window(self, window: Window) -> None:
        """Show `window` as it was (after a reload): the cursor stays if the window shows
        any of its event, else moves to the window's first event."""
        self._show_window(window)
        if self.cursor is None or not window.overlaps(*self.bounds[self.cursor]):
            self._cursor_into_window()

    def first_in_view(self, indices: Sequence[int]) -> int:
        """The first of `indices` (not empty) the window shows, else the first: selecting a
        counterpart moves the cursor to its events without leaving the period in view."""
        window = self.window
        return next((i for i in indices if window.overlaps(*self.bounds[i])), indices[0])

    def _cursor_into_window(self) -> None:
        """The cursor to the first event wholly inside the window, else the first starting in
        it, else the first overlapping it; unless it is already on one of those."""
        contents = self.window_contents()
        overlapping = sorted(contents.lanes + contents.band)
        first, last = self.window.first_ordinal, self.window.last_ordinal
        starting = [i for i in overlapping if self.bounds[i][0] >= first]
        within = [i for i in starting if self.bounds[i][1] <= last]
        for candidates in (within, starting, overlapping):
            if candidates:
                if self.cursor not in candidates:
                    self.set_cursor(candidates[0])
                return

    def action_toggle_lanes(self) -> None:
        self.lanes_view = not self.lanes_view
        self._lanes = None
        if self.lanes_view:
            self._scroll_to_lane(self._lane_of_cursor())
        self._show_window(self.window)

    # -- the lanes view -----------------------------------------------------------------------

    def lanes(self) -> list[Lane]:
        """One lane per counterpart with events, in the list's order; "Other" for events that
        involve none (only the selected counterpart's lane when showing only its events)."""
        if self._lanes is None or self._lanes[0] != self._shown_key:
            view = self.view
            if self._shown_key is not None:
                entity = view.entities[self._shown_key]
                lanes = [Lane(entity.id, entity.name, view.event_indices_of(entity.id))]
            else:
                lanes = [Lane(entity.id, entity.name, view.event_indices_of(entity.id))
                         for entity in view.counterparts if view.event_indices_of(entity.id)]
                in_a_lane = {index for lane in lanes for index in lane.indices}
                others = [i for i in self._all_indices if i not in in_a_lane]
                if others:
                    lanes.append(Lane(None, "Other", others))
            self._lanes = (self._shown_key, lanes)
        return self._lanes[1]

    def _lane_number(self, entity_id: str | None) -> int | None:
        for number, lane in enumerate(self.lanes()):
            if lane.entity_id == entity_id:
                return number
        return None

    def _lane_of_cursor(self) -> int | None:
        """The lane the cursor's event is seen in: the selected counterpart's if it is
        involved, else the lane of the counterpart it leads to."""
        if not self.lanes_view or self.cursor is None:
            return None
        if self.cursor in self._emphasised_set():
            return self._lane_number(self.emphasised)
        counterpart = self.view.counterpart_of_event(self.events_list[self.cursor])
        found = self._lane_number(counterpart)
        if found is None:
            found = next((n for n, lane in enumerate(self.lanes())
                          if self.cursor in lane.indices), None)
        return found

    def _lane_rows(self) -> int:
        """How many lanes the lanes view has room for."""
        return max(1, self.size.height - len(self._header_rows_kept()) - 1)

    def _scroll_to_lane(self, number: int | None) -> None:
        if number is None or not self.lanes_view:
            return
        rows = self._lane_rows()
        if number < self.lane_offset:
            self.lane_offset = number
        elif number >= self.lane_offset + rows:
            self.lane_offset = number - rows + 1
        self._invalidate()

    def _scroll_lanes(self, by: int) -> None:
        most = max(0, len(self.lanes()) - self._lane_rows())
        offset = min(max(self.lane_offset + by, 0), most)
        if offset != self.lane_offset:
            self.lane_offset = offset
            self._invalidate()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self.lanes_view:
            event.stop()
            self._scroll_lanes(+3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self.lanes_view:
            event.stop()
            self._scroll_lanes(-3)

    # -- clicks -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self._row_events.get(offset.y)
        index = row[offset.x] if row is not None and 0 <= offset.x < len(row) else EMPTY
        if index != EMPTY:
            self.set_cursor(index)
            if event.chain >= 2:
                self.post_message(self.EventChosen(index))

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        size = (self.size.width, self.size.height)
        if self._rows is None or self._rows_size != size:
            self._row_events = {}
            self._rows = self._build_rows()
            self._rows_size = size
        if 0 <= y < len(self._rows):
            return self._rows[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _style(self, name: str) -> Style:
        # Looked up once per redraw: a busy row asks for the same few styles many times.
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name)
        return style

    def _event_style(self, index: int, emphasised: frozenset[int]) -> Style:
        if emphasised and index not in emphasised:
            return self._style("timeline--dim")
        return self._score_style(self.scores[index])

    def _score_style(self, score: float) -> Style:
        if score > 0:
            return self._style("timeline--cooperation")
        if score < 0:
            return self._style("timeline--conflict")
        return self._style("timeline--neutral")

    def _header_rows_kept(self, *, band: bool = False) -> list[str]:
        """The rows above the events, dropping the least needed when the pane is short:
        tick labels and axis always; then the band (if `band`: the lanes view has none), the
        strip and the coarse labels."""
        room = self.size.height - 1 - 2  # the info line; tick labels and axis
        kept = ["labels", "axis"]
        # Each is kept only if it leaves this many rows for the events below.
        for optional, rows_left in (("band", 1), ("strip", 2), ("context", 3)):
            if optional == "band" and not band:
                continue
            if room - 1 >= rows_left:
                kept.append(optional)
                room -= 1
        order = ["context", "labels", "axis", "strip", "band"]
        return [name for name in order if name in kept]

    def _build_rows(self) -> list[Strip]:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return []
        self._styles = {}
        base = self.rich_style
        if width < MIN_WIDTH or height < MIN_ROWS:
            # The longest that fits whole: a cut-off instruction would not say what to do.
            wording = next((text for text in TOO_SMALL_WORDINGS if len(text) <= width),
                           TOO_SMALL_WORDINGS[-1])
            message = Text(wording, style=base + self._style("timeline--too-small"))
            return [text_line(message, width, base, self.app.console)]
        rows = (self._lanes_rows if self.lanes_view else self._shared_rows)(width, height, base)
        rows += [Strip.blank(width, base)] * (height - 1 - len(rows))
        rows.append(self._info_row(width, base))
        # Only rows of another width: crop_extend keeps a row it leaves whole in the row's own
        # caches, a reference cycle that only a full garbage collection frees.
        return [row if row.cell_length == width else row.crop_extend(0, width, base)
                for row in rows]

    def _header(self, kept: list[str], axis: Axis, indent: int, base: Style) -> list[Strip]:
        unit = choose_tick_unit(self.window, axis.width)
        found = ticks(self.window, unit)
        columns = [axis.column(tick.day) for tick in found]
        pad = [Segment(" " * indent, base)] if indent else []
        rows = []
        for name in kept:
            if name == "context":
                rows.append(Strip(pad + self._context_row(found, columns, unit, axis.width,
                                                          base)))
            elif name == "labels":
                labels = [(column, tick.label) for column, tick in zip(columns, found,
                                                                        strict=True)]
                rows.append(Strip(pad + self._labels_row(labels, axis.width, base,
                                                         edges="context" not in kept)))
            elif name == "axis":
                rows.append(Strip(pad + self._axis_row(columns, axis, base)))
            elif name == "strip":
                rows.append(Strip(pad + self._strip_row(found, axis, base)))
        return rows

    def _edge_labels(self, short: bool = False) -> tuple[str, str]:
        """"◂ 5 earlier " and " 4 later ▸"; `short`: "◂5 " and " 4▸"."""
        contents = self.window_contents()
        before, after = (("◂", ""), ("", "▸")) if short else (("◂ ", " earlier"),
                                                             (" ", " later ▸"))
        earlier = f"{before[0]}{contents.earlier:,}{before[1]} " if contents.earlier else ""
        later = f" {after[0]}{contents.later:,}{after[1]}" if contents.later else ""
        return earlier, later

    def _context_row(self, found: list[Tick], columns: list[int], unit: TickUnit, width: int,
                     base: Style) -> list[Segment]:
        labels = [(column, tick.context) for column, tick in zip(columns, found, strict=True)
                  if tick.context]
        if unit.unit != "year" and (not labels or labels[0][0] > 0):
            # The period the window starts in, so the first ticks are never unnamed.
            start = self.window.start
            first = (str(start.year) if unit.unit != "day"
                     else f"{start:%b} {start.year}")
            if not labels or labels[0][1] != first:
                labels.insert(0, (0, first))
        return self._labels_row(labels, width, base, edges=True, push_first=True)

    def _labels_row(self, labels: list[tuple[int, str]], width: int, base: Style, *,
                    edges: bool, push_first: bool = False) -> list[Segment]:
        """Labels at their columns, skipping any that would touch the one before; with
        `edges`, the counts of events before and after the window at the ends. With
        `push_first`, the first label moves right of the count rather than go (the year or
        month a window starts in names the whole row, not one tick)."""
        earlier, later = self._edge_labels() if edges else ("", "")
        cells, free_from, right_limit, placed = _place_labels(labels, width, earlier, later,
                                                              push_first)
        if edges and (earlier or later):
            # The counts in words hide a tick's label: in figures alone, if that hides fewer.
            shorter = self._edge_labels(short=True)
            placed_short = _place_labels(labels, width, *shorter, push_first)
            if placed_short[3] > placed:
                earlier, later = shorter
                cells, free_from, right_limit, placed = placed_short
        label_style = base + self._style("timeline--year")
        edge_style = base + self._style("timeline--edge")
        segments = []
        if free_from and earlier:
            segments.append(Segment(earlier, edge_style))
            segments.append(Segment("".join(cells[len(earlier) : right_limit]), label_style))
        else:
            segments.append(Segment("".join(cells[:right_limit]), label_style))
        if right_limit < width:
            segments.append(Segment(later[: width - right_limit], edge_style))
        return segments

    def _axis_row(self, columns: list[int], axis: Axis, base: Style) -> list[Segment]:
        width = axis.width
        chars = ["─"] * width
        for column in columns:
            chars[column] = "┼" if column else "├"
        axis_style = base + self._style("timeline--axis")
        # A date known only to the year is not marked: a year-long mark would read as a
        # year-long duration; the band shows where the cursor is.
        if (self.cursor is None or not self.window.overlaps(*self.bounds[self.cursor])
                or self.precisions[self.cursor].mark is Mark.YEAR):
            return [Segment("".join(chars), axis_style)]
        first, last = axis.span(self.bounds[self.cursor])
        cursor_style = base + self._style("timeline--cursor")
        # A span keeps the ticks it passes ("╋"): one over the whole window would leave
        # the axis without any.
        marker = "▲" if first == last else "".join(
            "╋" if chars[column] in "┼├" else "━" for column in range(first, last + 1))
        return [
            Segment("".join(chars[:first]), axis_style),
            Segment(marker, cursor_style),
            Segment("".join(chars[last + 1 :]), axis_style),
        ]

    def _strip_row(self, found: list[Tick], axis: Axis, base: Style) -> list[Segment]:
        """Cooperation against conflict in each stretch between ticks."""
        def make() -> list[tuple[str, int]]:
            days = [tick.day.toordinal() for tick in found]
            stretches = tick_bounds(self.window, days)
            contents = self.window_contents()
            tallies = tally(self.bounds, self.precisions, self.scores,
                            [*contents.lanes, *contents.band], stretches)
            starts = [axis.column_of(day) for day in stretches[:-1]]
            return strip_cells(tallies, starts, axis.width)

        cells = _cached(self._strips, (self.window, axis.width, self._shown_key), make)
        styles = {1: base + self._style("timeline--cooperation"),
                  -1: base + self._style("timeline--conflict"), 0: base}
        return [Segment(glyph, styles[side]) for glyph, side in cells]

    # -- the shared axis ------------------------------------------------------------------------

    def _shared_rows(self, width: int, height: int, base: Style) -> list[Strip]:
        contents = self.window_contents()
        kept = self._header_rows_kept(band=bool(contents.band))
        axis = Axis.of_window(self.window, width)
        rows = self._header(kept, axis, 0, base)
        emphasised = self._emphasised_set()
        if "band" in kept:
            self._row_events[len(rows)] = [EMPTY] * width
            rows.append(self._band_row(contents, axis, emphasised, base, len(rows)))
        lane_count = max(1, height - len(rows) - 1)
        layout, members = self._layout(width, lane_count)
        for lane in layout.lanes:
            self._row_events[len(rows)] = self._lane_hits(lane, members)
            rows.append(self._lane_row(lane, layout.axis, members, emphasised, base))
        if any(layout.overflow):
            if len(rows) < height - 1:
                rows.append(self._overflow_row(layout, members, emphasised, base))
            else:  # no row to count them in: the cursor's event, at least, is drawn
                rows[-1] = self._with_hidden_cursor(rows[-1], layout, members, emphasised,
                                                    base)
        return rows

    def _band_row(self, contents: WindowContents, axis: Axis, emphasised: frozenset[int],
                  base: Style, y: int) -> Strip:
        """Dates known only to the year, apart from the dated events."""
        cells = [Segment(" ", base)] * axis.width
        hits = self._row_events[y]
        band_style = base + self._style("timeline--band")
        cursor_style = self._style("timeline--cursor")
        for piece in band_pieces(self.bounds, self.scores, contents.band, axis, self.cursor):
            if piece.index == EMPTY:
                style = band_style
            else:
                style = base + self._event_style(piece.index, emphasised)
                if piece.index == self.cursor:
                    style += cursor_style
            for offset, glyph in enumerate(piece.text):
                column = piece.column + offset
                if 0 <= column < axis.width:
                    cells[column] = Segment(glyph, style)
                    hits[column] = piece.index
        return Strip(Segment.simplify(cells))

    def _lane_hits(self, lane: list[int], members: dict[int, list[int]]) -> list[int]:
        """What a click on each column selects: the event, or the cursor's if it is in the
        group drawn there."""
        cursor = self.cursor
        group = next((first for first, group in members.items() if cursor in group), None)
        if cursor is None or group is None or group not in lane:
            return lane
        return [cursor if index == group else index for index in lane]

    def _lane_row(self, lane: list[int], axis: Axis, members: dict[int, list[int]],
                  emphasised: frozenset[int], base: Style) -> Strip:
        segments: list[Segment] = []
        cursor = self.cursor
        scores = self.scores
        # The few styles a lane uses, each added to the base once, not once per run.
        dim = base + self._style("timeline--dim")
        by_sign = {1: base + self._style("timeline--cooperation"),
                   -1: base + self._style("timeline--conflict"),
                   0: base + self._style("timeline--neutral")}
        for index, glyphs, group in self._lane_runs(lane, axis, members):
            if index == EMPTY:
                segments.append(Segment(glyphs, base))
                continue
            shown_as = index
            if group is not None:
                # A group looks like the cursor's event, else its first emphasised one.
                if cursor in group:
                    shown_as = cursor
                    glyphs = with_label(glyphs, group_label(group, cursor))
                else:
                    glyphs = with_label(glyphs, group_label(group, None))
                    if not emphasised.isdisjoint(group):
                        shown_as = next(i for i in group if i in emphasised)
            if emphasised and shown_as not in emphasised:
                style = dim
            else:  # as _score_style
                score = scores[shown_as]
                style = by_sign[(score > 0) - (score < 0)]
            if shown_as == cursor:
                style += self._style("timeline--cursor")
            segments.append(Segment(glyphs, style))
        return Strip(segments or [Segment(" ", base)])

    def _overflow_row(self, layout: Layout, members: dict[int, list[int]],
                      emphasised: frozenset[int], base: Style) -> Strip:
        """Events with no free lane: "+N" where the count fits, a density bar where not;
        the cursor's event, if it is one of them, drawn over the counts at its place."""
        segments: list[Segment] = []
        width = layout.axis.width
        overflow = [[i for first in hidden for i in members.get(first, [first])]
                    for hidden in layout.overflow]
        next_busy = [width] * (width + 1)  # first column at or after c holding hidden events
        for column in range(width - 1, -1, -1):
            next_busy[column] = column if overflow[column] else next_busy[column + 1]
        most = max((len(hidden) for hidden in overflow), default=0)
        column = 0
        while column < width:
            hidden = overflow[column]
            if not hidden:
                gap = next_busy[column] - column
                segments.append(Segment(" " * gap, base))
                column += gap
                continue
            room = next_busy[column + 1] - column - 1  # keep one blank before the next
            count = len(hidden)
            wordings = (f"+{count:,} more event" + ("" if count == 1 else "s"),
                        f"+{count:,} more", f"+{count:,}", f"+{count}")
            label = next((text for text in wordings if len(text) <= room),
                         density(count, most))
            style = base + self._style("timeline--overflow")
            if emphasised and not emphasised.isdisjoint(hidden):
                style += Style(bold=True, dim=False)
            label = label[: width - column]
            segments.append(Segment(label, style))
            column += len(label)
        return self._with_hidden_cursor(Strip(segments), layout, members, emphasised, base)

    def _with_hidden_cursor(self, strip: Strip, layout: Layout, members: dict[int, list[int]],
                            emphasised: frozenset[int], base: Style) -> Strip:
        """`strip` with the cursor's event drawn over it, if it found no lane."""
        cursor = self.cursor
        if cursor is None or not any(cursor in members.get(first, [first])
                                     for hidden in layout.overflow for first in hidden):
            return strip
        first, last = layout.axis.span(self.bounds[cursor])
        glyphs = mark_glyphs(self.precisions[cursor], last - first + 1)
        style = base + self._event_style(cursor, emphasised) + self._style("timeline--cursor")
        return Strip.join([strip.crop(0, first), Strip([Segment(glyphs, style)]),
                           strip.crop(last + 1, layout.axis.width)])

    # -- one lane per counterpart ---------------------------------------------------------------

    def _lanes_rows(self, width: int, height: int, base: Style) -> list[Strip]:
        names = self.name_width()
        axis = Axis.of_window(self.window, max(1, width - names))
        kept = self._header_rows_kept()
        rows = self._header(kept, axis, names, base)
        lanes = self.lanes()
        room = max(1, height - len(rows) - 1)
        self.lane_offset = min(self.lane_offset, max(0, len(lanes) - room))
        emphasised = self._emphasised_set()
        for number in range(self.lane_offset, min(len(lanes), self.lane_offset + room)):
            row_number = len(rows)
            rows.append(self._counterpart_row(lanes[number], axis, names, emphasised, base,
                                              row_number, number, len(lanes), room))
        return rows

    def _counterpart_row(self, lane: Lane, axis: Axis, names: int, emphasised: frozenset[int],
                         base: Style, row_number: int, number: int, lane_total: int,
                         room: int) -> Strip:
        selected = lane.entity_id is not None and lane.entity_id == self.emphasised
        lane_base = base + self._style("timeline--lane-selected") if selected else base
        name_style = lane_base + self._style("timeline--lane-name")
        # The first and last lane in sight say, at the end of the names, when more lie above
        # or below; the selected lane's mark, at their start, is never covered by that.
        more_above = number == self.lane_offset and number > 0
        more_below = number == self.lane_offset + room - 1 and number < lane_total - 1
        more = "▴" if more_above else "▾" if more_below else " "
        label = Text(("▸" if selected else " ") + lane.name, style=name_style, no_wrap=True,
                     overflow="ellipsis")
        label.truncate(names - 1, overflow="ellipsis", pad=True)
        label.append(more, style=lane_base)
        cells = lane_cells(self.bounds, self.precisions, self.scores, lane.indices, axis,
                           self.cursor)
        self._row_events[row_number] = [EMPTY] * names + [index for _, index in cells]
        segments = list(text_line(label, names, lane_base, self.app.console))
        cursor_style = self._style("timeline--cursor")
        for glyph, index in cells:
            if index == EMPTY:
                segments.append(Segment(glyph, lane_base))
                continue
            style = lane_base + self._score_style(self.scores[index])
            if index == self.cursor:
                style += cursor_style
            segments.append(Segment(glyph, style))
        return Strip(Segment.simplify(segments))

    # -- the cursor's event in words ------------------------------------------------------------

    def _info_row(self, width: int, base: Style) -> Strip:
        """One line: date, title, counterpart, type and score; the title gives way first, so
        the score never wraps out of sight."""
        if self.cursor is None:
            message = (NO_EVENTS if not self.events_list
                       else "No event selected. ← → move along the timeline.")
            return text_line(Text(message, style=base), width, base, self.app.console)
        event = self.events_list[self.cursor]
        # The selected counterpart where its Detail lists the event (an event of several
        # counterparts' relationships), else the one it leads to.
        selected = self.emphasised
        counterpart = (selected if selected is not None and self.view.lists_event(selected, event)
                       else self.view.counterpart_of_event(event))
        info_style = base + self._style("timeline--info")
        phrase = (f" “{event.date_text}”" if event.date_text
                  and event.date_text != event.date.display() else "")
        name = self.view.entities[counterpart].name if counterpart is not None else None
        score_style = self._event_style(self.cursor, frozenset([self.cursor]))

        def parts(phrase: str, name_cells: int, with_type: bool) -> tuple[Text, Text]:
            head = Text(style=info_style, no_wrap=True)
            head.append("▸ ")
            head.append(event.date.display(), style="bold")
            head.append(f"{phrase} · ")
            tail = Text(style=info_style, no_wrap=True)
            if name is not None and name_cells:
                # A long name is cut, so that it cannot push out the title, type and score.
                shown = Text(name)
                shown.truncate(name_cells, overflow="ellipsis")
                tail.append(" · ")
                tail.append_text(shown)
            tail.append(f" · {event.type.value} " if with_type else " ")
            tail.append(format_score(event.score), style=score_style)
            return head, tail

        # Where the title would have little room, the rest gives way a part at a time: the
        # date phrase, then the name down to a few letters, then the type, then the name.
        for phrase_shown, name_cells, with_type in (
                (phrase, max(12, width // 4), True), ("", max(12, width // 4), True),
                ("", 8, True), ("", 8, False), ("", 0, False)):
            head, tail = parts(phrase_shown, name_cells, with_type)
            room = width - head.cell_len - tail.cell_len
            if room >= MIN_INFO_TITLE:
                break
        title = Text(event.title, style=info_style + self._style("timeline--info-title"),
                     no_wrap=True)
        if title.cell_len > room:
            title.truncate(max(room - 1, 0))
            title.append("…")
        line = Text.assemble(head, title, tail, no_wrap=True)
        return text_line(line, width, base, self.app.console)

    def cursor_summary(self) -> str:
        """Position of the cursor among the shown events, for the border subtitle."""
        shown = self.shown
        mode = "selected only" if self.only_emphasised else "all events"
        position = self._cursor_position(shown)
        if position is None:
            return f"{len(shown):,} events · {mode}"
        return f"{position + 1:,}/{len(shown):,} · {mode}"
