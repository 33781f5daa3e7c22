"""The help screen (`?`): every key, generated from the bindings, and what the glyphs mean."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from policyterm.core.model import Trend
from policyterm.tui.look import Look

# Section title, and the bindings (as declared on a class) shown under it.
BindingSection = tuple[str, Iterable[BindingType]]


def key_table(key_display: Callable[[Binding], str], sections: list[BindingSection]) -> Table:
    """A table of key → what it does, one block per section, from the bindings themselves."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", min_width=12)
    table.add_column()
    for title, declared in sections:
        # Flush left, above its keys (which line up at the right of their column).
        table.add_row(Text(title, style="bold underline", justify="left"), Text(""))
        bindings = list(Binding.make_bindings(declared))
        seen: set[str] = set()
        for binding in bindings:
            if binding.action in seen or not binding.description:
                continue
            seen.add(binding.action)
            keys = [key_display(b) for b in bindings if b.action == binding.action]
            table.add_row(Text(" ".join(keys)), Text(binding.tooltip or binding.description))
        table.add_row("", "")
    return table


def legend(look: Look) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", min_width=12)
    table.add_column()
    table.add_row(Text("Trends", style="bold underline", justify="left"), "")
    meanings = {
        Trend.IMPROVING: "improving over the year",
        Trend.DETERIORATING: "deteriorating",
        Trend.STALLED: "stalled: no movement either way",
        Trend.STABLE: "stable",
        Trend.MIXED: "mixed: better in some ways, worse in others",
    }
    for trend, meaning in meanings.items():
        table.add_row(look.trend_glyph(trend), meaning)
    table.add_row("A ↔ B +1", "no relationship with the focus: A's own, with B (and one more)")
    table.add_row("", "")
    table.add_row(Text("Events", style="bold underline", justify="left"), "")
    table.add_row(look.score_marker(1), "cooperation (PLOVER score above 0, up to +10)")
    table.add_row(look.score_marker(-1), "conflict (score below 0, down to −10)")
    timeline_legend(table, look)
    return table


def timeline_legend(table: Table, look: Look) -> None:
    """What the timeline's shapes and colours mean: one shape per precision of date."""
    table.add_row("", "")
    table.add_row(Text("Timeline", style="bold underline", justify="left"), "")
    cooperation, conflict = look.style("bold $success"), look.style("bold $error")
    rows = [
        (Text("●  ◌  ?"), "a day: a point (◌ approximate, ? uncertain)"),
        (Text("▬▬▬"), "a month: a short bar (~ at its start if approximate)"),
        (Text("┣━━━┫  ~━━┫"), "an interval: a span with both ends; ~ or ? replaces an end "
         "that is approximate or uncertain; no end where it runs on beyond the view"),
        (Text("┄ 2023 (25): ✚✖┄"), "known only to the year: a dotted band of its own with the "
         "year and how many, one marker each; never a year-long bar"),
        (Text("×3  2/3"), "events dated alike, drawn once with how many; 2/3: the cursor is "
         "on the second"),
        (Text.assemble(("✚2", cooperation), " ", ("✖3", conflict)),
         "the strip: cooperation and conflict events in each tick (a bar where numbers do not "
         "fit): those dated within it, and intervals running through it; a date coarser "
         "than the tick (a month, at weeks) is counted in none"),
        (Text("◂ 3 earlier  4 later ▸"), "events before / after the view; it follows the "
         "cursor to them"),
        (Text.assemble(("━━", cooperation), " ", ("━━", conflict), " ",
                       ("━━", look.style("$text-disabled"))),
         "cooperation, conflict; grey: another counterpart's event"),
        (Text("+2 more events  ▂▅█"), "events with no room in a short pane (a count, or a bar "
         "taller for more); the cursor still visits and draws them"),
        (Text("▲  ━━", style="reverse"), "the event under the cursor"),
        (Text("▸United States"), "lanes (v): one row per counterpart, the selected one marked; "
         "▴ ▾ more lanes above / below"),
    ]
    for glyphs, meaning in rows:
        table.add_row(glyphs, meaning)


class HelpScreen(ModalScreen[None]):
    """Keys and legend; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("b,pageup", "scroll('page_up')", "Page up", show=False),
        Binding("g,home", "scroll('home')", "Top", show=False),
        Binding("G,end", "scroll('end')", "Bottom", show=False),
    ]

    def __init__(self, sections: list[BindingSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Help"
            dialog.border_subtitle = "esc closes"
            yield Static(key_table(self.app.get_key_display, self.sections), id="help-keys")
            look = Look(self.app.theme_variables, self.app.no_color)
            yield Static(legend(look), id="help-legend")

    def action_scroll(self, where: str) -> None:
        dialog = self.query_one("#help-dialog", VerticalScroll)
        getattr(dialog, f"scroll_{where}")(animate=False)
