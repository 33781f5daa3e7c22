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
    segments = list(Segment.apply_style(text.render(console), base))
    length = Segment.get_line_length(segments)
    if length > width:
        return Strip(segments, length).crop(0, width)
    # Padded here, not with Strip.crop_extend: that makes a second Strip (each with its
    # caches), and a strip it leaves whole keeps itself in its own caches, a reference cycle
    # only a full garbage collection frees.
    if length < width:
        segments.append(Segment(" " * (width - length), base))
    return Strip(segments, width)
