"""Helpers shared by the tests."""

from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

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


def toast_text(app: App[object]) -> str:
    """The words of the toasts on screen (what lies right of their "▌" bars), on one line.
    The app must run with `run_test(notifications=True)`."""
    lines = [line.split("▌", 1)[1].strip(" │┃") for line in screen_text(app).splitlines()
             if "▌" in line]
    return " ".join(" ".join(lines).split())


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool],
                   seconds: float = 15) -> None:
    """Let the app run until `condition()` holds (a reload, a check in a thread)."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("timed out")


def touch(path: Path, text: str) -> None:
    """Write `text`, and make sure the modification time moves even on a coarse clock (the
    app reloads a file whose time changed)."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def working_tree_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess that runs policyterm from this working tree's src/."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


EXAMPLE = ROOT / "docs" / "example.toml"

# Markdown, HTML and spreadsheet-formula syntax in every kind of text field: an export must
# carry each one as text, never as structure, markup or a formula.
HOSTILE: dict[str, tuple[str, str]] = {
    # name: (what it replaces in docs/example.toml, the hostile text)
    "title": ('title = "Ruritania and its neighbours"',
              "# Not a heading *bold* `code` [link](http://evil.example) "
              "<script>alert(1)</script> | a | b |"),
    "standfirst": ('standfirst = "A quiet year with Kravonia, a loud one over the river"',
                   "---"),
    "author": ('author = "A correspondent"', "<img src=x onerror=alert(1)> & co"),
    "focus": ('name = "Ruritania"', "Ruritania_<b>x</b>_"),
    "entity": ('name = "Graustark"', "[Graustark](javascript:alert(1))"),
    "person": ('name = "Mara Lenz"', "*Mara* Lenz"),
    "role": ('role = "Foreign minister"', "- minister & <i>envoy</i>"),
    "headline": ('headline = "Dispute over the shared river"', "## Dispute ~~over~~ river #"),
    "headline 2": ('headline = "Closer trade ties"', "1. Closer | trade | ties"),
    "summary": ('summary = "A ministerial visit in May led to a trade accord negotiated over '
                'the last quarter."',
                "1. first line\n\n- second paragraph\n===\n> quote &amp; <!-- c -->"),
    "event title": ('title = "Ruritania protests Graustark\'s dam"',
                    '=HYPERLINK("http://evil.example","x")'),
    "event title 2": ('title = "River talks stall"', "![img](x.png) talks @stall"),
    "date text": ('date_text = "May 16"', "`May` 16"),
    "figure label": ('label = "Size of the development bank\'s loan"', "+1 @SUM(A1) 'quoted"),
    "mode": ('mode = "visit"', "-visit"),
}


def hostile_model(directory: Path) -> Path:
    """docs/example.toml with every HOSTILE text in place; JSON string syntax is TOML's."""
    import json

    text = EXAMPLE.read_text(encoding="utf-8")
    for original, hostile in HOSTILE.values():
        assert text.count(original) == 1, original
        key = original.split(" = ")[0]
        text = text.replace(original, f"{key} = {json.dumps(hostile)}")
    path = directory / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path
