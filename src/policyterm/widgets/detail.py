"""The Detail pane: everything the article says about the selected counterpart.

Each relationship is a few rows (a label and a body); the events row prints one event per
line (no wrapping), so a search hit can scroll straight to its line. All text from the model
goes in as `rich.text.Text`, never as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region, Spacing
from textual.widgets import Static

from policyterm.display import format_figure, format_score, format_sources
from policyterm.model import Event, Relationship
from policyterm.views import ModelView
from policyterm.widgets.counterparts import trend_text

# What a block shows: its label ("" for none), its body, and its CSS class.
Block = tuple[str, Text, str]


def score_marker(score: float) -> Text:
    """A cooperation/conflict marker that reads without colour too."""
    if score > 0:
        return Text("✚", style="bold green")
    if score < 0:
        return Text("✖", style="bold red")
    return Text("·", style="dim")


class DetailRow(Horizontal):
    """One block of Detail: a label column ("Events") and a body beside it."""

    def __init__(self) -> None:
        self.label = Static(classes="detail-label", markup=False)
        self.body = Static(classes="detail-body", markup=False)
        super().__init__(self.label, self.body)

    def show(self, block: Block) -> None:
        label, body, classes = block
        self.set_classes(f"{classes} -unlabelled" if not label else classes)
        self.label.update(label)
        self.body.update(body)


class DetailPane(VerticalScroll):
    """Scrolls. Its rows are reused from one selection to the next: updating a Static is
    much cheaper than mounting a new one, and this runs on every keystroke."""

    can_focus = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, view: ModelView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.entity_id: str | None = None
        self.highlighted_event: str | None = None
        self._line_of: dict[str, tuple[int, int]] = {}  # item id -> (block number, line)
        self._event_blocks: dict[int, list[Event]] = {}  # block number -> its events

    def use_view(self, view: ModelView) -> None:
        """Switch to another view of the model (the whole of a previewed file)."""
        self.view = view
        entity_id, self.entity_id = self.entity_id, None
        if entity_id is not None:
            self.show(entity_id, self.highlighted_event)

    def show(self, entity_id: str, highlighted_event: str | None = None) -> None:
        if entity_id == self.entity_id:
            if highlighted_event != self.highlighted_event:
                # Only the event lines change: re-render just those blocks.
                self.highlighted_event = highlighted_event
                pool = list(self.query_children(DetailRow))
                for number, events in self._event_blocks.items():
                    pool[number].body.update(self._events_text(events))
            return
        self.entity_id = entity_id
        self.highlighted_event = highlighted_event
        entity = self.view.entities[entity_id]
        blocks: list[Block] = []
        self._line_of = {}
        self._event_blocks = {}
        relationships = self.view.relationships_of(entity_id)
        for number, relationship in enumerate(relationships):
            if number == 1:
                blocks.append(("", Text("Other relationships", style="bold underline"),
                               "detail-divider"))
            self._relationship_blocks(relationship, blocks)
        if not relationships:
            blocks.append(("", Text(f"{entity.name}: no relationship in this article"), ""))
        self._fill(blocks)
        self.scroll_home(animate=False)

    def _fill(self, blocks: list[Block]) -> None:
        pool = list(self.query_children(DetailRow))
        with self.app.batch_update():
            for number, block in enumerate(blocks):
                if number < len(pool):
                    row = pool[number]
                    row.display = True
                else:
                    row = DetailRow()
                    self.mount(row)
                row.show(block)
            for spare in pool[len(blocks):]:
                spare.display = False

    def scroll_to_item(self, item_id: str) -> None:
        """Bring an event, figure, person or theme line into view (after layout)."""
        if item_id not in self._line_of:
            return
        number, line = self._line_of[item_id]

        def scroll() -> None:
            block = list(self.query_children(DetailRow))[number]
            # Scroll only as far as needed: a line already in view stays where it is.
            region = Region(0, block.virtual_region.y + line, 1, 1)
            self.scroll_to_region(region, animate=False, spacing=Spacing(1, 0, 1, 0))

        self.call_after_refresh(scroll)

    # -- building blocks ----------------------------------------------------------------------

    def _relationship_blocks(self, relationship: Relationship, blocks: list[Block]) -> None:
        """Append one relationship's blocks, noting the line each item lands on."""
        view = self.view
        first, second = view.pair_names(relationship)
        header = Text()
        header.append(f"{first} ↔ {second}", style="bold")
        header.append("   ")
        header.append_text(trend_text(relationship.trend))
        header.append("\n")
        header.append(relationship.headline, style="italic")
        blocks.append(("", header, "detail-header"))
        blocks.append(("", Text(relationship.summary), "detail-summary"))

        people = view.people_of(relationship)
        if people:
            lines = Text()
            for row, person in enumerate(people):
                if row:
                    lines.append("\n")
                lines.append(person.name, style="bold")
                if person.role:
                    lines.append(f" ({person.role})")
                self._line_of[person.id] = (len(blocks), row)
            blocks.append(("People", lines, "detail-people"))

        figures = view.figures_of(relationship.id)
        if figures:
            lines = Text()
            for row, figure in enumerate(figures):
                if row:
                    lines.append("\n")
                lines.append(format_figure(figure), style="bold")
                lines.append(f"  {figure.label}")
                self._line_of[figure.id] = (len(blocks), row)
            blocks.append(("Figures", lines, "detail-figures"))

        events = view.events_of(relationship.id)
        if events:
            for row, event in enumerate(events):
                self._line_of.setdefault(event.id, (len(blocks), row))
            self._event_blocks[len(blocks)] = events
            blocks.append(("Events", self._events_text(events), "detail-events"))

        themes = view.themes_of(relationship)
        for theme in themes:
            self._line_of.setdefault(theme.id, (len(blocks), 0))
        blocks.append(("Themes", Text(" · ".join(t.name for t in themes)), "detail-themes"))
        blocks.append(("Sources", Text(format_sources(relationship.source)), "detail-sources"))

    def _events_text(self, events: list[Event]) -> Text:
        width = max(len(e.date.display()) for e in events)
        lines = Text(no_wrap=True, overflow="ellipsis")
        for row, event in enumerate(events):
            if row:
                lines.append("\n")
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(event.date.display().ljust(width), style="bold")
            line.append(" ")
            line.append_text(score_marker(event.score))
            line.append(f" {format_score(event.score):>3} ")
            line.append(event.title)
            if event.id == self.highlighted_event:
                line.stylize("reverse")
            lines.append_text(line)
        return lines
