"""The benchmark tools work: generated models are valid and of the size asked for, and
`benchmarks/run.py --quick` runs to the end. No timing is asserted here."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import tomli

from policyterm.loader import load_model
from policyterm.model import EntityKind, Model
from policyterm.views import ModelView

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402  (benchmarks/generate.py)


def generated(tmp_path: Path, counterparts: int, events: int, seed: int) -> Model:
    path = tmp_path / f"model-{counterparts}-{events}-{seed}.toml"
    path.write_text(generate.generate(counterparts, events, seed), encoding="utf-8")
    return load_model(path)


def precision(model: Model) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for event in model.events:
        date = event.date
        kinds["interval" if date.is_interval else date.start.precision] += 1
        qualifier = date.start.qualifier or (date.end.qualifier if date.end else "")
        if qualifier:
            kinds[qualifier] += 1
    return kinds


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize(("counterparts", "events"), [(3, 40), (12, 300), (30, 1000)])
def test_generated_model_validates_with_the_counts_asked_for(
    tmp_path: Path, counterparts: int, events: int, seed: int
) -> None:
    model = generated(tmp_path, counterparts, events, seed)
    view = ModelView(model)
    assert len(view.counterparts) == counterparts
    assert len(model.events) == events
    assert len(model.themes) == 20
    assert len(model.figures) == events // 10
    people = [e for e in model.entities if e.kind is EntityKind.PERSON]
    assert len(people) == max(1, counterparts // 2)
    focus = model.article.focus
    with_focus = [r for r in model.relationships if focus in r.pair]
    assert len(with_focus) == counterparts
    assert len(model.relationships) == counterparts + counterparts // 10
    assert all(30 <= len(e.title) <= 80 for e in model.events)
    assert all(e.summary is None or 1 <= e.summary.count(". ") + 1 <= 3 for e in model.events)
    years = {e.date.lower.year for e in model.events}
    assert years <= set(range(2018, 2024))
    if events >= 300:
        assert len(years) == 6


@pytest.mark.parametrize("seed", [0, 7])
def test_generated_dates_mix_every_precision(tmp_path: Path, seed: int) -> None:
    kinds = precision(generated(tmp_path, 12, 300, seed))
    for kind in ("day", "month", "year", "interval", "~", "?"):
        assert kinds[kind] > 0, kinds
    assert kinds["day"] > kinds["month"] > kinds["year"]
    assert kinds["~"] + kinds["?"] < 0.15 * 300


def test_generated_counterparts_are_mostly_countries_with_three_letter_ids(
    tmp_path: Path,
) -> None:
    view = ModelView(generated(tmp_path, 40, 100, 0))
    kinds = Counter(entity.kind for entity in view.counterparts)
    assert kinds[EntityKind.COUNTRY] > len(view.counterparts) / 2
    assert {EntityKind.BLOC, EntityKind.ORGANISATION, EntityKind.ARMED_GROUP} <= set(kinds)
    for entity in view.counterparts:
        if entity.kind is EntityKind.COUNTRY:
            assert len(entity.id) == 3 and entity.id.isupper(), entity.id


def test_same_seed_same_bytes_other_seed_other_model() -> None:
    assert generate.generate(10, 50, seed=3) == generate.generate(10, 50, seed=3)
    assert generate.generate(10, 50, seed=3) != generate.generate(10, 50, seed=4)


@pytest.mark.parametrize("text", [
    'plain', 'a "quoted" word', "back\\slash \\n not a newline", "new\nline and\ttab",
    "bell \x07 escape \x1b delete \x7f nul \x00", "António, Zoë, Côte d'Ivoire, ¶ → ↔",
    "'''", '"""', "trailing backslash \\",
])
def test_toml_string_round_trips(text: str) -> None:
    assert tomli.loads(f"key = {generate.toml_string(text)}")["key"] == text


def test_command_line_writes_a_file_and_stdout(tmp_path: Path) -> None:
    output = tmp_path / "model.toml"
    script = str(BENCHMARKS / "generate.py")
    subprocess.run([sys.executable, script, "6", "30", "--seed", "2", "-o", str(output)],
                   check=True, timeout=60)
    printed = subprocess.run([sys.executable, script, "6", "30", "--seed", "2"],
                             check=True, capture_output=True, timeout=60).stdout
    assert printed == output.read_bytes()
    validated = subprocess.run([sys.executable, "-m", "policyterm", "validate", str(output)],
                               capture_output=True, text=True, timeout=60,
                               env=_env())
    assert validated.returncode == 0, validated.stderr
    assert "30 events" in validated.stdout


def test_command_line_rejects_a_model_without_counterparts() -> None:
    done = subprocess.run([sys.executable, str(BENCHMARKS / "generate.py"), "0", "10"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "COUNTERPARTS" in done.stderr


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      env.get("PYTHONPATH")]))
    return env


def test_run_quick_completes_and_prints_the_table(tmp_path: Path) -> None:
    raw = tmp_path / "raw.json"
    done = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--quick",
                           "--json", str(raw)],
                          capture_output=True, text=True, timeout=300, env=_env())
    assert done.returncode == 0, done.stdout + done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("#"))
    for column in ("measure", "policyterm", "baseline", "ratio", "budget", "result"):
        assert column in header
    for row in ("first screen", "everything listed", "key->repaint", "search query",
                "validate", "peak memory"):
        assert row in done.stdout
    assert raw.is_file()


def test_tmux_launches_get_the_bytecode_cache_and_not_the_shell_s_opt_out(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shlex

    import run

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setattr(run, "PYCACHE", tmp_path / "pycache")
    words = shlex.split(run.tmux_command(["python", "-m", "policyterm", "model.toml"]))
    assert words[:2] == ["exec", "env"]
    assert words[words.index("PYTHONDONTWRITEBYTECODE") - 1] == "-u"
    assert f"PYTHONPYCACHEPREFIX={tmp_path / 'pycache'}" in words
    assert any(word.startswith("PYTHONPATH=") and str(run.SRC) in word for word in words)
    assert words[-4:] == ["python", "-m", "policyterm", "model.toml"]


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_tree_memory_adds_a_child_s_own_memory_to_the_program_s() -> None:
    import os
    import signal
    import time

    import run

    # The child writes 40 MiB of its own (bytes built, not calloc'd: every page is touched).
    code = ("import os, sys, time\n"
            "if os.fork() == 0:\n"
            "    block = b'x' * (40 * 2**20)\n"
            "    time.sleep(30)\n"
            "    os._exit(0)\n"
            "time.sleep(30)\n")
    program = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        memory = run._TreeMemory(program.pid)
        deadline = time.monotonic() + 20
        while memory.children_peak_kb < 40 * 1024 and time.monotonic() < deadline:
            memory.sample()
            time.sleep(0.05)
        assert memory.children_peak_kb >= 40 * 1024
        own = run._status_kb(program.pid, "VmHWM")
        assert 0 < own < 40 * 1024  # the parent itself never held the block
        assert memory.peak_kb >= own + 40 * 1024
    finally:
        os.killpg(program.pid, signal.SIGKILL)  # the child too
        program.wait()
