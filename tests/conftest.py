"""Helpers shared by the tests."""

from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from pathlib import Path

from textual.app import App

_SVG_TEXT = re.compile(r'<text [^>]*?x="([0-9.]+)"[^>]*?clip-path="url\(#[^)]*-line-(\d+)\)"'
                       r"[^>]*>([^<]*)</text>")


CELL_WIDTH = 12.2  # pixels per terminal cell in Rich's SVG export


def screen_text(app: App[object]) -> str:
    """What the terminal shows (every layer: screens, dialogs, toasts), as plain text lines.

    Read from the app's own SVG screenshot, the public way to see the composed screen."""
    pieces: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for x, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\xa0", " ").rstrip("\n")
        if text:
            pieces[int(line)].append((round(float(x) / CELL_WIDTH), text))
    lines = []
    for number in range(max(pieces, default=-1) + 1):
        line = ""
        for column, text in sorted(pieces[number]):
            line = line.ljust(column) + text  # blank cells are drawn as rectangles, not text
        lines.append(line)
    return "\n".join(lines)


ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def working_tree_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess that runs policyterm from this working tree's src/."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.update(extra)
    return env
