"""Loading a large model in a child process, for the explorer.

Parsing takes seconds and holds the GIL throughout: in a thread it would starve the screen
and the keyboard, and it could not be stopped when the reader quits. A child process (a new
interpreter, not a fork) opens the model as cache.open_model does (from the cache, or
parsed and then stored) and writes the outcome pickled to its standard output as soon as it
has it, before storing; the parent reads it. Quitting ends the child at once.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import policyterm
from policyterm.core.cache import ModelCache, dump, open_model
from policyterm.core.loading import ModelError, Problem, UnreadableModel, display_name
from policyterm.core.model import Model

# The child's first lines: its import path starts with the package the parent runs (not the
# working directory, where a stray tomli.py would be imported instead).
_BOOT = "import sys; sys.path[0] = sys.argv[1]; from {module} import main; main(sys.argv[2:])"


@dataclass(frozen=True)
class Outcome:
    """A load's result: the model, or the problems that stopped it (`unreadable`: the file
    itself could not be read, rather than holding bad data)."""

    model: Model | None
    problems: tuple[Problem, ...] = ()
    unreadable: bool = False


class BackgroundLoad:
    """A model file being loaded by a child process."""

    def __init__(self, path: Path, cache: ModelCache | None, reuse: bool = True) -> None:
        """`reuse`: take the model from `cache` if it holds this version of the file (not
        on a reload: see cache.open_model)."""
        self.path = path
        package_root = str(Path(policyterm.__file__).resolve().parents[1])
        cache_argument = "" if cache is None else str(cache.directory)
        self._child = subprocess.Popen(
            [sys.executable, "-c", _BOOT.format(module=__name__), package_root,
             os.fspath(path), cache_argument, "reuse" if reuse else "reload"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            # Its own session: the terminal's hangup or ctrl+c goes to the app, which stops
            # the child if it is still loading; once it has answered, the cache write it
            # then does is not cut short when the app closes.
            start_new_session=True)

    def result(self) -> Outcome:
        """The outcome; blocks until the child has answered (call it from a thread)."""
        assert self._child.stdout is not None and self._child.stderr is not None
        try:
            outcome = pickle.load(self._child.stdout)
            assert isinstance(outcome, Outcome)
            return outcome
        except Exception:  # killed, or crashed before it could answer: say why, in a line
            self._child.wait()
            said = self._child.stderr.read().decode("utf-8", "replace").strip().splitlines()
            reason = said[-1] if said else f"it ended with status {self._child.returncode}"
            return Outcome(None, (Problem(display_name(self.path), "could not be loaded (the "
                                          f"loading process failed: {reason})"),))
        finally:
            self._child.stdout.close()

    def finish(self) -> None:
        """Wait for the child to end (it may still be storing the model in the cache)."""
        self._child.wait()
        if self._child.stderr is not None:
            self._child.stderr.close()

    def stop(self) -> None:
        """End the child now, if it is still running: politely first, so that a cache entry
        it is writing is not left half done."""
        if self._child.poll() is None:
            self._child.terminate()
            try:
                self._child.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self._child.kill()
                self._child.wait()


def main(argv: list[str]) -> None:
    """The child: load argv[0] (cache directory argv[1], or none if empty; argv[2] "reuse"
    or "reload") and answer."""
    # This process loads one model and exits: the collector would only rescan what loading
    # builds (a model holds no reference cycles), so it stays off.
    gc.disable()
    path, cache_directory, reuse = Path(argv[0]), argv[1], argv[2] == "reuse"
    cache = ModelCache(Path(cache_directory)) if cache_directory else None
    answered = []

    def answer_now(model: Model) -> None:
        answer(Outcome(model))
        answered.append(True)
        # SIGTERM (the parent stopping it) ends it at once until now, even inside the
        # parser's compiled code, where a Python handler would wait for the parse to end;
        # from now on it unwinds like an error, so the cache write removes its temporary file.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    try:
        model = open_model(path, cache, on_parsed=answer_now, reuse=reuse)
    except UnreadableModel as error:
        answer(Outcome(None, error.problems, unreadable=True))
        return
    except ModelError as error:
        answer(Outcome(None, error.problems))
        return
    if not answered:  # from the cache
        answer(Outcome(model))


def answer(outcome: Outcome) -> None:
    dump(outcome, sys.stdout.buffer)
    sys.stdout.buffer.flush()
