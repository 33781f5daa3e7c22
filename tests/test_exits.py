"""Exit statuses and what the command leaves behind: unreadable files (66), output that cannot
be written (74), a reader that leaves early, the explorer without a terminal (2), and signals
(128 + N, the terminal given back). The signal tests run the real program under a
pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyterm import cli
from policyterm.core.loading import MAX_FILE_BYTES, ModelError, UnreadableModel, load_model

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
    assert bad.stderr.startswith(f"{BAD}:35:8: events[0]") and bad.stderr.count("\n") == 1
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


def test_a_large_file_that_cannot_be_read_is_66_before_asking_for_a_terminal(
        tmp_path: Path) -> None:
    """README's order: the file can be read (66), then there is a terminal (2); a file
    large enough to load behind the loading screen was asked for a terminal first."""
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no 16 MiB written
    result = run(str(huge))
    assert result.returncode == cli.EXIT_NO_INPUT
    assert result.stderr.startswith(f"{huge}: is {MAX_FILE_BYTES + 1:,} bytes; ")


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


# ---------------------------------------------------------------------------------------------
# Under a pseudo-terminal: signals give the terminal back


class Terminal:
    """The real program on an 80x24 pseudo-terminal; `output` is everything it wrote."""

    def __init__(self, *args: str, stdin_tty: bool = True) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = environment()
        env["TERM"] = "xterm-256color"
        for name in ("COLUMNS", "LINES", "TEXTUAL", "NO_COLOR"):
            env.pop(name, None)
        self.master = master
        self.output = b""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policyterm", *args],
            stdin=slave if stdin_tty else subprocess.PIPE, stdout=slave, stderr=slave,
            env=env, start_new_session=True,
        )
        os.close(slave)
        if self.process.stdin is not None:
            self.process.stdin.close()  # `echo -n | policyterm`

    def read_until(self, done: bytes | None, seconds: float) -> bool:
        """Read until `done` appears in the output, or (for None) until the program has exited
        and all it wrote is read."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done is not None and done in self.output:
                return True
            ready, _, _ = select.select([self.master], [], [], 0.05)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: nothing holds the other side any more
                    time.sleep(0.02)
                self.output += chunk
            if not chunk and self.process.poll() is not None:
                return done is None or done in self.output
        return False

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.master)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    started: list[Terminal] = []
    yield started
    for terminal in started:
        terminal.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_gives_the_terminal_back_and_exits_128_plus_n(
    terminals: list[Terminal], signum: int
) -> None:
    terminal = Terminal(str(EXAMPLE))
    terminals.append(terminal)
    assert terminal.read_until(b"Quit", 15), terminal.output[-500:]
    assert b"\x1b[?1049h" in terminal.output  # the alternate screen
    drawn = len(terminal.output)
    terminal.process.send_signal(signum)
    assert terminal.read_until(None, 10), "the program did not exit"
    assert terminal.process.wait(timeout=5) == 128 + signum
    after = terminal.output[drawn:]
    leave = after.rfind(b"\x1b[?1049l")
    assert leave != -1, after[-300:]
    assert b"\x1b[?25h" in after[leave:]  # the cursor shown again, after leaving
    assert b"\x1b[?1049h" not in after[leave:] and b"\x1b[?25l" not in after[leave:]
    mouse_off = after.rfind(b"\x1b[?1000l")
    assert mouse_off != -1 and b"\x1b[?1000h" not in after[mouse_off:]
    assert b"Traceback" not in terminal.output


def test_explorer_with_stdin_not_a_terminal_exits_2_without_escape_codes(
    terminals: list[Terminal],
) -> None:
    """`echo | policyterm`: Textual would read keys from the pipe and draw on the terminal."""
    terminal = Terminal(str(EXAMPLE), stdin_tty=False)
    terminals.append(terminal)
    assert terminal.read_until(None, 10), "the program did not exit"
    assert terminal.process.wait(timeout=5) == cli.EXIT_USAGE
    assert b"\x1b" not in terminal.output
    assert b"policyterm export" in terminal.output


def test_a_hang_up_ends_the_program_even_though_the_terminal_is_gone(
    terminals: list[Terminal],
) -> None:
    # As when a terminal window or tmux session is closed: the terminal disappears, then
    # SIGHUP comes. Restoring the terminal cannot be written anywhere; the program must end.
    terminal = Terminal(str(EXAMPLE))
    terminals.append(terminal)
    assert terminal.read_until(b"Quit", 15), terminal.output[-500:]
    os.close(terminal.master)
    terminal.master = os.open(os.devnull, os.O_RDONLY)  # for close() in the fixture
    terminal.process.send_signal(signal.SIGHUP)
    assert terminal.process.wait(timeout=10) == 128 + signal.SIGHUP
