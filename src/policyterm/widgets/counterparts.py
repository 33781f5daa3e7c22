"""The Counterparts pane: every entity on the other side of a relationship, with its trend."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from policyterm.display import TREND_GLYPHS
from policyterm.model import Trend
from policyterm.views import KIND_HEADINGS, ModelView

TREND_STYLES: dict[Trend, str] = {
    Trend.IMPROVING: "bold green",
    Trend.DETERIORATING: "bold red",
    Trend.STALLED: "bold yellow",
    Trend.STABLE: "bold blue",
    Trend.MIXED: "bold magenta",
}


def trend_text(trend: Trend) -> Text:
    """The glyph and word, coloured: "▲ improving"."""
    return Text(f"{TREND_GLYPHS[trend]} {trend.value}", style=TREND_STYLES[trend])


class CounterpartList(OptionList):
    """Counterparts grouped by kind; the highlighted one is the selection (no enter needed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next counterpart", show=False),
        Binding("up,k", "cursor_up", "Previous counterpart", show=False),
        Binding("home,g", "first", "First counterpart", show=False),
        Binding("end,G", "last", "Last counterpart", show=False),
        Binding("enter", "select", "Read the selected counterpart in Detail", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    # OptionList repaints every visible line when the highlight moves; only the option left
    # and the option reached change (see watch_highlighted), and repainting just those two
    # saves a third of a keypress's drawing time.
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(self, view: ModelView, *, on_select: Callable[[str], None] | None = None,
                 id: str | None = None) -> None:
        # Set before OptionList.__init__, which may already move the highlight.
        self.view = view
        self.on_select = on_select
        self._painted_highlight: int | None = None  # the option drawn highlighted
        super().__init__(*self._counterpart_options(view), id=id, markup=False)

    def _repaint_option(self, index: int | None) -> None:
        if index is None:
            return
        line = self._index_to_line.get(index)
        if line is None:
            self.refresh()
        else:
            self.refresh_lines(line, self._heights.get(index, 1))

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)  # scrolls to it (a scroll repaints everything)
        self._repaint_option(self._painted_highlight)
        self._repaint_option(highlighted)
        self._painted_highlight = highlighted
        # Report the selection in this same callback rather than through the posted
        # OptionHighlighted message: that arrives a frame later, so a keypress would paint
        # the list first and Detail and Timeline one or two frames after.
        if highlighted is not None and self.on_select is not None:
            option = self.get_option_at_index(highlighted)
            if option.id is not None and not option.disabled:
                self.on_select(option.id)

    @staticmethod
    def _counterpart_options(view: ModelView) -> list[Option]:
        options: list[Option] = []
        heading = None
        for entity in view.counterparts:
            if KIND_HEADINGS[entity.kind] != heading:
                heading = KIND_HEADINGS[entity.kind]
                options.append(Option(Text(heading, style="bold dim"), disabled=True))
            relationship = view.primary_relationship(entity.id)
            prompt = Text(no_wrap=True, overflow="ellipsis")
            if relationship is not None:
                glyph = TREND_GLYPHS[relationship.trend]
                prompt.append(glyph, style=TREND_STYLES[relationship.trend])
                prompt.append(" ")
            prompt.append(entity.name)
            options.append(Option(prompt, id=entity.id))
        return options

    def select_entity(self, entity_id: str) -> None:
        """Move the highlight to an entity (which posts OptionHighlighted)."""
        try:
            index = self.get_option_index(entity_id)
        except Exception:  # OptionDoesNotExist: not a counterpart; leave the selection alone
            return
        if self.highlighted != index:
            self.highlighted = index

    def step(self, delta: int) -> None:
        """Previous/next counterpart, skipping headings, wrapping at the ends."""
        ids = [entity.id for entity in self.view.counterparts]
        if not ids:
            return
        current = self.highlighted_option.id if self.highlighted_option else None
        position = ids.index(current) if current in ids else -1
        self.select_entity(ids[(position + delta) % len(ids)])
