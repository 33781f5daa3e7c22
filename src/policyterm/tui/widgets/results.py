"""The search dialog's result list: hits under group headings, one line each.

Drawn with the line API rather than as an OptionList: the list is replaced on every keystroke,
and an OptionList measured and rendered each new option and laid the dialog out again (a layout
pass per keystroke, 10+ ms at the article's size). Here a keystroke costs the lines in view,
rendered when first drawn, and the highlight moving costs the two lines it leaves and reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from policyterm.tui.widgets.lines import text_line

# A row: its text (or a function that makes it, called only if the row is drawn: most of a
# long list never is), and the value it stands for (None: a heading, never highlighted).
Row = tuple[Text | Callable[[], Text], int | None]


class ResultList(ScrollView):
    """Rows of text; one selectable row is highlighted; a click on one posts Chosen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"results--heading", "results--highlight"}

    class Chosen(Message):
        """A row was clicked: `value` is what it stands for."""

        def __init__(self, value: int) -> None:
            super().__init__()
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.highlighted: int | None = None  # index into rows
        self._strips: dict[int, Strip] = {}  # rendered rows, at _strips_width
        self._strips_width = 0
        # Styles as of the latest redraw (see render_lines).
        self._base_style = self._heading_style = self._highlight_style = Style()

    # -- content ------------------------------------------------------------------------------

    def show(self, rows: Sequence[Row]) -> None:
        """Replace every row; the first selectable one is highlighted, at the top."""
        self.rows = list(rows)
        self._strips.clear()
        self.highlighted = next((n for n, (_, value) in enumerate(self.rows)
                                 if value is not None), None)
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self.scroll_to(0, 0, animate=False, immediate=True)
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
        if previous == row:
            return
        for changed in (previous, row):
            if changed is not None:
                self.refresh_lines(changed)
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)

    # -- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Worked out once per redraw: each walks the CSS of every ancestor.
        self._base_style = self.rich_style
        self._heading_style = self.get_component_rich_style("results--heading")
        self._highlight_style = self.get_component_rich_style("results--highlight")
        width = self.scrollable_content_region.width
        if width != self._strips_width:
            self._strips.clear()
            self._strips_width = width
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self._strips_width
        if not 0 <= row < len(self.rows):
            return Strip.blank(width, self._base_style)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._render_row(row, width)
        if row == self.highlighted:
            return Strip(Segment.apply_style(strip, post_style=self._highlight_style), width)
        return strip

    def _render_row(self, row: int, width: int) -> Strip:
        content, value = self.rows[row]
        text = content() if callable(content) else content.copy()
        base = self._base_style
        if value is None:
            base = base + self._heading_style
        return text_line(text, width, base, self.app.console)

    # -- mouse --------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if 0 <= row < len(self.rows) and self.rows[row][1] is not None:
            self._highlight(row)
            value = self.rows[row][1]
            if value is not None:
                self.post_message(self.Chosen(value))

