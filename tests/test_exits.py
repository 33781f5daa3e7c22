"""Files that cannot be read: an UnreadableModel, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from policyterm.loader import ModelError, UnreadableModel, load_model, read_model_bytes

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
EXAMPLE = ROOT / "docs" / "example.toml"
BAD = ROOT / "tests" / "fixtures" / "invalid" / "date-month-13.toml"
NO_SPACE = "policyterm: cannot write to standard output: No space left on device\n"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(*args: str, stdout: int | None = subprocess.PIPE,
        shell_redirect: str = "") -> subprocess.CompletedProcess[str]:
    """`python -m policyterm ARGS` with stdin not a terminal; `shell_redirect` (such as `>&-`)
    is applied by sh, which then execs Python."""
    command = [sys.executable, "-m", "policyterm", *args]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, encoding="utf-8",
                          env=environment(), timeout=60, check=False)


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr


# ---------------------------------------------------------------------------------------------
# The loader: a file that cannot be read is an UnreadableModel, never a hang


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "model.toml"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_model_bytes(fifo))
        except BaseException as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # blocked in open(): a writer lets it go, then the test fails
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
        pytest.fail("read_model_bytes blocked on a FIFO")
    (error,) = outcome
    assert isinstance(error, UnreadableModel)
    assert [str(p) for p in error.problems] == [
        f"{fifo}: is a named pipe (FIFO), not a regular file; expected a model file (.toml)"]


@pytest.mark.parametrize("what", ["missing", "directory", "device", "nul in path"])
def test_every_unreadable_file_is_an_unreadable_model(tmp_path: Path, what: str) -> None:
    path = {"missing": str(tmp_path / "no.toml"), "directory": str(tmp_path),
            "device": "/dev/null", "nul in path": "a\x00b.toml"}[what]
    with pytest.raises(UnreadableModel) as caught:
        load_model(path)
    assert isinstance(caught.value, ModelError) and len(caught.value.problems) == 1


def test_bad_data_is_a_model_error_but_not_an_unreadable_model() -> None:
    with pytest.raises(ModelError) as caught:
        load_model(BAD)
    assert not isinstance(caught.value, UnreadableModel)
