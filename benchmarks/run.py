#!/usr/bin/env python3
"""policyterm's speed benchmarks, each against a baseline measured in the same run.

    python benchmarks/run.py [--quick] [--runs N] [--presses N] [--json FILE]

Prints one table: each row's policyterm number, its baseline, the ratio and PASS/MISS against
the budget. The machine this runs on may be shared and noisy, so every number is a median (or
a percentile) over several runs, and programs compared with each other are run alternately.
See benchmarks/README.md for what each row measures and how.

--quick uses tiny generated models, two runs, a few key presses and headless launches (no
tmux), so a test can run it in seconds; its numbers are not meaningful.
Exit status 0 (with --strict: 1 when a budget is missed), 2 on a failed measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent
ROOT = BENCHMARKS.parent
SRC = ROOT / "src"  # --src replaces it (to compare a patched copy of the package)
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402  (benchmarks/generate.py)

PYTHON = sys.executable
SIZE = (120, 40)
POLL = 0.010  # seconds between screen captures
# Memory is sampled every 5th capture before the markers (reading a child's smaps_rollup
# takes ~0.5 ms of this process and the child's page-table lock: not every 10 ms).
CHILD_SAMPLE_POLLS = 5
LAUNCH_TIMEOUT = 60.0
BARE_MARKERS = [["first", [["text", "Bare list"], ["text", "Bare item 000"]]]]


class BenchError(Exception):
    """A measurement that could not be made (a program crashed or never showed its marker)."""


# ---------------------------------------------------------------------------------------------
# Statistics and the table


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


@dataclass
class Row:
    number: str
    what: str
    value: str
    baseline: str
    ratio: str
    budget: str
    passed: bool | None  # None: informational, no budget
    note: str = ""

    @property
    def result(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "MISS")


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.rows.append(Row(*args, **kwargs))

    def table(self) -> str:
        headers = ("#", "measure", "policyterm", "baseline", "ratio", "budget", "result")
        cells = [(r.number, r.what, r.value, r.baseline, r.ratio, r.budget, r.result)
                 for r in self.rows]
        widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
                  for i, h in enumerate(headers)]
        lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
                 "-|-".join("-" * w for w in widths)]
        lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
                  for row in cells]
        notes = [f"  {r.number} {r.what.strip()}: {r.note}" for r in self.rows if r.note]
        if notes:
            lines += ["", "Notes:", *notes]
        return "\n".join(lines)


def ratio_row(report: Report, number: str, what: str, value: float, baseline: float,
              baseline_text: str, limit: float, fmt: Callable[[float], str] = ms) -> None:
    ratio = value / baseline if baseline > 0 else float("inf")
    report.add(number, what, fmt(value), f"{fmt(baseline)} {baseline_text}".strip(),
               f"{ratio:.2f}x", f"<= {limit:g}x", ratio <= limit)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Launching programs in a terminal (tmux) or headless, until markers are on screen


def _reached(text: str, patterns: list[list[str]]) -> bool:
    return all((p in text) if kind == "text" else re.search(p, text) is not None
               for kind, p in patterns)


# Where launched programs keep their bytecode (None: leave the environment as it is).
PYCACHE: Path | None = None


def program_env() -> dict[str, str]:
    """The environment of launched programs: policyterm from this checkout, and bytecode
    cached outside it (an installed package has compiled .pyc files; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would recompile policyterm at every start)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("TEXTUAL", None)  # no devtools
    if PYCACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def tmux_command(argv: list[str]) -> str:
    """The shell command a tmux session runs: `argv` in program_env's environment.

    The program inherits the tmux server's environment, not this process's, so the variables
    program_env sets go on the command line and those it removes are unset there. (Until
    commit 87d207c only PYTHONPATH was passed: launched programs kept PYTHONDONTWRITEBYTECODE
    where the shell had it and recompiled policyterm at every start, ~25 ms.)"""
    env = program_env()
    unset = [arg for name in sorted(set(os.environ) - set(env)) for arg in ("-u", name)]
    assign = [f"{name}={env[name]}" for name in ("PYTHONPATH", "PYTHONPYCACHEPREFIX")
              if name in env]
    return "exec env " + shlex.join([*unset, *assign, *argv])


class TmuxLauncher:
    """Each launch: a new detached tmux session of 120x40 running the program; the screen is
    captured every POLL seconds until each marker is on it. Times run from just before
    `tmux new-session` to the capture that first showed the marker. Peak memory is that of
    the program and its child processes (see _TreeMemory), sampled until it has settled."""

    name = "tmux"

    def __init__(self) -> None:
        self.socket = f"policyterm-bench-{os.getpid()}"
        self.count = 0
        # Start the server with a session that stays, so no launch pays for server start-up;
        # a program that exits leaves its last screen, to report.
        self._tmux("new-session", "-d", "-s", "keep", "-x", "20", "-y", "5", "sleep 86400")
        self._tmux("set-option", "-g", "remain-on-exit", "on")

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                              text=True, check=False)

    def close(self) -> None:
        socket = self._tmux("display-message", "-p", "-t", "keep", "#{socket_path}").stdout
        self._tmux("kill-server")
        if socket.strip():
            Path(socket.strip()).unlink(missing_ok=True)

    def launch(self, argv: list[str], markers: list[list[Any]]) -> dict[str, float]:
        self.count += 1
        session = f"run{self.count}"
        command = tmux_command(argv)
        start = time.monotonic()
        created = self._tmux("new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", session,
                             "-x", str(SIZE[0]), "-y", str(SIZE[1]), command)
        if created.returncode != 0:
            raise BenchError(f"tmux new-session failed: {created.stderr.strip()}")
        pid = int(created.stdout.strip())
        found: dict[str, float] = {}
        memory = _TreeMemory(pid)
        text = ""
        polls = 0
        try:
            while len(found) < len(markers):
                now = time.monotonic()
                if now - start > LAUNCH_TIMEOUT:
                    raise BenchError(f"{shlex.join(argv)}: no marker after {LAUNCH_TIMEOUT:.0f}"
                                     f" s; the screen was:\n{text}")
                polls += 1
                if polls % 25 == 0 and self._dead(session):
                    text = self._tmux("capture-pane", "-p", "-t", session).stdout
                    raise BenchError(f"{shlex.join(argv)} exited before its marker was on "
                                     f"screen; the screen was:\n{text.rstrip()}")
                text = self._tmux("capture-pane", "-p", "-t", session).stdout
                seen = time.monotonic()
                if polls % CHILD_SAMPLE_POLLS == 1:
                    memory.sample()
                for name, patterns in markers:
                    if name not in found and _reached(text, patterns):
                        found[name] = seen - start
                if len(found) < len(markers):
                    time.sleep(max(0.0, POLL - (time.monotonic() - now)))
            memory.settle()
            found["maxrss_kb"] = memory.peak_kb
            found["children_kb"] = memory.children_peak_kb
        finally:
            self._tmux("kill-session", "-t", session)
        return found


    def _dead(self, session: str) -> bool:
        shown = self._tmux("display-message", "-p", "-t", session, "#{pane_dead}")
        return shown.returncode != 0 or shown.stdout.strip() == "1"


class _TreeMemory:
    """The peak memory of a launched program and its child processes.

    The program's own peak is its VmHWM (the kernel's high-water mark: exact). A child (the
    tail parser policyterm forks for a large file) adds what it has of its own; the two peak
    at different times, so their sum is taken at each sample (VmRSS + the children's private
    memory) and the largest such sum kept. Samples are one per CHILD_SAMPLE_POLLS screen
    captures (50 ms), then one per SETTLE_POLL until the program has settled."""

    SETTLE_POLL = 0.05  # s
    SETTLED_AFTER = 1.5  # s without a new high (policyterm builds its search index 0.5 s
    # after a load: it must have had its turn)
    SETTLE_LIMIT = 8.0  # s at most

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.tree_kb = 0.0
        self.children_peak_kb = 0.0

    @property
    def peak_kb(self) -> float:
        return max(self.tree_kb, _status_kb(self.pid, "VmHWM"))

    def sample(self) -> None:
        children = sum(_children_private(self.pid).values())
        self.children_peak_kb = max(self.children_peak_kb, children)
        self.tree_kb = max(self.tree_kb, _status_kb(self.pid, "VmRSS") + children)

    def settle(self) -> None:
        """Keep sampling until the peak has not grown for SETTLED_AFTER seconds."""
        start = last_growth = time.monotonic()
        peak = self.peak_kb
        while time.monotonic() - last_growth < self.SETTLED_AFTER and \
                time.monotonic() - start < self.SETTLE_LIMIT:
            time.sleep(self.SETTLE_POLL)
            self.sample()
            if self.peak_kb > peak:
                peak, last_growth = self.peak_kb, time.monotonic()


def _children_private(pid: int) -> dict[int, float]:
    """The private memory (kB) of each child process of `pid` now.

    A forked child shares the pages it had at the fork with its parent, which VmHWM already
    counts; what the child adds is what it has of its own (Private_Clean + Private_Dirty in
    smaps_rollup). Sampled every 50 ms, so a peak between two samples can be missed."""
    try:
        pids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return {}
    private: dict[int, float] = {}
    for child in map(int, pids):
        try:
            rollup = Path(f"/proc/{child}/smaps_rollup").read_text()
        except OSError:
            continue
        private[child] = float(sum(int(kb) for kb in re.findall(
            r"^Private_(?:Clean|Dirty):\s+(\d+) kB", rollup, re.MULTILINE)))
    return private


def _status_kb(pid: int, field: str) -> float:
    """A kB figure of /proc/PID/status (VmHWM, VmRSS); 0 once the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


class HeadlessLauncher:
    """Each launch: the program in a subprocess under benchmarks/headless.py (Textual's
    headless driver at 120x40); times run from just before the spawn to the frame that first
    showed the marker. Peak memory is the program's ru_maxrss (plus its children's), taken
    `settle` seconds after every marker is reached (0 with --quick, which wants speed)."""

    name = "headless"

    def __init__(self, settle: float) -> None:
        self.settle = settle

    def close(self) -> None:
        pass

    def launch(self, argv: list[str], markers: list[list[Any]]) -> dict[str, float]:
        command = [argv[0], str(BENCHMARKS / "headless.py"), "--settle", str(self.settle),
                   json.dumps(markers), "--", *argv[1:]]
        start = time.monotonic()
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=program_env(),
                                  timeout=LAUNCH_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise BenchError(f"{shlex.join(argv)}: no marker after {LAUNCH_TIMEOUT:.0f} s"
                             ) from None
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            raise BenchError(f"{shlex.join(argv)} failed (exit {done.returncode}):\n"
                             f"{done.stderr[-2000:]}")
        result = json.loads(lines[-1])
        found = {name: when - start for name, when in result["marks"].items()}
        found["maxrss_kb"] = float(result["maxrss_kb"])
        return found


def policyterm_markers(model_path: Path, listed: bool) -> list[list[Any]]:
    """First screen: the list's border title, the first counterpart's name and Detail's
    heading of its relationship ("Pakistan ↔ United States"). Everything listed: the
    timeline's border subtitle counting every event ("37/20000 · all events")."""
    from policyterm.core.loading import load_model
    from policyterm.core.views import ModelView

    model = load_model(model_path)
    view = ModelView(model)
    first_name = view.counterparts[0].name[:20] if view.counterparts else ""
    first = [["text", "Counterparts"], ["text", first_name]]
    if view.counterparts and view.relationships_of(view.counterparts[0].id):
        first.append(["text", "↔"])  # Detail shows the selection (no other pane has "↔")
    markers: list[list[Any]] = [["first", first]]
    if listed:
        count = f"{len(model.events):,}".replace(",", ",?")  # 20000 or 20,000
        markers.append(["listed", [*first, ["re", rf"(?<![\d,.]){count}(?![\d,.])"]]])
    return markers


def launch_retrying(launcher: TmuxLauncher | HeadlessLauncher, argv: list[str],
                    markers: list[list[Any]]) -> dict[str, float]:
    """One launch; on a failure, one more try (the failure is logged, not hidden)."""
    try:
        return launcher.launch(argv, markers)
    except BenchError as error:
        log(f"launch failed, trying once more: {error}")
        return launcher.launch(argv, markers)


def timed_process(argv: list[str]) -> float:
    """Wall time of a whole process, start to exit (output discarded)."""
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env=program_env(), check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchError(f"{shlex.join(argv)} failed: {done.stderr.decode()[-1000:]}")
    return elapsed


# ---------------------------------------------------------------------------------------------
# In-process measurements


def time_calls(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def tomli_load(path: Path) -> object:
    import tomli

    with path.open("rb") as handle:
        return tomli.load(handle)


TOMLI_SCRIPT = "import sys, tomli; tomli.load(open(sys.argv[1], 'rb'))"


@dataclass
class KeyPlan:
    """A key to time, the pane to focus first, and an untimed key that brings the cursor
    back when the timed key would no longer move it (end of the list or timeline)."""

    label: str
    key: str
    focus: str | None = None  # a widget id
    at_end: Callable[[Any], bool] | None = None
    reset: str | None = None


def _list_at_end(app: Any, widget_id: str = "counterparts") -> bool:
    widget = app.query_one(f"#{widget_id}")
    return bool(widget.highlighted is not None
                and widget.highlighted >= widget.option_count - 1)


def _timeline_at(app: Any, last: bool) -> bool:
    timeline = app.query_one("#timeline")
    shown = list(getattr(timeline, "shown", ()))
    if not shown or timeline.cursor is None:
        return False
    return bool(timeline.cursor == (shown[-1] if last else shown[0]))


KEY_PLANS = [
    KeyPlan("]", "right_square_bracket"),
    KeyPlan("down (list)", "down", focus="counterparts", at_end=_list_at_end, reset="home"),
    KeyPlan("right (timeline)", "right", focus="timeline",
            at_end=lambda app: _timeline_at(app, last=True), reset="home"),
    KeyPlan("left (timeline)", "left", focus="timeline",
            at_end=lambda app: _timeline_at(app, last=False), reset="end"),
]
SEARCH_TYPED = ["china", "united states", "water", "border", "muller", "sanctions"]


class VirtualScreen:
    """The terminal's cells, rebuilt from the frames the app produced (after the timing, so
    it costs the measured app nothing): tells which frame first showed the final picture."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows: list[list[tuple[str, object]]] = [[(" ", None)] * width
                                                     for _ in range(height)]

    def apply(self, update: Any, console: Any) -> None:
        from rich.cells import get_character_cell_size
        from rich.segment import ControlType

        x = y = 0
        for segment in update.__rich_console__(console, console.options):
            if segment.control:
                for code in segment.control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]
                continue
            for char in segment.text:
                if char == "\n":
                    x, y = 0, y + 1
                    continue
                cells = get_character_cell_size(char)
                if 0 <= y < self.height and 0 <= x < self.width:
                    row = self.rows[y]
                    row[x] = (char, segment.style)
                    if cells == 2 and x + 1 < self.width:
                        row[x + 1] = ("", segment.style)
                x += cells

    def snapshot(self) -> tuple[tuple[tuple[str, object], ...], ...]:
        return tuple(tuple(row) for row in self.rows)


async def key_latencies(model_path: Path, presses: int, warmup: int = 3) -> dict[str, Any]:
    from policyterm.core.loading import load_model
    from policyterm.tui.app import PolicyApp

    app = PolicyApp(load_model(model_path), source=str(model_path))
    return await measure_keys(app, KEY_PLANS, presses, warmup, search=True)


BARE_PLANS = [KeyPlan("down (bare list)", "down", focus="list",
                      at_end=lambda app: _list_at_end(app, "list"), reset="home")]


async def bare_key_latencies(presses: int, warmup: int = 3) -> dict[str, Any]:
    from bare_app import BareApp

    return await measure_keys(BareApp(), BARE_PLANS, presses, warmup, search=False)


async def measure_keys(app: Any, plans: list[KeyPlan], presses: int, warmup: int,
                       search: bool) -> dict[str, Any]:
    """Key-to-repaint times under Pilot, per key: see README.md ("row 3").

    `App._display` is wrapped: it is called with each frame the compositor produces, and the
    wrapper encodes the frame as the terminal driver would, then stamps the time. A press is
    timed from just before `pilot.press` to the stamp of the first frame after which the
    screen (replayed cell by cell, afterwards) is what it is once the app has gone quiet
    ("done"); "first" is the first frame that changed anything."""
    # Frames not yet replayed. Replayed ones are dropped at once: kept, they would make every
    # full garbage collection in the measured app walk the harness's own objects.
    frames: list[tuple[float, Any]] = []
    last_frame_at = 0.0
    results: dict[str, Any] = {}
    virtual = VirtualScreen(*SIZE)

    def replay_to_end() -> list[tuple[float, Any]]:
        """Apply every frame not yet applied; (time, picture after it) for each."""
        pictures = []
        for stamp, update in frames:
            virtual.apply(update, app.console)
            pictures.append((stamp, virtual.snapshot()))
        frames.clear()
        return pictures

    async with app.run_test(size=SIZE) as pilot:
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            nonlocal last_frame_at
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)  # encode it as a terminal needs
            last_frame_at = time.perf_counter()
            frames.append((last_frame_at, renderable))

        app._display = display
        # Everything drawn so far is in the compositor; start the replay from a full frame.
        frames.append((time.perf_counter(), app.screen._compositor.render_update(full=True)))

        async def settle(quiet: float = 0.05) -> None:
            """Until no frame has been produced for `quiet` seconds."""
            since = time.perf_counter()
            while True:
                if time.perf_counter() - max(since, last_frame_at) >= quiet:
                    return
                await asyncio.sleep(0.005)

        async def timed(key: str) -> tuple[float, float] | None:
            """(first change, done) in seconds, or None if the screen did not change."""
            await settle()
            before = replay_to_end()[-1][1] if frames else virtual.snapshot()
            start = time.perf_counter()
            await pilot.press(key)
            await settle()
            pictures = replay_to_end()
            if not pictures or pictures[-1][1] == before:
                return None
            final = pictures[-1][1]
            first = next(stamp for stamp, picture in pictures if picture != before)
            done = next(stamp for stamp, picture in pictures if picture == final)
            return first - start, done - start

        async def untimed(key: str) -> None:
            await pilot.press(key)
            await settle()
            replay_to_end()

        def record(kind: str) -> dict[str, Any]:
            entry: dict[str, Any] = results.setdefault(
                kind, {"first": [], "done": [], "no_repaint": 0})
            return entry

        await settle()
        # Background work started with the first screen (the search index) must not share
        # the GIL with the presses being timed.
        await app.workers.wait_for_complete()
        await settle()
        for plan in plans:
            if plan.focus:
                app.query_one(f"#{plan.focus}").focus()
                await settle()
            entry = record(plan.label)
            for number in range(presses + warmup):
                if plan.at_end and plan.reset and plan.at_end(app):
                    await untimed(plan.reset)
                got = await timed(plan.key)
                if got is None:
                    entry["no_repaint"] += 1
                elif number >= warmup:
                    entry["first"].append(got[0])
                    entry["done"].append(got[1])

        # Typing in the search dialog: every keystroke re-runs the search and lists results.
        entry = record("type in / search") if search else {}
        typed = 0
        if search:
            app.query_one("#counterparts").focus()
        while search and typed < presses + warmup:
            for query in SEARCH_TYPED:
                await untimed("slash")
                for char in query:
                    got = await timed("space" if char == " " else char)
                    typed += 1
                    if got is None:
                        entry["no_repaint"] += 1
                    elif typed > warmup:
                        entry["first"].append(got[0])
                        entry["done"].append(got[1])
                await untimed("escape")
                if typed >= presses + warmup:
                    break
        await pilot.press("q")
    return results


SEARCH_QUERIES = ["c", "ch", "chi", "chin", "china", "u", "un", "united s", "united states",
                  "w", "wa", "wat", "water", "border sec", "muller", "antonio", "2021",
                  "jun 2023", "sanctions on", "xaa"]


def search_times(model_path: Path, builds: int, repeats: int) -> dict[str, Any]:
    from policyterm.core.loading import load_model
    from policyterm.core.search import SearchIndex
    from policyterm.core.views import ModelView

    model = load_model(model_path)
    view_times = time_calls(lambda: ModelView(model), builds)
    view = ModelView(model)
    build_times = time_calls(lambda: SearchIndex(view), builds)
    index = SearchIndex(view)
    queries: list[float] = []
    hits: dict[str, int] = {}
    for _ in range(repeats):
        for query in SEARCH_QUERIES:
            start = time.perf_counter()
            found = index.search(query)
            queries.append(time.perf_counter() - start)
            hits[query] = len(found)
    return {"view": view_times, "build": build_times, "query": queries, "hits": hits}


# ---------------------------------------------------------------------------------------------
# The benchmark


def article_model(args: argparse.Namespace, workdir: Path) -> tuple[Path, str]:
    """The bundled article, or a generated stand-in of article size when it is missing."""
    if args.article:
        return Path(args.article), args.article
    bundled = ROOT / "data" / "article.toml"
    if bundled.is_file() and not args.quick:
        return bundled, "data/article.toml"
    counterparts, events = (5, 12) if args.quick else (12, 30)
    path = workdir / "article-standin.toml"
    path.write_text(generate.generate(counterparts, events, seed=1), encoding="utf-8")
    why = "--quick" if args.quick else "data/article.toml is missing"
    return path, f"generated {counterparts}x{events} stand-in ({why})"


def run(args: argparse.Namespace) -> Report:
    report = Report()
    workdir = Path(tempfile.mkdtemp(prefix="policyterm-bench-"))
    try:
        return _run(args, report, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, report: Report, workdir: Path) -> Report:
    runs, presses = args.runs, args.presses
    counterparts, events = args.counterparts, args.events
    article_path, article_label = article_model(args, workdir)
    large_path = workdir / f"model-{counterparts}x{events}.toml"
    start = time.perf_counter()
    large_path.write_text(generate.generate(counterparts, events, seed=0), encoding="utf-8")
    log(f"generated {large_path.name} ({large_path.stat().st_size / 2**20:.1f} MiB) "
        f"in {time.perf_counter() - start:.1f} s; article: {article_label}")
    large = f"{events:,} events"
    report.raw["models"] = {"article": article_label,
                            "large": f"generate.py {counterparts} {events} --seed 0"}

    use_tmux = not args.headless and not args.quick and shutil.which("tmux") is not None
    launcher: TmuxLauncher | HeadlessLauncher = TmuxLauncher() if use_tmux else \
        HeadlessLauncher(settle=0.0 if args.quick else _TreeMemory.SETTLED_AFTER)
    report.raw["launcher"] = launcher.name

    # -- rows 1, 2 and 6: launches, alternating programs run by run -----------------------------
    programs = {
        "bare": ([PYTHON, str(BENCHMARKS / "bare_app.py")], BARE_MARKERS),
        "article": ([PYTHON, "-m", "policyterm", str(article_path)],
                    policyterm_markers(article_path, listed=False)),
        "large": ([PYTHON, "-m", "policyterm", str(large_path)],
                  policyterm_markers(large_path, listed=True)),
    }
    if use_tmux and shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        # For reference: on one core policyterm forks no tail parser (see tail_parse).
        programs["large-one-core"] = (["taskset", "-c", "0", *programs["large"][0]],
                                      programs["large"][1])
    launches: dict[str, list[dict[str, float]]] = {name: [] for name in programs}
    tomli_process: list[float] = []
    global PYCACHE
    if not args.no_pycache:
        PYCACHE = workdir / "pycache"
    try:
        log(f"warm-up launch of each program ({launcher.name}, untimed)")
        for argv, markers in programs.values():
            launch_retrying(launcher, argv, markers)
        timed_process([PYTHON, "-c", TOMLI_SCRIPT, str(large_path)])
        timed_process([PYTHON, "-m", "policyterm", "validate", str(large_path)])
        for number in range(runs):
            log(f"launch run {number + 1}/{runs} ({launcher.name})")
            order = list(programs) if number % 2 == 0 else list(reversed(programs))
            for name in order:
                argv, markers = programs[name]
                launches[name].append(launch_retrying(launcher, argv, markers))
            tomli_process.append(timed_process([PYTHON, "-c", TOMLI_SCRIPT, str(large_path)]))
    finally:
        launcher.close()
    report.raw["launches"] = launches

    def launch_median(name: str, key: str) -> float:
        return median([run[key] for run in launches[name]])

    bare_first = launch_median("bare", "first")
    how = f"bare app ({launcher.name})"
    ratio_row(report, "1", f"first screen, article [{launcher.name}]",
              launch_median("article", "first"), bare_first, how, 1.25)
    ratio_row(report, "2a", f"first screen, {large} [{launcher.name}]",
              launch_median("large", "first"), bare_first, how, 1.5)

    # -- rows 2b and 5: the TOML parse alone, load_model, validate ------------------------------
    log("timing tomli and the loader in-process")
    from policyterm.core.loading import load_model

    parse_runs = max(3, runs)
    tomli_inproc: list[float] = []
    loader_inproc: list[float] = []
    for _ in range(parse_runs):  # alternating
        tomli_inproc += time_calls(lambda: tomli_load(large_path), 1)
        loader_inproc += time_calls(lambda: load_model(large_path), 1)
    parse = median(tomli_inproc)
    listed_baseline = parse + bare_first
    ratio_row(report, "2b", f"everything listed, {large} [{launcher.name}]",
              launch_median("large", "listed"), listed_baseline,
              f"= tomli in-process {ms(parse)} + bare", 1.5)
    report.add("2c", "  (info) tomli parse as a whole process",
               ms(median(tomli_process)), "", "", "", None)
    if "large-one-core" in launches:
        one_core = launch_median("large-one-core", "listed")
        report.add("2d", "  (info) everything listed, one core (taskset -c 0)",
                   ms(one_core), f"{ms(listed_baseline)} as in 2b",
                   f"{one_core / listed_baseline:.2f}x", "", None)

    log("timing validate as whole processes")
    validate_process: list[float] = []
    tomli_process_v: list[float] = []
    for _ in range(parse_runs):
        tomli_process_v.append(timed_process([PYTHON, "-c", TOMLI_SCRIPT, str(large_path)]))
        validate_process.append(timed_process([PYTHON, "-m", "policyterm", "validate",
                                               str(large_path)]))

    # -- row 3: key to repaint under Pilot ------------------------------------------------------
    log(f"key to repaint in the bare app ({presses} presses)")
    warmup = 1 if args.quick else 3
    bare_keys = asyncio.run(bare_key_latencies(presses, warmup))["down (bare list)"]
    bare_p95 = percentile(bare_keys["done"], 95) if bare_keys["done"] else float("nan")
    latencies: dict[str, dict[str, Any]] = {"bare": {"down (bare list)": bare_keys}}
    for size_label, path, budget in (("article", article_path, 0.016),
                                     (large, large_path, 0.050)):
        log(f"key to repaint at {size_label} ({presses} presses per key)")
        results = asyncio.run(key_latencies(path, presses, warmup))
        latencies[size_label] = results
        for label, times in results.items():
            lasts = times["done"]
            if not lasts:
                report.add("3", f"key->repaint {label}, {size_label}", "no repaint", "", "",
                           f"p95 <= {budget * 1000:g} ms", False)
                continue
            p95 = percentile(lasts, 95)
            note = f" ({times['no_repaint']} presses did not repaint)" if times["no_repaint"] \
                else ""
            report.add("3", f"key->repaint {label}, {size_label}{note}",
                       f"p50 {ms(median(lasts))} / p95 {ms(p95)}",
                       f"bare down p95 {ms(bare_p95)}", f"{p95 / bare_p95:.1f}x",
                       f"p95 <= {budget * 1000:g} ms", p95 <= budget,
                       note=f"first changed frame p50 {ms(median(times['first']))} / "
                            f"p95 {ms(percentile(times['first'], 95))}")
    report.raw["key_latencies"] = latencies

    # -- row 4: search ---------------------------------------------------------------------------
    log("search at the large model")
    searched = search_times(large_path, builds=max(3, runs // 2), repeats=2 if args.quick
                            else 10)
    report.raw["search"] = searched
    report.add("4a", f"SearchIndex build, {large}", ms(median(searched["build"])),
               f"ModelView build {ms(median(searched['view']))}", "", "", None)
    p95 = percentile(searched["query"], 95)
    report.add("4b", f"search query per keystroke, {large}",
               f"p50 {ms(median(searched['query']))} / p95 {ms(p95)}",
               f"{len(SEARCH_QUERIES)} queries", "", "p95 <= 16 ms", p95 <= 0.016)

    # -- row 5 -------------------------------------------------------------------------------------
    ratio_row(report, "5a", f"validate (load_model) in-process, {large}",
              median(loader_inproc), parse, "tomli.load in-process", 2.0)
    ratio_row(report, "5b", f"policyterm validate as a process, {large}",
              median(validate_process), median(tomli_process_v),
              "python -c 'tomli.load' process", 2.0)

    # -- row 6 -------------------------------------------------------------------------------------
    memory = "VmHWM + children" if launcher.name == "tmux" else "ru_maxrss + children"
    ratio_row(report, "6", f"peak memory ({memory}), {large}",
              launch_median("large", "maxrss_kb"), launch_median("bare", "maxrss_kb"),
              "bare app", 3.0, fmt=mib)
    report.add("6b", "  (info) peak memory, article", mib(launch_median("article",
                                                                          "maxrss_kb")),
               "", "", "", None)
    if launcher.name == "tmux":
        report.add("6c", "  (info) of which the tail parser's private memory",
                   mib(launch_median("large", "children_kb")), "", "", "", None)
    report.raw["in_process"] = {"tomli": tomli_inproc, "load_model": loader_inproc,
                                "tomli_process": tomli_process_v,
                                "validate_process": validate_process}
    return report


def source_state() -> str:
    """Which policyterm was measured: the commit, and whether src/ had uncommitted changes."""
    if (ROOT / "src").resolve() != SRC:
        return f"policyterm from {SRC}"
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "src/ (not a git checkout)"
    return f"commit {head}" + (" + uncommitted changes in src/" if dirty else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="tiny models, 2 runs, few presses, headless launches (seconds)")
    parser.add_argument("--runs", type=int, help="launches of each program (7; --quick 2)")
    parser.add_argument("--presses", type=int, help="presses per key (50; --quick 4)")
    parser.add_argument("--counterparts", type=int, help="large model (200; --quick 8)")
    parser.add_argument("--events", type=int, help="large model (20000; --quick 200)")
    parser.add_argument("--article", metavar="FILE",
                        help="article-size model (default data/article.toml, or a stand-in)")
    parser.add_argument("--headless", action="store_true",
                        help="launch headless under Pilot's driver instead of in tmux")
    parser.add_argument("--no-pycache", action="store_true",
                        help="launch programs with the environment as it is (by default they "
                             "cache bytecode in a temporary directory, as if installed)")
    parser.add_argument("--src", metavar="DIR", type=Path, default=ROOT / "src",
                        help="the directory policyterm is imported from (default: src/)")
    parser.add_argument("--json", metavar="FILE", help="also write every raw number here")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a budget is missed")
    args = parser.parse_args(argv)
    quick = args.quick
    args.runs = args.runs or (2 if quick else 7)
    args.presses = args.presses or (4 if quick else 50)
    args.counterparts = args.counterparts or (8 if quick else 200)
    args.events = args.events or (200 if quick else 20000)
    if args.runs < 1 or args.presses < 1 or args.counterparts < 1 or args.events < 1:
        parser.error("--runs, --presses, --counterparts and --events must be at least 1")

    global SRC
    SRC = args.src.resolve()
    sys.path.insert(0, str(SRC))
    started = time.strftime("%Y-%m-%d %H:%M")
    try:
        report = run(args)
    except BenchError as error:
        print(f"run.py: {error}", file=sys.stderr)
        return 2
    command = "python benchmarks/run.py " + " ".join(
        shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    import textual

    print(f"policyterm benchmarks — {command.strip()} — {started} — {source_state()}")
    print(f"Python {sys.version.split()[0]}, textual {textual.__version__}, "
          f"{os.cpu_count()} CPUs; launches: {report.raw['launcher']}, "
          f"{args.runs} runs (medians); article: {report.raw['models']['article']}; "
          f"large: {report.raw['models']['large']}")
    print()
    print(report.table())
    missed = [row for row in report.rows if row.passed is False]
    print()
    print(f"{len(missed)} budget(s) missed" + (": " + ", ".join(r.number for r in missed)
                                               if missed else ""))
    if args.json:
        Path(args.json).write_text(json.dumps({"command": command, "date": started,
                                               "rows": [r.__dict__ for r in report.rows],
                                               "raw": report.raw}, indent=1, default=str))
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
