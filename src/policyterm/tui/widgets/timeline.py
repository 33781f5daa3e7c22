"""The timeline: every event on one time axis, a cursor on one of them.

Drawn with the line API: `render_line` returns one cached row at a time, and the lane layout
is computed once per width and event set, so 20,000 events cost no more per keystroke than 20.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from policyterm.core.display import format_score
from policyterm.core.timeline_layout import EMPTY, Axis, Layout, layout_events
from policyterm.core.views import ModelView

HEADER_ROWS = 2  # year labels, axis
INFO_ROWS = 2  # the cursor event in full


DENSITY = "▁▂▃▄▅▆▇█"


def _density(count: int, most: int) -> str:
    """One cell for many hidden events: taller for more, relative to the busiest column."""
    return DENSITY[max(0, -(-count * len(DENSITY) // max(most, 1)) - 1)]


class Timeline(Widget, can_focus=True):
    """All events on a time axis; the selected counterpart's emphasised."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "previous_event", "Previous event",
                tooltip="Previous event on the timeline"),
        Binding("right,l", "next_event", "Next event", tooltip="Next event on the timeline"),
        Binding("home", "first_event", "First event", show=False),
        Binding("end", "last_event", "Last event", show=False),
        Binding("enter", "choose_event", "Go to event's counterpart", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--axis",
        "timeline--year",
        "timeline--cooperation",
        "timeline--conflict",
        "timeline--neutral",
        "timeline--dim",
        "timeline--cursor",
        "timeline--overflow",
        "timeline--info",
        "timeline--info-title",
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
        self.placeholder = "This model has no dated events."  # shown when there are none
        self._rows: list[Strip] | None = None
        self._rows_size: tuple[int, int] = (0, 0)
        self.use_view(view)

    def use_view(self, view: ModelView) -> None:
        """Show a view's events; caches start over."""
        self.view = view
        self.events_list = view.model.events
        self._all_indices: tuple[int, ...] = tuple(range(len(self.events_list)))
        self._layouts: dict[tuple[int, int, str | None], Layout] = {}
        self._emphasis: dict[str, frozenset[int]] = {}
        self._invalidate()

    # -- state --------------------------------------------------------------------------------

    @property
    def shown(self) -> Sequence[int]:
        """Indices of the events on screen: all, or only the selected counterpart's."""
        if self.only_emphasised and self.emphasised is not None:
            return self.view.event_indices_of(self.emphasised)
        return self._all_indices

    def _emphasised_set(self) -> frozenset[int]:
        if self.emphasised is None:
            return frozenset()
        if self.emphasised not in self._emphasis:
            self._emphasis[self.emphasised] = frozenset(self.view.event_indices_of(self.emphasised))
        return self._emphasis[self.emphasised]

    def watch_cursor(self) -> None:
        self._invalidate()

    def watch_emphasised(self) -> None:
        self._invalidate()

    def watch_only_emphasised(self) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        self._rows = None
        self.refresh()

    def on_resize(self) -> None:
        self._invalidate()

    def on_mount(self) -> None:
        # The cached rows hold the old theme's colours.
        self.watch(self.app, "theme", self._invalidate, init=False)

    def _layout(self) -> Layout:
        width = max(self.size.width, 1)
        lane_count = max(1, self.size.height - HEADER_ROWS - INFO_ROWS - 1)
        key_owner = self.emphasised if self.only_emphasised else None
        key = (width, lane_count, key_owner)
        if key not in self._layouts:
            bounds = self.view.day_bounds
            axis = Axis.covering(bounds, width)
            self._layouts[key] = layout_events(bounds, self.shown, axis, lane_count)
        return self._layouts[key]

    # -- moving the cursor --------------------------------------------------------------------

    def move_cursor(self, step: int) -> None:
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

    def action_previous_event(self) -> None:
        self.move_cursor(-1)

    def action_next_event(self) -> None:
        self.move_cursor(+1)

    def action_first_event(self) -> None:
        if self.shown:
            self.set_cursor(self.shown[0])

    def action_last_event(self) -> None:
        if self.shown:
            self.set_cursor(self.shown[-1])

    def action_choose_event(self) -> None:
        if self.cursor is not None:
            self._choose(self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        layout = self._layout()
        index = layout.event_at(offset.y - HEADER_ROWS, offset.x)
        if index == EMPTY and 0 <= offset.x < layout.axis.width:
            hidden = layout.overflow[offset.x]
            if offset.y == HEADER_ROWS + len(layout.lanes) and hidden:
                index = hidden[0]
        if index != EMPTY:
            self.set_cursor(index)
            if event.chain >= 2:
                self._choose(index)

    def _choose(self, index: int) -> None:
        self.post_message(self.EventChosen(index))

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        size = (self.size.width, self.size.height)
        if self._rows is None or self._rows_size != size:
            self._rows = self._build_rows()
            self._rows_size = size
        if 0 <= y < len(self._rows):
            return self._rows[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name)

    def _event_style(self, index: int, emphasised: frozenset[int]) -> Style:
        if self.emphasised is not None and index not in emphasised:
            return self._style("timeline--dim")
        score = self.events_list[index].score
        if score > 0:
            return self._style("timeline--cooperation")
        if score < 0:
            return self._style("timeline--conflict")
        return self._style("timeline--neutral")

    def _build_rows(self) -> list[Strip]:
        width, height = self.size.width, self.size.height
        if width <= 0 or height <= 0:
            return []
        layout = self._layout()
        emphasised = self._emphasised_set()
        base = self.rich_style
        rows: list[Strip] = [self._year_row(layout, base), self._axis_row(layout, base)]
        lane_rows = [self._lane_row(lane, emphasised, base) for lane in layout.lanes]
        rows.extend(lane_rows)
        rows.append(self._overflow_row(layout, emphasised, base))
        rows.extend(self._info_rows(width, base))
        # Keep the cursor event's information visible even when the pane is short.
        if len(rows) > height:
            rows = rows[: max(0, height - INFO_ROWS)] + rows[-INFO_ROWS:]
            rows = rows[-height:] if height < INFO_ROWS else rows
        return [row.crop_extend(0, width, base) for row in rows]

    def _year_row(self, layout: Layout, base: Style) -> Strip:
        cells = [" "] * layout.axis.width
        free_from = 0
        for column, year in layout.axis.year_ticks():
            label = str(year)
            if column >= free_from and column + len(label) <= layout.axis.width:
                cells[column : column + len(label)] = list(label)
                free_from = column + len(label) + 1
        return Strip([Segment("".join(cells), base + self._style("timeline--year"))])

    def _axis_row(self, layout: Layout, base: Style) -> Strip:
        width = layout.axis.width
        chars = ["─"] * width
        for column, _year in layout.axis.year_ticks():
            chars[column] = "┼" if column else "├"
        axis_style = base + self._style("timeline--axis")
        if self.cursor is None:
            return Strip([Segment("".join(chars), axis_style)])
        first, last = layout.axis.span(self.view.day_bounds[self.cursor])
        cursor_style = base + self._style("timeline--cursor")
        marker = "▲" if first == last else "━" * (last - first + 1)
        return Strip([
            Segment("".join(chars[:first]), axis_style),
            Segment(marker, cursor_style),
            Segment("".join(chars[last + 1 :]), axis_style),
        ])

    def _lane_row(self, lane: list[int], emphasised: frozenset[int], base: Style) -> Strip:
        segments: list[Segment] = []
        column = 0
        width = len(lane)
        blank = Segment(" ", base)
        while column < width:
            index = lane[column]
            if index == EMPTY:
                run = column
                while run < width and lane[run] == EMPTY:
                    run += 1
                segments.append(Segment(" " * (run - column), base))
                column = run
                continue
            run = column
            while run < width and lane[run] == index:
                run += 1
            glyphs = self._glyphs(index, run - column)
            style = base + self._event_style(index, emphasised)
            if index == self.cursor:
                style += self._style("timeline--cursor")
            segments.append(Segment(glyphs, style))
            column = run
        return Strip(segments or [blank])

    def _glyphs(self, index: int, cells: int) -> str:
        if self.events_list[index].date.is_point:
            return "●" * cells
        if cells == 1:
            return "▬"
        return "━" * cells

    def _overflow_row(self, layout: Layout, emphasised: frozenset[int], base: Style) -> Strip:
        """Events with no free lane: "+N" where the count fits, a density bar where not."""
        segments: list[Segment] = []
        width = layout.axis.width
        overflow = layout.overflow
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
            label = f"+{len(hidden)}"
            room = next_busy[column + 1] - column - 1  # keep one blank before the next
            if len(label) > room:
                label = _density(len(hidden), most)
            style = base + self._style("timeline--overflow")
            if emphasised and not emphasised.isdisjoint(hidden):
                style += Style(bold=True, dim=False)
            if self.cursor in hidden:
                style += self._style("timeline--cursor")
            label = label[: width - column]
            segments.append(Segment(label, style))
            column += len(label)
        return Strip(segments)

    def _info_rows(self, width: int, base: Style) -> list[Strip]:
        if self.cursor is None:
            message = (self.placeholder if not self.events_list
                       else "No event selected. ← → move along the timeline.")
            hint = Text(message, style=base)
            return [self._text_strip(hint, base), Strip.blank(width, base)]
        event = self.events_list[self.cursor]
        counterpart = self.view.counterpart_of_event(event)
        info = Text(style=base + self._style("timeline--info"), no_wrap=False)
        info.append("▸ ")
        info.append(event.date.display(), style="bold")
        if event.date_text and event.date_text != event.date.display():
            info.append(f" “{event.date_text}”")
        info.append(" · ")
        info.append(event.title, style=self._style("timeline--info-title"))
        if counterpart is not None:
            info.append(" · ")
            info.append(self.view.entities[counterpart].name)
        info.append(f" · {event.type.value} ")
        info.append(format_score(event.score), style=self._event_style(self.cursor, frozenset(
            [self.cursor])))
        lines = info.wrap(self.app.console, width, overflow="ellipsis")
        strips = [self._text_strip(line, base) for line in lines][:INFO_ROWS]
        if len(lines) > INFO_ROWS and strips:
            last = lines[INFO_ROWS - 1]
            last.truncate(max(width - 1, 0))
            last.append("…")
            strips[-1] = self._text_strip(last, base)
        while len(strips) < INFO_ROWS:
            strips.append(Strip.blank(width, base))
        return strips

    def _text_strip(self, text: Text, base: Style) -> Strip:
        # Every segment needs a style: Textual's NO_COLOR filter reads segment.style.color.
        segments = text.render(self.app.console)
        return Strip(list(Segment.apply_style(segments, base)))

    def cursor_summary(self) -> str:
        """Position of the cursor among the shown events, for the border subtitle."""
        shown = self.shown
        mode = "selected only" if self.only_emphasised else "all events"
        if self.cursor is None or not shown:
            return f"{len(shown)} events · {mode}"
        position = self._cursor_position(shown)
        if position is not None:
            return f"{position + 1}/{len(shown)} · {mode}"
        return f"{len(shown)} events · {mode}"
