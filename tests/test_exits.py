"""Exit statuses and what the command leaves behind: unreadable files (66), output that cannot
be written (74), a reader that leaves early, the explorer without a terminal (2)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from policyterm import cli
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
        except BaseException as error:  # handed to the test's thread
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


def test_validate_of_a_fifo_exits_66_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "model.toml"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "policyterm", "validate", str(fifo)]
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=environment()) as process:
        try:
            status = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("validate blocked on a FIFO")
        assert process.stderr is not None
        stderr = process.stderr.read().decode()
    assert status == cli.EXIT_NO_INPUT
    assert stderr == (f"{fifo}: is a named pipe (FIFO), not a regular file; "
                      "expected a model file (.toml)\n")


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


# ---------------------------------------------------------------------------------------------
# Exit statuses of validate and export


def test_a_reader_leaving_early_does_not_hide_bad_data() -> None:
    """`policyterm validate GOOD BAD | head -1` exits 1: here the reader has left before the
    first line, so every write meets a broken pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        bad = run("validate", str(EXAMPLE), str(BAD), stdout=write_end)
        good = run("validate", str(EXAMPLE), str(EXAMPLE), stdout=write_end)
    finally:
        os.close(write_end)
    assert bad.returncode == cli.EXIT_BAD_DATA
    assert bad.stderr.startswith(f"{BAD}: events[0]") and bad.stderr.count("\n") == 1
    assert good.returncode == cli.EXIT_OK and good.stderr == ""


@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_full_disk_is_one_line_and_status_74(command: str) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = run(command, str(EXAMPLE), stdout=full.fileno())
    assert result.returncode == cli.EXIT_IO_ERROR
    assert result.stderr == NO_SPACE


@pytest.mark.parametrize("command", ["validate", "export"])
def test_a_closed_stdout_is_one_line_and_status_74(command: str) -> None:
    result = run(command, str(EXAMPLE), stdout=None, shell_redirect=">&-")
    assert result.returncode == cli.EXIT_IO_ERROR
    assert result.stderr == "policyterm: cannot write to standard output: it is closed\n"


def test_bad_data_to_a_full_disk_is_still_bad_data() -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = run("validate", str(EXAMPLE), str(BAD), stdout=full.fileno())
    assert result.returncode == cli.EXIT_BAD_DATA
    assert_no_traceback(result)


@pytest.mark.parametrize("args", [["validate"], ["export"], []])
def test_a_missing_file_is_66_for_every_command(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "no.toml"
    result = run(*args, str(missing))
    assert result.returncode == cli.EXIT_NO_INPUT
    assert result.stderr == f"{missing}: no such file; expected a path to a model file\n"
    assert result.stdout == ""


def test_several_files_bad_data_wins_then_unreadable_then_output(tmp_path: Path) -> None:
    missing = str(tmp_path / "no.toml")
    assert run("validate", str(EXAMPLE), missing).returncode == cli.EXIT_NO_INPUT
    assert run("validate", missing, str(BAD), str(EXAMPLE)).returncode == cli.EXIT_BAD_DATA
    with open("/dev/full", "w", encoding="utf-8") as full:
        both = run("validate", str(EXAMPLE), missing, stdout=full.fileno())
    assert both.returncode == cli.EXIT_NO_INPUT
    assert both.stderr.splitlines()[0] == NO_SPACE.strip()


def test_combined_status() -> None:
    assert cli.combined_status([]) == 0
    assert cli.combined_status([0, 74, 66, 1]) == 1
    assert cli.combined_status([74, 66, 0]) == 66
    assert cli.combined_status([0, 74]) == 74


# ---------------------------------------------------------------------------------------------
# The explorer without a terminal


def test_explorer_with_stdout_not_a_terminal_writes_nothing_and_exits_2(tmp_path: Path) -> None:
    """`policyterm > out.txt`: one line pointing at export, no escape code anywhere."""
    out = tmp_path / "out.txt"
    with out.open("w", encoding="utf-8") as file:
        result = run(str(EXAMPLE), stdout=file.fileno())
    assert result.returncode == cli.EXIT_USAGE
    assert out.read_bytes() == b""
    assert result.stderr.count("\n") == 1 and "policyterm export" in result.stderr
    assert "\x1b" not in result.stderr
