"""The Counterparts pane: every entity on the other side of a relationship, with its trend."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from policyterm.core.display import TREND_GLYPHS
from policyterm.core.views import KIND_HEADINGS, ModelView
from policyterm.tui.look import trend_style


class CounterpartList(OptionList):
    """Counterparts grouped by kind; the highlighted one is the selection (no enter needed):
    the app follows its OptionHighlighted messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move_by(1)", "Next counterpart", show=False),
        Binding("up,k", "move_by(-1)", "Previous counterpart", show=False),
        Binding("g,home", "first", "First counterpart", show=False),
        Binding("G,end", "last", "Last counterpart", show=False),
        Binding("enter", "select", "Read the selected counterpart in Detail", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]

    def __init__(self, view: ModelView, *, no_color: bool = False,
                 id: str | None = None) -> None:
        self.view = view
        super().__init__(*self._counterpart_options(view, no_color), id=id, markup=False)

    @staticmethod
    def _counterpart_options(view: ModelView, no_color: bool) -> list[Option]:
        options: list[Option] = []
        heading = None
        for entity in view.counterparts:
            if KIND_HEADINGS[entity.kind] != heading:
                heading = KIND_HEADINGS[entity.kind]
                options.append(Option(Content.styled(heading, "bold dim"), disabled=True))
            options.append(Option(counterpart_prompt(view, entity.id, no_color), id=entity.id))
        if not options:
            options.append(Option(Content.styled("No relationships", "dim italic"),
                                  disabled=True))
        return options

    # Keys move between counterparts only: a heading is never the highlight, and the ends of
    # the list do not wrap (OptionList's own cursor keys wrap, and PgUp could land on a
    # heading at the top).

    def action_move_by(self, steps: int) -> None:
        enabled = [index for index in range(self.option_count)
                   if not self.get_option_at_index(index).disabled]
        if not enabled:
            return
        if self.highlighted in enabled:
            position = enabled.index(self.highlighted) + steps
        else:
            position = 0 if steps > 0 else len(enabled) - 1
        self.highlighted = enabled[max(0, min(position, len(enabled) - 1))]

    def action_page(self, direction: int) -> None:
        self.action_move_by(direction * max(1, self.scrollable_content_region.height - 1))

    def select_entity(self, entity_id: str) -> None:
        """Move the highlight to an entity (which posts OptionHighlighted)."""
        try:
            index = self.get_option_index(entity_id)
        except OptionDoesNotExist:  # not a counterpart: leave the selection alone
            return
        if self.highlighted != index:
            self.highlighted = index

    def step(self, delta: int) -> None:
        """Previous/next counterpart ([ and ]), skipping headings; at an end it wraps round
        and says so."""
        ids = [entity.id for entity in self.view.counterparts]
        if not ids:
            return
        current = self.highlighted_option.id if self.highlighted_option else None
        position = ids.index(current) if current in ids else -1
        target = position + delta
        if current in ids and not 0 <= target < len(ids):
            self.notify("Wrapped round to the " + ("first" if target >= len(ids) else "last")
                        + " counterpart", timeout=2)
        self.select_entity(ids[target % len(ids)])


def counterpart_prompt(view: ModelView, entity_id: str, no_color: bool = False) -> Content:
    """The trend of the focus's relationship with the entity, and its name. An entity the
    focus has no relationship with shows no trend, and names the other side of its own."""
    entity = view.entities[entity_id]
    name = Content(entity.name)  # model text: never markup
    relationship = view.primary_relationship(entity_id)
    if relationship is None:
        return Content.assemble("  ", name)
    if view.focus_id in relationship.pair:
        trend = relationship.trend
        return Content.assemble((TREND_GLYPHS[trend], trend_style(trend, no_color)), " ", name)
    others = [view.entities[r.other_side(entity_id)].name
              for r in view.relationships_of(entity_id)]
    more = f" +{len(others) - 1}" if len(others) > 1 else ""
    return Content.assemble("  ", name, (f" ↔ {others[0]}{more}", "dim"))
