"""How trends and scores look: one glyph and one theme colour each, used by every pane.

Colours are theme variables ("$success"), so every built-in theme, and a change of theme,
colours them. Glyphs differ in shape as well as colour, so they read without colour too.
"""

from __future__ import annotations

from rich.style import Style as RichStyle
from rich.text import Text
from textual.style import Style

from policyterm.core.display import TREND_GLYPHS, score_glyph
from policyterm.core.model import Trend

TREND_STYLES: dict[Trend, str] = {
    Trend.IMPROVING: "bold $success",
    Trend.DETERIORATING: "bold $error",
    Trend.STALLED: "bold $warning",
    Trend.STABLE: "bold $primary",
    Trend.MIXED: "bold $secondary",
}


def trend_style(trend: Trend, no_color: bool) -> str:
    # Without colour a theme colour becomes a grey that can vanish into the background
    # (a dark red on black): the glyph's shape carries the meaning, in the text's own colour.
    return "bold" if no_color else TREND_STYLES[trend]


class Look:
    """The styles above resolved against a theme's variables (App.theme_variables), for
    panes drawn from Rich text."""

    def __init__(self, variables: dict[str, str], no_color: bool = False) -> None:
        self._variables = variables
        self._no_color = no_color
        self._cache: dict[str, RichStyle] = {}

    def style(self, style: str) -> RichStyle:
        if style not in self._cache:
            self._cache[style] = Style.parse(style, self._variables).rich_style
        return self._cache[style]

    def trend(self, trend: Trend) -> Text:
        """The glyph and the word, coloured: "▲ improving"."""
        style = self.style(trend_style(trend, self._no_color))
        return Text(f"{TREND_GLYPHS[trend]} {trend.value}", style=style)

    def trend_glyph(self, trend: Trend) -> Text:
        return Text(TREND_GLYPHS[trend], style=self.style(trend_style(trend, self._no_color)))

    def match(self) -> RichStyle:
        """A search match inside text (also inside a highlighted, reversed line)."""
        return self.style("bold underline" if self._no_color
                          else "bold underline $text-warning on $warning-muted")

    def score_marker(self, score: float) -> Text:
        """✚ cooperation, ✖ conflict, · neither."""
        style = ("bold" if self._no_color else "bold $success" if score > 0
                 else "bold $error" if score < 0 else "dim")
        return Text(score_glyph(score), style=self.style(style))
