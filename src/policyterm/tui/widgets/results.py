"""The search dialog's result list: hits under group headings, one line each.

Its rows change on every keystroke, so it is a widget of fixed size that keeps its own view
offset and draws only the rows in view (the line API), rather than a scroll view: a scroll
view's content height is a layout property, and a new height lays the whole screen out again
on each keystroke. The highlight moving repaints the two rows it leaves and reaches; moving
past the edge of the view, or the mouse wheel, moves the view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from policyterm.tui.widgets.lines import text_line

# A row: its text (or a function that makes it for a width, called only if the row is drawn:
# most of a long list never is), and the value it stands for (None: a heading, never
# highlighted).
Row = tuple[Text | Callable[[int], Text], int | None]


class ResultList(Widget):
    """Rows of text; one selectable row is highlighted; a click on one posts Chosen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results--heading", "results--highlight",
                                             "results--more"}

    class Chosen(Message):
        """A row was clicked: `value` is what it stands for."""

        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.highlighted: int | None = None  # index into rows
        self.top = 0  # the first row in view
        self._strips: dict[int, Strip] = {}  # rendered rows, at _strips_width
        self._strips_width = 0
        self._base_style = Style()  # this widget's own style, as of the latest redraw

    # -- content ------------------------------------------------------------------------------

    def show(self, rows: Sequence[Row]) -> None:
        """Replace every row; the first selectable one is highlighted, at the top."""
        self.rows = list(rows)
        self._strips.clear()
        self.highlighted = next((n for n, (_, value) in enumerate(self.rows)
                                 if value is not None), None)
        self.top = 0
        self.refresh()

    @property
    def highlighted_value(self) -> int | None:
        if self.highlighted is None:
            return None
        return self.rows[self.highlighted][1]

    def move(self, step: int) -> None:
        """Move the highlight `step` selectable rows down (up if negative), stopping at the
        ends."""
        if self.highlighted is None:
            return
        direction = 1 if step > 0 else -1
        target = probe = self.highlighted
        remaining = abs(step)
        while remaining:
            probe += direction
            if not 0 <= probe < len(self.rows):
                break
            if self.rows[probe][1] is not None:
                target = probe
                remaining -= 1
        self._highlight(target)

    def _highlight(self, row: int) -> None:
        previous, self.highlighted = self.highlighted, row
        if previous == row or self._bring_highlight_into_view():
            return
        width = self.content_region.width
        for changed in (previous, row):
            if changed is not None:
                self.refresh(Region(0, changed - self.top, width, 1))

    def _bring_highlight_into_view(self) -> bool:
        """Move the view to the highlighted row if it is out of view; whether it moved."""
        row = self.highlighted
        if row is None:
            return False
        if row < self.top:
            self._move_view_to(row - 1)  # with its heading, if it has one above it
            return True
        if row >= self.top + self._rows_in_view():
            # The last row in view, just above the "more rows" line (none when 1 line tall).
            self._move_view_to(row - max(self.content_region.height - 2, 0))
            return True
        return False

    def on_resize(self) -> None:
        # More rows may fit now (no blank rows below the last), or fewer (the highlight
        # below the view).
        self._move_view_to(self.top)
        self._bring_highlight_into_view()

    def _rows_in_view(self) -> int:
        """Rows drawn in view: all lines, less the last when it says how many more there are."""
        height = self.content_region.height
        if height <= 1 or self.top + height >= len(self.rows):
            return max(height, 1)
        return height - 1

    def _move_view_to(self, top: int) -> None:
        self.top = max(0, min(top, len(self.rows) - self.content_region.height))
        self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._move_view_to(self.top + 3)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._move_view_to(self.top - 3)
        event.stop()

    # -- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # rich_style walks every ancestor's styles: work it out once per redraw, not per line.
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        base = self._base_style
        if width != self._strips_width:
            self._strips.clear()
            self._strips_width = width
        row = self.top + y
        if not 0 <= row < len(self.rows):
            return Strip.blank(width, base)
        if y >= self._rows_in_view():  # the last line, when rows lie below it
            below = len(self.rows) - row - 1
            more = Text(f"… {below + 1:,} more rows (↓ or the wheel)", no_wrap=True)
            return text_line(more, width, base + self.get_component_rich_style("results--more"),
                             self.app.console)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._render_row(row, width, base)
        if row == self.highlighted:
            highlight = self.get_component_rich_style("results--highlight")
            return Strip(Segment.apply_style(strip, post_style=highlight), width)
        return strip

    def _render_row(self, row: int, width: int, base: Style) -> Strip:
        content, value = self.rows[row]
        text = content(width) if callable(content) else content.copy()
        if value is None:
            base = base + self.get_component_rich_style("results--heading")
        return text_line(text, width, base, self.app.console)

    # -- mouse --------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y >= self._rows_in_view():  # the "more rows" line: show them
            self._move_view_to(self.top + self._rows_in_view())
            return
        row = self.top + offset.y
        value = self.rows[row][1] if 0 <= row < len(self.rows) else None
        if value is not None:
            self._highlight(row)
            self.post_message(self.Chosen(value))
