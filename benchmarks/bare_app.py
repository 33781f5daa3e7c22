#!/usr/bin/env python3
"""The baseline for start-up benchmarks: a bare Textual app with the widget kinds policyterm's
first screen uses — a Header, an OptionList with a border title, a Static and a Footer — and
nothing of policyterm (no model, no TOML, no CSS file). BarePanes is the baseline for the
`]` keystroke: the list beside a scrolling pane whose text and height follow the highlighted
option, as policyterm's Detail follows its counterpart list (and nothing like its timeline).

    python benchmarks/bare_app.py [--items N]

Its first screen shows MARKER_TITLE (the list's border title) and MARKER_ITEM (its first
option); benchmarks/run.py waits for both, as it waits for "Counterparts" and the first
counterpart's name in policyterm.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Header, OptionList, Static

MARKER_TITLE = "Bare list"
MARKER_ITEM = "Bare item 000"


class BareApp(App[None]):
    TITLE = "bare"
    BINDINGS = [Binding("q", "quit", "Quit")]  # noqa: RUF012 (Textual's own style)
    CSS = """
    #list { border: round $accent; height: 1fr; }
    #static { height: 8; border: round $panel; }
    """

    def __init__(self, items: int = 20) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(*(f"Bare item {i:03d}" for i in range(self.items)), id="list")
        yield Static("A static block of text, as in policyterm's detail pane.", id="static")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).border_title = MARKER_TITLE
        self.query_one(OptionList).focus()


def pane_lines(option: int) -> int:
    """How many lines the pane holds for an option: a different height for each of 200
    options, 20 to 1,319 lines (Detail's counterparts run from a few lines to thousands)."""
    return 20 + option * 37 % 1300


class BarePane(ScrollView):
    """Lines drawn when in view (the line API, as Detail); a height set for each option."""

    option = 0

    def show(self, option: int) -> None:
        self.option = option
        self.virtual_size = Size(self.scrollable_content_region.width, pane_lines(option))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        return Strip([Segment(f"Line {line} about bare item {self.option:03d}", Style())])


class BarePanes(BareApp):
    """The list and a pane that follows it: Textual's own work for a step in the list that
    changes a pane's text and its height (a layout pass, both scrollbars, the frame)."""

    CSS = """
    #list { border: round $accent; width: 30; }
    #pane { border: round $panel; overflow-y: scroll; scrollbar-size-vertical: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(*(f"Bare item {i:03d}" for i in range(self.items)), id="list")
            yield BarePane(id="pane")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        # The highlight watched, as policyterm follows its list: OptionHighlighted would
        # arrive after the list's own frame, and cost a frame more than policyterm pays.
        self.watch(self.query_one(OptionList), "highlighted", self._follow)

    def _follow(self, option: int | None) -> None:
        self.query_one(BarePane).show(option or 0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bare_app.py", description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20, help="options in the list (20)")
    args = parser.parse_args(argv)
    BareApp(args.items).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
