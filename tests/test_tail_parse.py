"""A forked child parsing a large file's last tables changes nothing but the time it takes:
the same model, or the same problems worded by the whole parse, and no process left behind.

Each case runs the real fork (Linux), with small batches so a few hundred events make many.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from policyterm import loader
from policyterm.loader import (
    LoadCancelled,
    Model,
    ModelError,
    decode_text,
    load_model,
    parse_bytes,
    parse_document,
    parse_toml,
    tail_start,
)
from policyterm.records import pickled_by_constructor
from policyterm.tail_parse import TailParse, usable_cores

ROOT = Path(__file__).resolve().parents[1]
NAME = "t.toml"

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402  (benchmarks/generate.py)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or usable_cores() < 2,
                                reason="the child needs fork and a second core")


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "BATCH_BYTES", 4096)  # ~10 tables a batch


@pytest.fixture
def model_bytes() -> bytes:
    return generate.generate(12, 400, 5).encode("utf-8")


class Watched:
    """A real TailParse, noting what its records() gave the loader."""

    def __init__(self, tail: TailParse) -> None:
        self.tail = tail
        self.start = tail.start
        self.gave: list[bool] = []

    def records(self) -> dict[str, list[Any]] | None:
        records = self.tail.records()
        self.gave.append(records is not None)
        return records

    def cancel(self) -> None:
        self.tail.cancel()


def forked(data: bytes) -> Watched:
    tail = TailParse.fork(data, NAME)
    assert tail is not None
    return Watched(tail)


def outcome(data: bytes, tail: Watched | None) -> tuple[str, object]:
    try:
        if tail is None:
            return ("model", parse_document(parse_toml(decode_text(data, NAME), NAME), NAME))
        return ("model", parse_bytes(data, NAME, tail=tail))
    except ModelError as error:
        return ("problems", [str(problem) for problem in error.problems])
    finally:
        if tail is not None:
            tail.cancel()


def assert_not_running(pid: int) -> None:
    with pytest.raises(ChildProcessError):  # reaped already: no zombie, nothing running
        os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["no BOM", "BOM"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_the_child_parses_most_of_the_tables_and_the_model_is_the_same(
        model_bytes: bytes, prefix: bytes, newline: bytes) -> None:
    model_bytes = prefix + model_bytes.replace(b"\n", newline)
    tail = forked(model_bytes)
    assert tail.start > len(model_bytes) // 3  # the child has the larger share
    kind, model = outcome(model_bytes, tail)
    assert tail.gave == [True]
    assert (kind, model) == outcome(model_bytes, None)
    assert isinstance(model, Model) and len(model.events) == 400
    assert_not_running(tail.tail.pid)


def test_a_problem_in_the_tail_is_worded_by_the_whole_parse(model_bytes: bytes) -> None:
    text = model_bytes.decode("utf-8")
    last = text.rindex("score = ")
    broken = (text[:last] + "score = 99 #" + text[last + len("score = "):]).encode("utf-8")
    tail = forked(broken)
    assert tail.start < last
    kind, problems = outcome(broken, tail)
    assert tail.gave == [False]
    assert kind == "problems" and (kind, problems) == outcome(broken, None)
    assert isinstance(problems, list) and any(".score: 99" in p for p in problems)


def test_a_syntax_error_in_the_tail_keeps_its_line_and_column(model_bytes: bytes) -> None:
    broken = model_bytes + b'[[events]]\nid = "unterminated\n'
    tail = forked(broken)
    kind, problems = outcome(broken, tail)
    assert tail.gave == [False]
    assert (kind, problems) == outcome(broken, None)
    assert isinstance(problems, list) and "TOML syntax error" in problems[0]


def test_a_cut_at_a_header_inside_a_multi_line_string(model_bytes: bytes) -> None:
    text = model_bytes.decode("utf-8")
    line_start = text.index("\nsummary = ", len(text) * 2 // 3) + 1
    line_end = text.index("\n", line_start)
    fake = 'summary = """\nbefore\n[[events]]\nid = "not-an-event"\n"""'
    text = text[:line_start] + fake + text[line_end:]
    data = text.encode("utf-8")
    # A share that puts the tail's start at the header inside the string.
    at = data.index(b'\n[[events]]\nid = "not-an-event"')
    head_end = data.index(b"[[events]]")
    share = (len(data) - at + 0.5) / (len(data) - head_end)
    tail = TailParse.fork(data, NAME, share)
    assert tail is not None and tail.start == at + 1
    kind, model = outcome(data, Watched(tail))
    assert (kind, model) == outcome(data, None)
    assert isinstance(model, Model)
    assert any(e.summary and "[[events]]" in e.summary for e in model.events)


def test_a_killed_child_leaves_the_tables_to_the_loader(model_bytes: bytes) -> None:
    tail = forked(model_bytes)
    os.kill(tail.tail.pid, signal.SIGKILL)
    kind, model = outcome(model_bytes, tail)
    assert tail.gave == [False]
    assert (kind, model) == outcome(model_bytes, None)


def test_cancel_stops_the_child_and_reaps_it() -> None:
    data = generate.generate(12, 3000, 6).encode("utf-8")
    tail = TailParse.fork(data, NAME)
    assert tail is not None
    tail.cancel()
    assert_not_running(tail.pid)
    assert tail.records() is None
    tail.cancel()  # twice is harmless: it never signals a pid it has reaped


def test_no_child_without_tables_enough_to_share() -> None:
    example = (ROOT / "docs" / "example.toml").read_bytes()
    assert tail_start(example, 0.6) is None
    assert TailParse.fork(example, NAME) is None


def test_no_child_on_a_single_core(tmp_path: Path, model_bytes: bytes) -> None:
    path = tmp_path / "m.toml"
    path.write_bytes(model_bytes)
    code = ("import os, sys\n"
            "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
            "from policyterm import loader\n"
            "from policyterm.tail_parse import TailParse\n"
            "loader.BATCH_BYTES = 4096\n"
            "data = open(sys.argv[1], 'rb').read()\n"
            "print(TailParse.fork(data, 'm'), loader.tail_start(data, 0.6) is not None)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, env=env, timeout=60, check=True)
    assert done.stdout.split() == ["None", "True"]


def test_records_cross_processes_whole() -> None:
    model = load_model(ROOT / "data" / "article.toml")
    assert pickle.loads(pickle.dumps(model, pickle.HIGHEST_PROTOCOL)) == model
    event = model.events[0]
    assert pickle.loads(pickle.dumps(event)).date == event.date


def test_a_record_of_one_field_is_refused() -> None:
    @dataclass(frozen=True)
    class One:
        value: int

    with pytest.raises(TypeError):
        pickled_by_constructor(One)


@pytest.fixture
def large_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "large.toml"
    path.write_text(generate.generate(12, 600, 7), encoding="utf-8")
    yield path


async def test_the_app_loads_with_the_child_and_shows_every_event(large_file: Path) -> None:
    from policyterm.app import PolicyApp
    from policyterm.loader import preview_bytes, read_model_bytes

    data = read_model_bytes(large_file)
    tail = TailParse.fork(data, str(large_file))
    assert tail is not None
    app = PolicyApp(path=large_file, preview=preview_bytes(data, str(large_file)),
                    data=data, tail=tail)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            if app.complete:
                break
            await pilot.pause(0.05)
        assert app.complete
        assert app.model == load_model(large_file)
    assert_not_running(tail.pid)


def test_a_load_stops_between_batches_when_cancelled(model_bytes: bytes) -> None:
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3  # three batches, then the app quits

    tail = forked(model_bytes)
    with pytest.raises(LoadCancelled):
        parse_bytes(model_bytes, NAME, tail=tail, cancelled=cancelled)
    tail.cancel()
    assert len(asked) == 4 and tail.gave == []  # it did not wait for the child's records
    assert_not_running(tail.tail.pid)
    with pytest.raises(LoadCancelled):  # nor start a whole parse
        parse_bytes(b"format = 1\n" + model_bytes, NAME, cancelled=lambda: True)


async def test_quitting_while_a_large_file_loads_reports_nothing_and_leaves_no_process(
        large_file: Path) -> None:
    from policyterm.app import PolicyApp
    from policyterm.loader import preview_bytes

    data = large_file.read_bytes()
    tail = TailParse.fork(data, str(large_file))
    assert tail is not None
    watched = Watched(tail)
    app = PolicyApp(path=large_file, preview=preview_bytes(data, str(large_file)), data=data,
                    tail=watched)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
    tail.cancel()
    assert not app.complete and app.load_problems == ()
    assert_not_running(tail.pid)
