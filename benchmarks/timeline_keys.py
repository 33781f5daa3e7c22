#!/usr/bin/env python3
"""How long the timeline takes to answer its keys on a large model, in-process.

    python benchmarks/generate.py 200 20000 -o /tmp/big.toml
    python benchmarks/timeline_keys.py /tmp/big.toml [--presses 60] [--size 120x40]

For each key it times, with `App.run_test`, the action plus drawing every row of the
timeline (what a repaint asks of it: `render_line` for each visible row), and prints p50 and
p95 in milliseconds. Budgets (issue 12): a zoom or lane toggle 50 ms, a cursor step 16 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from policyterm.core.loading import load_model
from policyterm.tui.app import PolicyApp
from policyterm.tui.widgets.timeline import Timeline


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(path: Path, presses: int, size: tuple[int, int]) -> None:
    model = load_model(path)
    app = PolicyApp(model)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        timeline = app.query_one(Timeline)
        timeline.focus()
        await pilot.pause()

        def repaint() -> None:
            for y in range(timeline.size.height):
                timeline.render_line(y)

        def timed(action: Callable[[], object]) -> float:
            start = time.perf_counter()
            action()
            repaint()
            return (time.perf_counter() - start) * 1000

        cases: list[tuple[str, list[Callable[[], object]]]] = [
            ("cursor step (l)", [timeline.action_next_event]),
            ("cursor step (h)", [timeline.action_previous_event]),
            ("zoom in / out (+ -)", [lambda: timeline.action_zoom(1),
                                     lambda: timeline.action_zoom(-1)]),
            ("fit (0)", [timeline.action_fit]),
            ("page (pgdn pgup)", [lambda: timeline.action_page(1),
                                  lambda: timeline.action_page(-1)]),
            ("lane toggle (v)", [timeline.action_toggle_lanes]),
            ("cursor step in lanes (l)", [timeline.action_next_event]),
        ]
        print(f"{len(model.events):,} events, {len(app.view.counterparts)} counterparts, "
              f"terminal {size[0]}x{size[1]}, timeline {timeline.size.width}x"
              f"{timeline.size.height}")
        for name, actions in cases:
            if name.startswith("cursor step in lanes"):
                timeline.action_toggle_lanes()
            # Caches are cleared between zooms by moving on: measure as a reader meets them.
            samples = [timed(actions[i % len(actions)]) for i in range(presses)]
            await pilot.pause()
            if name.startswith("cursor step in lanes"):
                timeline.action_toggle_lanes()
            print(f"{name:28} p50 {statistics.median(samples):6.1f} ms   "
                  f"p95 {percentile(samples, 95):6.1f} ms   max {max(samples):6.1f} ms")
        # The first zoom to windows not seen before, with no cache to help.
        timeline.use_view(app.view)
        repaint()
        cold = [timed(lambda: timeline.action_zoom(-1)) for _ in range(3)]
        cold += [timed(lambda: timeline.action_zoom(1)) for _ in range(5)]
        print(f"{'zoom, first visit':28} p50 {statistics.median(cold):6.1f} ms   "
              f"p95 {percentile(cold, 95):6.1f} ms   max {max(cold):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--size", default="120x40")
    arguments = parser.parse_args()
    columns, rows = (int(n) for n in arguments.size.split("x"))
    asyncio.run(measure(arguments.model, arguments.presses, (columns, rows)))


if __name__ == "__main__":
    main()
