"""The Detail pane: everything the article says about the selected counterpart.

Drawn with the line API: the selection is laid out once into lines (a label column, a body
wrapped beside it), and `render_line` hands out only the lines in view. A keystroke costs a
re-wrap of one counterpart's text, with no widgets mounted or laid out, and every item's line
is known, so a search hit scrolls exactly to it. Model text goes in as `rich.text.Text`, never
as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar, NamedTuple

from rich.console import Console
from rich.containers import Lines
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from policyterm.core.display import format_figure, format_score, format_sources
from policyterm.core.folding import find_spans
from policyterm.core.model import Event, Relationship
from policyterm.core.views import ModelView
from policyterm.tui.look import Look
from policyterm.tui.widgets.lines import text_line

LABEL_WIDTH = 10
MIN_TITLE_CELLS = 20  # a highlighted event's title goes beside its date only with this room
NARROW_WIDTH = 64  # below this, an event's date takes a line of its own
READABLE_WIDTH = 100  # text wraps here at most: longer lines are hard to read back along


# A line made only when it is first drawn: a counterpart can have a thousand one-line events,
# and building and rendering all of their Text on every selection would cost more than the
# frame.
LazyLine = Callable[[], Text]


def _one_line(prefix: str, item: Text | LazyLine, row: int = 0) -> Text:
    """Line `row` of an item (lazy items of two lines are made whole, then split)."""
    line = Text()
    if prefix:
        line.append(prefix, style="bold")
    text = item() if callable(item) else item
    line.append_text(text.split("\n")[row])
    return line


# Item ids of the Sources lines: the relationship's id after this (ids never hold a colon).
SOURCES_PREFIX = "sources:"
# In place of a counterpart, for a model whose relationships are yet to be written.
NO_RELATIONSHIPS = "This model has no relationships yet."


def sources_item(item_id: str) -> str:
    """What a highlighted item's citations belong to: a Sources line's relationship, or the
    item itself (an event)."""
    return item_id.removeprefix(SOURCES_PREFIX)


class Heading(Text):
    """A relationship's pair and trend on one line; where they do not fit, the trend on a
    line of its own, whole (wrapped as words, "▼" and "deteriorating" were parted)."""

    def __init__(self, pair: Text, trend: Text) -> None:
        super().__init__()
        self.append_text(pair)
        self.append("   ")
        self.append_text(trend)
        self.pair, self.trend = pair, trend

    def wrap(self, console: Console, width: int, **options: Any) -> Lines:
        if self.cell_len <= width:
            return Lines([self])
        return Lines([*self.pair.wrap(console, width, **options),
                      *self.trend.wrap(console, width, **options)])


class EventColumns(NamedTuple):
    """The widths of an event line's date and score columns, in cells."""

    date: int
    score: int


@dataclass
class Block:
    """One part of a relationship: an optional label, and items each wrapped on its own
    (lazy items, and Text with no_wrap, take exactly `lazy_rows` lines)."""

    label: str
    items: Sequence[Text | LazyLine]
    item_ids: list[str] = field(default_factory=list)  # one per item, where items have ids
    also: list[str] = field(default_factory=list)  # ids that lead to the block's first line
    space_before: bool = False
    space_after: bool = False
    lazy_rows: int = 1
    # Events: the date and score columns' widths (None: narrow, the date on a line of its own).
    columns: EventColumns | None = None


class DetailPane(ScrollView, can_focus=True):
    """Scrolls; laid out again when the selection, the highlighted item, the search terms or
    the width change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "step_event(1)", "Next event or Sources line (or scroll down)",
                show=False),
        Binding("up,k", "step_event(-1)", "Previous event or Sources line (or scroll up)",
                show=False),
        Binding("enter", "choose_event", "Put the timeline's cursor on the event, or open "
                "the cited paragraphs", show=False),
        Binding("g,home", "edge(0)", "Top", show=False),
        Binding("G,end", "edge(1)", "Bottom", show=False),
    ]

    class EventChosen(Message):
        """Enter, or a click, on one of Detail's events."""

        def __init__(self, event_id: str) -> None:
            super().__init__()
            self.event_id = event_id

    class SourcesWanted(Message):
        """Enter on a Sources line, or a click on it or on an event's ¶: `item_id` is the
        relationship or event whose cited paragraphs the reader wants to read."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, view: ModelView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.entity_id: str | None = None
        self.highlighted: str | None = None  # an item id: its line is drawn reversed
        self.search_terms: list[str] = []  # folded words marked wherever they occur, as in less
        self._blocks: list[Block] = []
        self._lines: list[Strip | LazyLine] = []  # LazyLine: a one-line item not yet drawn
        self._line_of: dict[str, int] = {}  # item id -> its first line
        # What j and k move through, in order: each event and Sources line with its line (an
        # event in two of the entity's relationships is there twice), and where they are.
        self._steps: list[tuple[str, int]] = []
        self._step: int | None = None
        self._item_at: dict[int, str] = {}  # line -> the event (or Sources line) drawn on it
        self._narrow = False  # events take two lines: see NARROW_WIDTH
        self._laid_out_width = -1
        self._base_style = Style()  # this pane's own style, as of the latest redraw
        self._drawn_height = 0  # the lines in sight, as of the latest redraw
        self._look = Look({})  # the theme's, once mounted

    def show(self, entity_id: str, highlighted: str | None = None,
             search_terms: list[str] | None = None) -> None:
        """Show an entity's relationships, with the item `highlighted` (an event, person,
        figure, theme or relationship id) and every occurrence of `search_terms` marked."""
        terms = search_terms or []
        if (entity_id, highlighted, terms) == (self.entity_id, self.highlighted,
                                                self.search_terms):
            return
        new_entity = entity_id != self.entity_id
        self._step = None  # set again by j or k, after this
        self.entity_id = entity_id
        self.highlighted = highlighted
        self.search_terms = terms
        self._build_blocks(entity_id)
        if new_entity:
            self.scroll_home(animate=False)

    def on_mount(self) -> None:
        self._look = Look(self.app.theme_variables, self.app.no_color)

    def theme_changed(self) -> None:
        """Called by the app: the text holds the old theme's colours, and the laid-out lines
        its background."""
        self._look = Look(self.app.theme_variables, self.app.no_color)
        if self.entity_id is not None:
            self._build_blocks(self.entity_id)

    def _build_blocks(self, entity_id: str) -> None:
        entity = self.view.entities[entity_id]
        blocks: list[Block] = []
        relationships = self.view.relationships_of(entity_id)
        focus = self.view.focus
        if relationships and focus.id not in relationships[0].pair:
            # Its relationships are between others: not to be read as the focus's own.
            # Not "{name}'s": a plural name ("Gulf States") takes no "s".
            blocks.append(Block("", [Text(f"No relationship with {focus.name} in this article;"
                                          f" those of {entity.name} with others:",
                                          style="dim italic")], space_after=True))
        for number, relationship in enumerate(relationships):
            if number == 1:
                blocks.append(Block("", [Text("Other relationships", style="bold underline")],
                                    space_before=True))
            self._relationship_blocks(relationship, blocks, first=number == 0)
        if not relationships:
            blocks.append(Block("", [Text(f"{entity.name}: no relationship in this article")]))
        self._blocks = blocks
        self._lay_out()

    # -- the events, a list to move in ---------------------------------------------------------

    def action_edge(self, end: int) -> None:
        """g / G: the top or the bottom at once (the scroll actions glide there, which takes
        a second over a long Detail)."""
        if end:
            self.scroll_end(animate=False)
        else:
            self.scroll_home(animate=False)

    def action_step_event(self, step: int) -> None:
        """The next (or previous) event or Sources line, highlighted and in view; where there
        are none, scroll instead."""
        steps = self._steps
        if not steps or self.entity_id is None:
            self.scroll_relative(y=step, animate=False)
            return
        current = self._current_step()
        top, bottom = self._lines_in_sight()
        if current is None:  # the first in sight, or next beyond it, the way it moves
            ahead = [n for n, (_, line) in enumerate(steps)
                     if (line >= top if step > 0 else line <= bottom)]
            position = (ahead[0] if step > 0 else ahead[-1]) if ahead else None
        else:
            position = current + step if 0 <= current + step < len(steps) else None
        if position is None:  # past the first or the last: on to the pane's top or bottom
            self.scroll_relative(y=step, animate=False)
            return
        self.show(self.entity_id, steps[position][0], self.search_terms)
        self._step = position
        # Laid out again: the highlighted event is shown in full, so lines have moved. In
        # sight with its summary where the pane has room for both.
        line = self._steps[position][1]
        self._bring_into_sight(line, self._rows_of(line))

    def _lines_in_sight(self) -> tuple[int, int]:
        top = self.scroll_offset.y
        return top, top + self.scrollable_content_region.height - 1

    def _current_step(self) -> int | None:
        """Where the highlight is among the steps, if in sight (of an event listed twice, the
        copy in sight). Out of sight it counts as none: Detail marks the timeline's event,
        often below the fold, and keys act on what the reader sees."""
        steps, remembered = self._steps, self._step
        top, bottom = self._lines_in_sight()
        if (remembered is not None and remembered < len(steps)
                and steps[remembered][0] == self.highlighted
                and top <= steps[remembered][1] <= bottom):
            return remembered
        return next((n for n, (item_id, line) in enumerate(steps)
                     if item_id == self.highlighted and top <= line <= bottom), None)

    @property
    def highlighted_in_sight(self) -> str | None:
        """The highlighted item, if any of its lines is in sight: what enter and s act on."""
        in_sight = self._copy_within(self.scrollable_content_region.height) is not None
        return self.highlighted if in_sight else None

    def _copy_within(self, height: int) -> int | None:
        """The first line of the highlighted item where any of its lines (an event shown in
        full: all of them) is among `height` lines from the top of the view; of an event
        listed twice, the copy in sight."""
        highlighted = self.highlighted
        if highlighted is None:
            return None
        top = self.scroll_offset.y
        bottom = top + height - 1
        lines = [line for item_id, line in self._steps if item_id == highlighted]
        if not lines and highlighted in self._line_of:
            lines = [self._line_of[highlighted]]
        return next((line for line in lines
                     if line <= bottom and line + self._rows_of(line) - 1 >= top), None)

    def action_choose_event(self) -> None:
        highlighted = self.highlighted_in_sight
        if highlighted is None:
            return
        if highlighted.startswith(SOURCES_PREFIX):
            self.post_message(self.SourcesWanted(sources_item(highlighted)))
        elif highlighted in self.view.events:
            self.post_message(self.EventChosen(highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.entity_id is None:
            return
        line = self.scroll_offset.y + offset.y
        item_id = self._item_at.get(line)
        if item_id is None:
            return
        # Decided on the lines clicked: highlighting the event lays them out again.
        on_citations = (not item_id.startswith(SOURCES_PREFIX)
                        and self._line_of.get(item_id) == line
                        and offset.x + self.scroll_offset.x >= self._citations_from(item_id))
        was_at = self._line_of.get(item_id)
        self.show(self.entity_id, item_id, self.search_terms)
        moved = (self._line_of.get(item_id) or 0) - (was_at or 0)
        if moved:  # the event shown in full above it was folded: keep it under the pointer
            self.scroll_relative(y=moved, animate=False)
        if item_id.startswith(SOURCES_PREFIX):
            self.post_message(self.SourcesWanted(sources_item(item_id)))
        elif on_citations:
            self.post_message(self.SourcesWanted(item_id))  # on the event's ¶
        else:
            self.post_message(self.EventChosen(item_id))

    def _citations_from(self, event_id: str) -> int:
        """The column where an event's citations start: they end its first line."""
        return self._laid_out_width - len(format_sources(self.view.events[event_id].source))

    def _indent(self) -> int:
        return LABEL_WIDTH if self._laid_out_width > LABEL_WIDTH + 10 else 0

    def shows(self, item_id: str) -> bool:
        """Whether the entity shown has a line for `item_id` (an event, person, figure, theme
        or relationship of its own)."""
        return item_id in self._line_of

    def scroll_to_item(self, item_id: str) -> None:
        """Bring an event, figure, person, theme or relationship into view; with search
        terms, the first line from there that holds one of them."""
        first = self._line_of.get(item_id)
        if first is None:
            return
        line = first
        if self.search_terms:
            line = next((number for number in range(first, len(self._lines))
                         if find_spans(self._plain(number), self.search_terms)), first)
        # The item whole (an event shown in full, its summary too) where the pane has room
        # for it and the matched line; else as much of it as fits from the matched line
        # down. Scrolled only as far as needed: lines already in view stay where they are.
        last = max(line, first + self._rows_of(first) - 1)
        height = self.scrollable_content_region.height
        if last - first + 3 > height:
            first, last = line, min(last, line + max(height - 3, 0))
        self._bring_into_sight(first, last - first + 1)

    def _bring_into_sight(self, line: int, rows: int) -> None:
        """Scroll as little as shows `rows` lines from `line` (their first, if they do not
        all fit), a line of margin around them."""
        self.scroll_to_region(Region(0, line, 1, rows), animate=False,
                              spacing=Spacing(1, 0, 1, 0))

    def _rows_of(self, line: int) -> int:
        """How many lines the item drawn from `line` takes (an event shown in full: all of
        its lines; anything else: 1)."""
        owner = self._item_at.get(line)
        rows = 1
        while owner is not None and self._item_at.get(line + rows) == owner:
            rows += 1
        return rows

    # -- layout and drawing -------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out_if_resized()

    def _lay_out_if_resized(self) -> None:
        if self.scrollable_content_region.width != self._laid_out_width:
            # Wrapped again, the lines move: the highlighted item, if it was in sight as
            # last drawn, is brought back into sight (the same copy of an event listed
            # twice: the items keep their order, so its place among them says which).
            line = self._copy_within(self._drawn_height)
            copies = [old for item_id, old in self._steps if item_id == self.highlighted]
            copy = copies.index(line) if line in copies else 0
            self._lay_out()
            if line is not None:
                self.call_after_refresh(self._bring_back, copy)

    def _bring_back(self, copy: int) -> None:
        """Scroll to the highlighted item's `copy`-th line among the steps (or, not a step,
        its line), with as much of it as fits."""
        copies = [line for item_id, line in self._steps if item_id == self.highlighted]
        line = copies[min(copy, len(copies) - 1)] if copies else \
            self._line_of.get(self.highlighted or "")
        if line is not None:
            self._bring_into_sight(line, self._rows_of(line))

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            # Not sized yet (the selection is set as the app mounts): wrapping at width 0
            # would make a line per word. on_resize lays it out once the width is known.
            self._laid_out_width = -1
            return
        narrow = width < NARROW_WIDTH
        if narrow != self._narrow and self.entity_id is not None:
            self._narrow = narrow  # the event items change shape: build them again
            self._build_blocks(self.entity_id)
            return
        self._narrow = narrow
        self._laid_out_width = width
        console = self.app.console
        base = self.rich_style
        lines: list[Strip | LazyLine] = []
        self._line_of = {}
        self._item_at = {}
        self._steps = []
        blank = Strip.blank(width, base)
        label_width = self._indent()
        for block in self._blocks:
            if block.space_before and lines:
                lines.append(blank)
            indent = label_width if block.label else 0
            for item_id in block.also:
                self._line_of.setdefault(item_id, len(lines))
            for number, item in enumerate(block.items):
                owner = block.item_ids[number] if number < len(block.item_ids) else None
                if owner is not None:
                    self._line_of.setdefault(owner, len(lines))
                    if block.label in ("Events", "Sources"):
                        self._steps.append((owner, len(lines)))
                    if owner == self.highlighted and not callable(item):
                        item = item.copy()
                        item.stylize("reverse")
                if callable(item) or item.no_wrap:
                    # A fixed number of lines however long (events): drawn when in view; the
                    # highlighted event in full, its title wrapped and its summary below.
                    label = block.label if number == 0 else ""
                    rows: Sequence[Text | LazyLine] = [item] * block.lazy_rows
                    if block.label == "Events" and owner is not None and \
                            owner == self.highlighted:
                        rows = self._event_in_full(self.view.events[owner], block.columns,
                                                   width - indent)
                    for row, row_item in enumerate(rows):
                        prefix = label.ljust(indent) if indent and row == 0 else " " * indent
                        lines.append(partial(_one_line, prefix, row_item,
                                             row if row_item is item else 0))
                        if owner is not None:
                            self._item_at[len(lines) - 1] = owner
                    continue
                # Wrapped now (the line count is needed), drawn only when in view. Most items
                # (a person, a figure) fit on one line as they are: no need to wrap those.
                wrap_width = max(min(width - indent, READABLE_WIDTH), 1)
                owner = owner if block.label == "Sources" else None
                plain = item.plain
                fits = item.cell_len <= wrap_width and "\n" not in plain and "\t" not in plain
                for row, wrapped in enumerate([item] if fits else item.wrap(console, wrap_width)):
                    label = block.label if number == 0 and row == 0 else ""
                    lines.append(partial(_one_line, label.ljust(indent) if indent else "",
                                         wrapped))
                    if owner is not None:
                        self._item_at[len(lines) - 1] = owner
            if block.space_after:
                lines.append(blank)
        self._lines = lines
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Sized but not yet told (the first frame: a selection made at mount waits for a
        # width, and Resize comes after the frame): lay out now, so this frame has the text.
        self._lay_out_if_resized()
        # rich_style walks every ancestor's styles: work it out once per redraw, not per line.
        self._base_style = self.rich_style
        self._drawn_height = self.scrollable_content_region.height
        return super().render_lines(crop)

    def _plain(self, number: int) -> str:
        line = self._lines[number]
        return line.text if isinstance(line, Strip) else line().plain

    def _marked(self, text: Text) -> Text:
        if not self.search_terms:
            return text
        for start, end in find_spans(text.plain, self.search_terms):
            text.stylize(self._look.match(), start, end)
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._base_style
        if not self.view.counterparts and index == 0:
            return text_line(Text(NO_RELATIONSHIPS, style="italic"), width, base,
                             self.app.console)
        if 0 <= index < len(self._lines):
            line = self._lines[index]
            if not isinstance(line, Strip):
                line = self._lines[index] = text_line(self._marked(line()),
                                                      self._laid_out_width, base,
                                                      self.app.console)
            if scroll_x == 0 and line.cell_length == width:
                return line
            return line.crop_extend(scroll_x, scroll_x + width, base)
        return Strip.blank(width, base)

    # -- building blocks ----------------------------------------------------------------------

    def _relationship_blocks(self, relationship: Relationship, blocks: list[Block],
                             first: bool) -> None:
        view = self.view
        first_name, second_name = view.pair_names(relationship)
        heading = Heading(Text(f"{first_name} ↔ {second_name}", style="bold"),
                          self._look.trend(relationship.trend))
        blocks.append(Block("", [heading, Text(relationship.headline, style="italic")],
                            also=[relationship.id], space_before=not first))
        blocks.append(Block("", [Text(relationship.summary)], space_after=True))

        people = view.people_of(relationship)
        if people:
            items = [Text.assemble((p.name, "bold"), f" ({p.role})" if p.role else "")
                     for p in people]
            blocks.append(Block("People", items, [p.id for p in people]))

        figures = view.figures_of(relationship.id)
        if figures:
            items = [Text.assemble((format_figure(f), "bold"), f"  {f.label}") for f in figures]
            blocks.append(Block("Figures", items, [f.id for f in figures]))

        events_of = view.events_of(relationship.id)
        if events_of:
            columns = self._event_columns(events_of)
            blocks.append(Block("Events", [partial(self._event_line, event, columns)
                                           for event in events_of],
                                [e.id for e in events_of], lazy_rows=2 if self._narrow else 1,
                                columns=columns))

        themes = view.themes_of(relationship)
        if themes:
            blocks.append(Block("Themes", [Text(" · ".join(t.name for t in themes))],
                                also=[t.id for t in themes]))
        blocks.append(Block("Sources", [Text(format_sources(relationship.source))],
                            [SOURCES_PREFIX + relationship.id]))

    def _event_columns(self, events_of: list[Event]) -> EventColumns | None:
        if self._narrow:  # the date on a line of its own: the title keeps the width
            return None
        # The widest date and score, over each distinct one once: a counterpart may have
        # thousands of events on a few hundred dates, and this runs at every selection.
        return EventColumns(
            max(len(date.display()) for date in {event.date for event in events_of}),
            max(len(format_score(score)) for score in {event.score for event in events_of}))

    def _event_line(self, event: Event, columns: EventColumns | None) -> Text:
        """Date, score and title on one line, dates and scores in `columns`; with no
        columns, the title on a second line. Its citations end the first line, at the
        right (made when drawn, so the width is known)."""
        citations = format_sources(event.source)
        room = self._laid_out_width - self._indent() - len(citations)
        line = self._event_head(event, columns, room - 1)
        line.no_wrap, line.overflow = True, "ellipsis"
        if columns:
            line.append(event.title)
        line.truncate(max(room - 1, 1), overflow="ellipsis", pad=True)
        line.append(" ")
        line.append(citations, style="dim")
        if not columns:
            line.append("\n")
            line.append(event.title)
        if event.id == self.highlighted:
            line.stylize("reverse")
        return line

    def _event_head(self, event: Event, columns: EventColumns | None, room: int) -> Text:
        """Date and score: in columns before the title, or alone on their line (None) in
        `room` cells, where a long date (a span) gives way before the score."""
        head = Text()
        date, score = event.date.display(), format_score(event.score)
        marker = self._look.score_marker(event.score)
        if columns is None and len(date) + marker.cell_len + len(score) + 2 > room:
            date = date[:max(room - marker.cell_len - len(score) - 3, 1)] + "…"
        head.append(date.ljust(columns.date) if columns else date, style="bold")
        head.append(" ")
        head.append_text(marker)
        head.append(f" {score.rjust(max(columns.score, 3))} " if columns else f" {score}")
        return head

    def _event_in_full(self, event: Event, columns: EventColumns | None,
                       width: int) -> list[Text]:
        """The highlighted event's lines: its date, score and citations as on its one line,
        its whole title wrapped under them, then its summary (which a line has no room for).
        """
        console = self.app.console
        citations = format_sources(event.source)
        head = self._event_head(event, columns, width - len(citations) - 1)
        # Wide: the title beside the date, its later lines under its start; narrow, or with
        # little room left by many citations: the title under the date, the width its own.
        beside = bool(columns) and \
            width - head.cell_len - len(citations) - 1 >= MIN_TITLE_CELLS
        hang = head.cell_len if beside else 0
        room = max(width - hang - len(citations) - 1, 1)
        title = list(Text(event.title).wrap(console, room)) if beside else []
        first = head + (title[0] if title else Text())
        first.pad_right(max(width - len(citations) - first.cell_len, 1))
        first.append(citations, style="dim")
        lines = [first]
        if beside:
            lines += [Text(" " * hang) + part for part in title[1:]]
        else:
            lines += list(Text(event.title).wrap(console, max(width, 1)))
        for line in lines:
            line.stylize("reverse")
        if event.summary:
            summary = Text(event.summary, style="dim italic")
            lines += [Text(" " * hang) + part
                      for part in summary.wrap(console, max(width - hang, 1))]
        return lines
