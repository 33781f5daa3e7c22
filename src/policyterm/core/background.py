"""Loading a large model in a child process, for the explorer.

Parsing takes seconds and holds the GIL throughout: in a thread it would starve the screen
and the keyboard, and it could not be stopped when the reader quits. A child process (a new
interpreter running this module, not a fork) loads the file (through the cache, which it also
fills), and writes the model, or its problems, pickled to its standard output; the parent
reads it. Quitting kills the child at once.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
from pathlib import Path

import policyterm
from policyterm.core.cache import ModelCache, open_model_or_problems
from policyterm.core.loading import Problem, display_name
from policyterm.core.model import Model

Outcome = Model | tuple[Problem, ...]


class BackgroundLoad:
    """A model file being loaded by a child process."""

    def __init__(self, path: Path, cache: ModelCache | None) -> None:
        self.path = path
        env = dict(os.environ)
        # The child imports the same policyterm as this process, wherever that came from.
        package_root = str(Path(policyterm.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root,
                                                          env.get("PYTHONPATH")]))
        cache_argument = "" if cache is None else str(cache.directory)
        self._child = subprocess.Popen(
            [sys.executable, "-m", __name__, os.fspath(path), cache_argument],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env)

    def result(self) -> Outcome:
        """The model or its problems; blocks until the child is done (call it from a thread)."""
        assert self._child.stdout is not None
        try:
            outcome = pickle.load(self._child.stdout)
        except Exception as error:  # killed, or crashed before it could answer
            outcome = (Problem(display_name(self.path),
                               f"could not be loaded (the loading process failed: {error!r})"),)
        finally:
            self._child.stdout.close()
            self._child.wait()
        assert isinstance(outcome, (Model, tuple))
        return outcome

    def stop(self) -> None:
        """End the child now, if it is still loading."""
        if self._child.poll() is None:
            self._child.kill()
            self._child.wait()


def main(argv: list[str]) -> None:
    """The child: load argv[0] (cache directory argv[1], or none if empty) and answer."""
    # This process loads one model and exits: the collector would only rescan what loading
    # builds (a model holds no reference cycles), so it stays off.
    gc.disable()
    path, cache_directory = Path(argv[0]), argv[1]
    cache = ModelCache(Path(cache_directory)) if cache_directory else None
    pickle.dump(open_model_or_problems(path, cache), sys.stdout.buffer,
                protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
