#!/usr/bin/env python3
"""Run a Textual program headless at 120x40 and report when marker texts first reach the screen.

    python benchmarks/headless.py [--settle SECONDS] MARKERS_JSON -- (-m MODULE | SCRIPT) [ARGS ...]

MARKERS_JSON is a list of [name, [[kind, pattern], ...]]: a marker is reached when every one of
its patterns is found in the screen text ("text": substring, "re": regular expression). The
program runs unchanged, except that `App.run` is made headless at 120x40 and `App._display`
(called once per frame the compositor produces) also encodes the frame as a terminal would
and then checks the markers. When all are reached it prints one JSON line
{"marks": {name: time.monotonic(), ...}, "maxrss_kb": ...} and exits, at once or SECONDS later
with --settle; maxrss_kb is its own peak plus the largest peak of a child process it has
waited for.

benchmarks/run.py uses this where tmux is absent, and in --quick mode; CLOCK_MONOTONIC is
system-wide on Linux, so the parent subtracts its own time.monotonic() taken before spawning.
"""

from __future__ import annotations

import json
import os
import re
import resource
import runpy
import sys
import time
from typing import Any


def _checks(spec: list[list[Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(str(name), [(str(k), str(p)) for k, p in patterns]) for name, patterns in spec]


def _reached(text: str, patterns: list[tuple[str, str]]) -> bool:
    return all((p in text) if kind == "text" else re.search(p, text) is not None
               for kind, p in patterns)


def main() -> None:
    args = sys.argv[1:]
    settle = 0.0
    if args[:1] == ["--settle"] and len(args) > 1:
        settle, args = float(args[1]), args[2:]
    if len(args) < 3 or args[1] != "--":
        sys.exit("usage: headless.py [--settle SECONDS] MARKERS_JSON -- "
                 "(-m MODULE | SCRIPT) [ARGS ...]")
    pending = _checks(json.loads(args[0]))
    program = args[2:]
    found: dict[str, float] = {}
    reporting: list[bool] = []

    def report() -> None:
        # A child process (policyterm forks one to parse a large file's tail) counts whole
        # here, the pages it shares with this process included: an upper bound.
        rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
               + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        os.write(1, (json.dumps({"marks": found, "maxrss_kb": rss}) + "\n").encode())
        os._exit(0)

    from textual.app import App

    original_run = App.run
    original_display = App._display

    def run(self: App[Any], *args: Any, **kwargs: Any) -> Any:
        kwargs["headless"] = True
        kwargs["size"] = (120, 40)
        return original_run(self, *args, **kwargs)

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        original_display(self, screen, renderable)
        if renderable is None or self._batch_count:
            return
        if hasattr(renderable, "render_segments"):
            renderable.render_segments(self.console)  # what a terminal would be sent
        text = "\n".join(strip.text for strip in self.screen._compositor.render_strips())
        now = time.monotonic()
        for name, patterns in pending:
            if name not in found and _reached(text, patterns):
                found[name] = now
        if len(found) == len(pending) and not reporting:
            reporting.append(True)
            if settle > 0:  # let later work (a search index) reach its peak memory first
                self.set_timer(settle, report)
            else:
                report()

    App.run = run  # type: ignore[method-assign]
    App._display = display  # type: ignore[method-assign]
    if program[:2] == ["-m", "policyterm"]:
        import policyterm.cli  # the program's first import anyway

        policyterm.cli.NEEDS_TERMINAL = False  # headless, it draws on no terminal

    if program[0] == "-m":
        sys.argv = [program[1], *program[2:]]
        runpy.run_module(program[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = program
        sys.path.insert(0, os.path.dirname(os.path.abspath(program[0])))
        runpy.run_path(program[0], run_name="__main__")
    sys.exit("headless.py: the program ended before every marker was on screen")


if __name__ == "__main__":
    main()
