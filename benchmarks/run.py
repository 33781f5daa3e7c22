#!/usr/bin/env python3
"""policyterm's benchmarks: the figures of issue 11's budget table, each against a baseline
measured in the same run.

    python benchmarks/run.py [--runs N] [--events N] [--quick]

Prints one table (figure, measured, baseline, ratio, budget, pass/miss). Launch times are
medians of launches in tmux at 120x40, programs alternating in order run by run; policyterm
runs from this tree's src/ (PYTHONPATH), never an installed copy. Method: benchmarks/README.md.
Exit status 0, or 2 when a measurement could not be made (a missed budget is not an error).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
SRC = ROOT / "src"
sys.path[:0] = [str(SRC), str(BENCHMARKS)]  # policyterm from this tree, then generate, bare_app

import generate  # noqa: E402
from policyterm.cli import COLLECTOR_THRESHOLD  # noqa: E402

DEFAULT_THRESHOLDS = gc.get_threshold()

PYTHON = sys.executable
WIDTH, HEIGHT = 120, 40
POLL = 0.010  # seconds between screen captures
TIMEOUT = 60.0  # seconds a launch may take to show its markers
BEFORE_COMMIT = "4cee547"  # the source before the simplification (issue 11's "today")
TOMLI = "import sys, tomli; tomli.load(open(sys.argv[1], 'rb'))"
SEARCHES = ["china", "united states", "water", "border", "muller", "sanctions", "iran"]

# Markers: every pattern (a regular expression) must be found in one screen capture.
BARE = ["Bare list", "Bare item 000"]
FIRST = ["Counterparts", "↔"]  # the list's border title and Detail's "A ↔ B" heading
LOADING = ["Loading"]  # "Loading FILE (8.5 MB)…" above the LoadingIndicator


def listed(events: int) -> list[str]:
    """The first screen, and the timeline's subtitle counting every event ("1/20000 · all
    events"); the count is written with or without thousands separators."""
    count = f"{events:,}".replace(",", ",?")
    return [*FIRST, rf"(?<![\d,.]){count}(?![\d,.])"]


class BenchError(Exception):
    """A measurement that could not be made."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


# -- launched programs ---------------------------------------------------------------------------


def program_env(cache_dir: Path | None = None) -> dict[str, str]:
    """Launched programs: policyterm from src/, bytecode cached in a temporary directory (as
    an installed package has it; PYTHONDONTWRITEBYTECODE would recompile src/ at every start),
    no Textual devtools, and the parsed-model cache in `cache_dir`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "TEXTUAL", "POLICYTERM_NO_CACHE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    env["POLICYTERM_CACHE_DIR"] = str(cache_dir or WORK / "no-cache-dir")
    return env


class Tmux:
    """Launches in detached tmux sessions of 120x40 on a private server. A launch is timed
    from just before `tmux new-session` to the first capture (`capture-pane -p`, every 10 ms)
    that shows each marker. A session kept open for the whole run means no launch pays for
    the server's start."""

    def __init__(self) -> None:
        self.socket = f"policyterm-bench-{os.getpid()}"
        self.count = 0
        self.tmux("new-session", "-d", "-s", "keep", "-x", "20", "-y", "5", "sleep 86400")
        self.tmux("set-option", "-g", "remain-on-exit", "on")  # a crash leaves its screen

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=False)
        if done.returncode != 0 and args[0] != "kill-server":
            raise BenchError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def close(self) -> None:
        socket = self.tmux("display-message", "-p", "#{socket_path}").strip()
        self.tmux("kill-server")
        Path(socket).unlink(missing_ok=True)  # tmux leaves it behind

    def launch(self, argv: list[str], env: dict[str, str],
               markers: dict[str, list[str]]) -> dict[str, float]:
        """Seconds from launch to the first capture showing each marker, by marker name."""
        # The session gets the tmux server's environment: ours goes on its command line.
        unset = [arg for name in sorted(set(os.environ) - set(env)) for arg in ("-u", name)]
        assign = [f"{k}={v}" for k, v in env.items() if os.environ.get(k) != v]
        command = "exec env " + shlex.join([*unset, *assign, *argv])
        self.count += 1
        session = f"run{self.count}"
        seen: dict[str, float] = {}
        start = time.monotonic()
        self.tmux("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT),
                  command)
        try:
            while len(seen) < len(markers):
                polled = time.monotonic()
                screen = self.tmux("capture-pane", "-p", "-t", session)
                now = time.monotonic()
                for name, patterns in markers.items():
                    if name not in seen and all(re.search(p, screen) for p in patterns):
                        seen[name] = now - start
                if now - start > TIMEOUT or "Pane is dead" in screen:
                    raise BenchError(f"{shlex.join(argv)}: no {set(markers) - set(seen)} "
                                     f"after {now - start:.1f} s; the screen:\n{screen}")
                time.sleep(max(0.0, POLL - (time.monotonic() - polled)))
        finally:
            self.tmux("kill-session", "-t", session)
        return seen


def process_time(argv: list[str]) -> float:
    """Wall time of a whole process, start to exit."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=program_env(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"{shlex.join(argv)} failed: {done.stderr[-1000:]}")
    return elapsed


def tomli_parse(path: Path) -> float:
    import tomli

    start = time.perf_counter()
    with path.open("rb") as handle:
        tomli.load(handle)
    return time.perf_counter() - start


# -- keystrokes, in-process ----------------------------------------------------------------------


async def keystrokes(app: Any, plan: list[tuple[str, bool]], warmup: int) -> list[float]:
    """CPU time (time.thread_time) of this thread from each timed key's press to the end of
    `await pilot.press(key)` plus `await pilot.pause()`: the app handles the key, every
    message it causes, and paints the frame. Pilot's waits sleep (20 ms slices until the
    process is idle, which also lets Textual's 60 Hz update timer fire), so wall time would
    be mostly Pilot's own waiting; CPU time is the app's work (plus Pilot's bookkeeping).
    `plan`: (key, timed); the first `warmup` timed keys are not recorded."""
    times: list[float] = []
    gc.collect()  # start from a clean heap, as a new process would (the previous app's garbage)
    # As `policyterm` does before its app runs (cli.run_explorer); for the bare apps too, so
    # that the baselines run under the same collector.
    gc.freeze()
    gc.set_threshold(COLLECTOR_THRESHOLD)
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        await pilot.pause()
        for key, timed in plan:
            start = time.thread_time()
            await pilot.press(key)
            await pilot.pause()
            if timed:
                times.append(time.thread_time() - start)
    gc.unfreeze()
    gc.set_threshold(*DEFAULT_THRESHOLDS)
    return times[warmup:]


def key_figures(model_path: Path, presses: int) -> dict[str, list[float]]:
    from bare_app import BareApp, BarePanes
    from policyterm.core.loading import load_model
    from policyterm.tui.app import PolicyApp

    warmup = 5
    model = load_model(model_path)

    def app() -> Any:
        policy = PolicyApp(model)
        policy.search_index  # noqa: B018  (built now, not by its timer among the presses)
        return policy

    next_key = [("right_square_bracket", True)] * (presses + warmup)
    typing: list[tuple[str, bool]] = []  # "/", a query a key at a time, escape; again
    for number in range(presses + warmup):
        query = SEARCHES[number % len(SEARCHES)]
        typing += [("slash", False), *[("space" if c == " " else c, True) for c in query],
                   ("escape", False)]
        if sum(timed for _, timed in typing) >= presses + warmup:
            break
    return {
        "]": asyncio.run(keystrokes(app(), next_key, warmup)),
        "search": asyncio.run(keystrokes(app(), typing, warmup))[:presses],
        "bare": asyncio.run(keystrokes(BareApp(), [("down", True)] * (presses + warmup),
                                       warmup)),
        "bare panes": asyncio.run(keystrokes(BarePanes(200),
                                             [("down", True)] * (presses + warmup), warmup)),
    }


PALETTE_QUERIES = ["g", "us", "kab", "imf", "evt", "china", "grain", "iran nuc"]


def palette_figures(model_path: Path) -> tuple[list[float], list[float]]:
    """Wall time of the palette's "Go to" search for each query (in-process, under the
    collector as `policyterm` sets it), and of the same query scored by Textual's fuzzy
    matcher over every "Go to" command, which is what the provider did before it chose the
    commands worth scoring: the figure that choice must pay for itself in."""
    from textual.command import Matcher

    from policyterm.core.loading import load_model
    from policyterm.tui.app import PolicyApp
    from policyterm.tui.palette import GO_TO_KINDS, GoToProvider

    ours: list[float] = []
    every: list[float] = []

    async def measure() -> None:
        app = PolicyApp(load_model(model_path))
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            await pilot.pause()
            labels = [f"Go to {entry.label}" for entry in app.search_index.entries
                      if entry.kind in GO_TO_KINDS and entry.target.counterpart is not None]
            gc.collect()
            gc.freeze()
            gc.set_threshold(COLLECTOR_THRESHOLD)
            provider = GoToProvider(app.screen, None)
            for query in PALETTE_QUERIES:
                start = time.perf_counter()
                _ = [hit async for hit in provider.search(query)]
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                matcher = Matcher(query)
                _ = [matcher.match(label) for label in labels]
                every.append(time.perf_counter() - start)
            gc.unfreeze()
            gc.set_threshold(*DEFAULT_THRESHOLDS)

    asyncio.run(measure())
    return ours, every


# -- source lines --------------------------------------------------------------------------------


def source_lines(commit: str | None) -> int:
    """Lines of src/**/*.py and src/**/*.tcss: at `commit` (from git), or in the working tree."""
    if commit is None:
        files = [*SRC.rglob("*.py"), *SRC.rglob("*.tcss")]
        return sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
    counts = subprocess.run(["git", "-C", str(ROOT), "grep", "-c", "", commit, "--",
                             "src/*.py", "src/*.tcss"], capture_output=True, text=True,
                            check=True).stdout
    return sum(int(line.rsplit(":", 1)[1]) for line in counts.splitlines())


# -- the run -------------------------------------------------------------------------------------

WORK = Path(tempfile.gettempdir())  # replaced by the run's temporary directory


def run(args: argparse.Namespace) -> list[tuple[str, ...]]:
    from policyterm.cli import BACKGROUND_LOAD_BYTES

    article = ROOT / "data" / "article.toml"
    model = WORK / f"model-{args.events}.toml"
    model.write_text(generate.generate(args.counterparts, args.events, seed=0),
                     encoding="utf-8")
    size = model.stat().st_size
    large = size > BACKGROUND_LOAD_BYTES  # else it loads before the UI: no loading screen
    log(f"{model.name}: {args.events:,} events, {size / 1e6:.1f} MB")
    policyterm = [PYTHON, "-m", "policyterm"]
    cold_markers = {"loading": LOADING, "listed": listed(args.events)} if large else \
        {"listed": listed(args.events)}
    cold_dirs = (WORK / f"cold-{n}" for n in range(10_000))  # a new, empty cache each launch
    warm_dir = WORK / "warm-cache"
    programs: dict[str, Callable[[], dict[str, float]]] = {
        "bare": lambda: tmux.launch([PYTHON, str(BENCHMARKS / "bare_app.py")], program_env(),
                                    {"first": BARE}),
        "article": lambda: tmux.launch([*policyterm, str(article)], program_env(),
                                       {"first": FIRST}),
        "cold": lambda: tmux.launch([*policyterm, str(model)], program_env(next(cold_dirs)),
                                    cold_markers),
        "warm": lambda: tmux.launch([*policyterm, str(model)], program_env(warm_dir),
                                    {"listed": listed(args.events)}),
    }
    tmux = Tmux()
    try:
        log("untimed: one launch of each (compiles bytecode, fills the warm cache)")
        for launch in programs.values():
            launch()
        # The loading child stores the model after it has answered: give it time to finish.
        deadline = time.monotonic() + TIMEOUT
        while large and not any(warm_dir.glob("*.pickle")) and time.monotonic() < deadline:
            time.sleep(0.1)
        if large and not any(warm_dir.glob("*.pickle")):
            raise BenchError(f"the warm launch left no cache in {warm_dir}")
        times: dict[str, list[dict[str, float]]] = {name: [] for name in programs}
        parses: list[float] = []  # tomli in-process, once a run, for figure 3's baseline
        for number in range(args.runs):
            log(f"launches, run {number + 1}/{args.runs}")
            order = list(programs) if number % 2 == 0 else list(reversed(programs))
            for name in order:
                times[name].append(programs[name]())
            parses.append(tomli_parse(model))
            log("  " + ", ".join(f"{name} {marker} {ms(seconds)}" for name in programs
                                 for marker, seconds in times[name][-1].items())
                + f", tomli {ms(parses[-1])}")
    finally:
        tmux.close()

    def launched(name: str, marker: str) -> list[float]:
        return [one[marker] for one in times[name]]

    log("validate and tomli as processes, alternating")
    validate: list[float] = []
    tomli_process: list[float] = []
    for number in range(max(3, args.runs)):
        pair = [([*policyterm, "validate", str(model)], validate),
                ([PYTHON, "-c", TOMLI, str(model)], tomli_process)]
        for argv, into in pair if number % 2 == 0 else reversed(pair):
            into.append(process_time(argv))

    log(f"keystrokes in-process ({args.presses} each)")
    keys = key_figures(model, args.presses)
    log(f"palette queries in-process ({len(PALETTE_QUERIES)})")
    palette, every_command = palette_figures(model)

    median = statistics.median
    bare = launched("bare", "first")
    events = f"{args.events:,} events"
    rows: list[tuple[str, ...]] = []

    def ratio(figure: str, values: list[float], bases: list[float], base_text: str,
              limit: float) -> None:
        """Measured and baseline: medians. Ratio: the median of the runs' own ratios (one
        run's launches are seconds apart, so they share the machine's load of the moment)."""
        value = median(v / b for v, b in zip(values, bases, strict=True))
        shown = f"{value:.2f}" if f"{value:.2f}" != f"{limit:.2f}" else f"{value:.3f}"
        rows.append((figure, ms(median(values)), f"{ms(median(bases))} {base_text}",
                     f"{shown}x", f"<= {limit:g}x", "pass" if value <= limit else "miss"))

    ratio("1 first screen, article", launched("article", "first"), bare, "bare app", 1.25)
    if large:
        ratio(f"2 {events}, cold: loading shown", launched("cold", "loading"), bare,
              "bare app", 1.5)
    else:
        rows.append((f"2 {events}, cold: loading shown", "n/a", "", "", "<= 1.5x",
                     f"n/a: {size / 1e6:.1f} MB loads before the UI"))
    ratio(f"3 {events}, cold: all listed", launched("cold", "listed"),
          [p + b for p, b in zip(parses, bare, strict=True)],
          f"= tomli {ms(median(parses))} + bare", 1.6)
    ratio(f"4 {events}, warm: all listed", launched("warm", "listed"), bare, "bare app", 1.5)
    def keys_text(name: str) -> str:
        return f"p50 {ms(median(keys[name]))} / p95 {ms(percentile(keys[name], 95))}"

    for name, what, bare_name, bare_what in (
            ("]", "`]` next counterpart", "bare panes", "bare list + pane"),
            ("search", "search keystroke", "bare", "bare list")):
        p95 = percentile(keys[name], 95)
        # The ratio of p95s, to read against Textual's own cost; the budget is absolute.
        rows.append((f"5 {what}, {events}", keys_text(name),
                     f"{bare_what} {keys_text(bare_name)}",
                     f"{p95 / percentile(keys[bare_name], 95):.2f}x", "p95 <= 16 ms",
                     "pass" if p95 <= 0.016 else "miss"))
    ratio(f"6 validate, {events}", validate, tomli_process, "tomli process", 2.0)
    before, now = source_lines(BEFORE_COMMIT), source_lines(None)
    rows.append(("7 source lines of src/", f"{now:,}", f"{before:,} at {BEFORE_COMMIT}",
                 f"{now / before:.2f}x", "<= 0.75x", "pass" if now <= 0.75 * before
                 else "miss"))
    # No budget: the figure the palette's choice of commands to score is kept for.
    rows.append((f"8 palette query, {events}", f"median {ms(median(palette))}, worst "
                 f"{ms(max(palette))}", f"Textual scoring every command: median "
                 f"{ms(median(every_command))}, worst {ms(max(every_command))}",
                 f"{median(p / e for p, e in zip(palette, every_command, strict=True)):.2f}x",
                 "none", "-"))
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    header = ("figure", "measured", "baseline", "ratio", "budget", "result")
    lines = [header, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
            for line in lines]
    text.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(text)


def describe(args: argparse.Namespace) -> str:
    import textual

    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return (f"commit {head or '?'}{' + changes in src/' if dirty else ''}, "
            f"{time.strftime('%Y-%m-%d %H:%M')}, Python {sys.version.split()[0]}, textual "
            f"{textual.__version__}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
            f"{args.runs} runs (medians), {args.presses} presses per key")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed launches of each program (default 11)")
    parser.add_argument("--events", type=int, help="events in the large model (20000)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke test in seconds: a small model, 1 run, 10 presses")
    args = parser.parse_args(argv)
    # --quick: the smallest generated model that still opens behind the loading screen.
    args.runs = args.runs or (1 if args.quick else 11)
    args.events = args.events or (5_000 if args.quick else 20_000)
    args.counterparts = 40 if args.quick else 200
    args.presses = 10 if args.quick else 50
    if args.runs < 1 or args.events < 1:
        parser.error("--runs and --events must be at least 1")
    global WORK
    command = shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]]) if argv is None \
        else shlex.join(["python", "benchmarks/run.py", *argv])
    with tempfile.TemporaryDirectory(prefix="policyterm-bench-") as work:
        WORK = Path(work)
        try:
            rows = run(args)
        except BenchError as error:
            log(f"run.py: {error}")
            return 2
    print(f"`{command}` — {describe(args)}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
