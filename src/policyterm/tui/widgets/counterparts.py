"""The Counterparts pane: every entity on the other side of a relationship, with its trend."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from policyterm.core.display import TREND_GLYPHS
from policyterm.core.views import KIND_HEADINGS, ModelView
from policyterm.tui.look import TREND_STYLES


class CounterpartList(OptionList):
    """Counterparts grouped by kind; the highlighted one is the selection (no enter needed):
    the app follows its OptionHighlighted messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Next counterpart", show=False),
        Binding("up,k", "cursor_up", "Previous counterpart", show=False),
        Binding("home,g", "first", "First counterpart", show=False),
        Binding("end,G", "last", "Last counterpart", show=False),
        Binding("enter", "select", "Read the selected counterpart in Detail", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]

    def __init__(self, view: ModelView, *, id: str | None = None) -> None:
        self.view = view
        super().__init__(*self._counterpart_options(view), id=id, markup=False)

    @staticmethod
    def _counterpart_options(view: ModelView) -> list[Option]:
        options: list[Option] = []
        heading = None
        for entity in view.counterparts:
            if KIND_HEADINGS[entity.kind] != heading:
                heading = KIND_HEADINGS[entity.kind]
                options.append(Option(Content.styled(heading, "bold dim"), disabled=True))
            relationship = view.primary_relationship(entity.id)
            prompt = Content(entity.name)  # model text: never markup
            if relationship is not None:
                trend = relationship.trend
                prompt = Content.assemble((TREND_GLYPHS[trend], TREND_STYLES[trend]), " ", prompt)
            options.append(Option(prompt, id=entity.id))
        return options

    def select_entity(self, entity_id: str) -> None:
        """Move the highlight to an entity (which posts OptionHighlighted)."""
        try:
            index = self.get_option_index(entity_id)
        except OptionDoesNotExist:  # not a counterpart: leave the selection alone
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
