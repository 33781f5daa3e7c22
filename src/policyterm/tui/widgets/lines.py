"""Model text as one terminal line: shared by the panes drawn with the line API."""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_line(text: Text, width: int, base: Style, console: Console) -> Strip:
    """`text` on one line of exactly `width` cells (cut with an ellipsis), on `base`.

    Changes `text` (it is cut to fit): pass a copy of one that is kept."""
    text.no_wrap = True
    text.truncate(width, overflow="ellipsis")
    # Every segment gets the base style: Textual's NO_COLOR filter needs one on each.
    segments = Segment.apply_style(text.render(console), base)
    return Strip(list(segments)).crop_extend(0, width, base)
