"""A large file's last tables, parsed in a forked process on another core.

At 20,000 events the parse takes ~850 ms of CPU, and the explorer's first screen ~250 ms
before it, both on one core under the GIL. Forked as the command starts, a child process
parses the file's last tables (TAIL_SHARE of them) meanwhile and sends back their records,
pickled a batch at a time; the app's loader parses the rest and takes those at the end
(loader.parse_bytes).

Nothing depends on the child: where it cannot run (no fork, one core), fails, finds a problem
or is killed, the loader parses those tables itself and words any problem as it always does.

Pure Python: no textual, no rich.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import sys
import threading
from typing import Any

from policyterm.loader import tail_records, tail_start

if sys.platform != "win32":
    import fcntl

# The share of tables the child takes. It starts ~250 ms of CPU before the loader does (the
# first screen comes first) and pays for pickling, the loader for unpickling; at 20,000
# events both are done at about the same time when the child takes 60%.
TAIL_SHARE = 0.6
# The child is background work: where a core is wanted for the first screen or the terminal,
# it goes there first.
CHILD_NICENESS = 10
PIPE_BYTES = 1024 * 1024  # Linux's largest for a process without privileges
_COMPLETE = "complete"  # the child's last frame: every batch was sent


def usable_cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer than exist)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class TailParse:
    """A child process parsing a file's tables from `start` on (see loader.tail_records)."""

    def __init__(self, pid: int, reader: int, start: int) -> None:
        self.pid = pid
        self.start = start
        # The child sends each batch as it is done; a thread takes them off the pipe as they
        # come (a full pipe would stop the child) and keeps the bytes until records().
        self._received = io.BytesIO()
        self._lock = threading.Lock()  # the app's worker and the command may both end it
        self._receiver: threading.Thread | None = threading.Thread(
            target=self._receive, args=(reader,), name="tail-parse-receiver", daemon=True)
        self._receiver.start()

    @classmethod
    def fork(cls, data: bytes, name: str, share: float = TAIL_SHARE) -> TailParse | None:
        """Start parsing the tail of `data` in a child process; None where that would not
        help: no fork on this system, a single core, or too few tables to share.

        Call it before any thread starts (before the app runs): a child forked from a process
        with threads can inherit a lock some thread held, and wait for it forever."""
        if not hasattr(os, "fork") or usable_cores() < 2:
            return None
        start = tail_start(data, share)
        if start is None:
            return None
        reader, writer = os.pipe()
        if sys.platform == "linux":
            # The receiving thread gets the GIL only every few milliseconds while the app
            # parses; in between, the child can write this much without waiting for it.
            with contextlib.suppress(OSError):
                fcntl.fcntl(writer, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return None
        if pid == 0:  # the child: never returns
            os.close(reader)
            _child(data, start, name, writer)
        os.close(writer)
        return cls(pid, reader, start)

    def records(self) -> dict[str, list[Any]] | None:
        """Every record the child sent, once it is done; None where it did not send them all
        (a problem in its tables, a failure, or it was killed)."""
        if not self._finish():
            return None
        import pickle  # here, not at the top: 2 ms the first screen need not wait for

        merged: dict[str, list[Any]] = {"events": [], "figures": []}
        stream, self._received = self._received, io.BytesIO()
        stream.seek(0)
        unpickler = pickle.Unpickler(stream)  # one for every batch, as the child pickled them
        try:
            while (batch := unpickler.load()) != _COMPLETE:
                for section, items in batch.items():
                    merged[section].extend(items)
        except Exception:  # a child killed halfway leaves its last batch cut short
            return None
        return merged

    def cancel(self) -> None:
        """Stop the child if it is still at work (the app quit, or the parse went whole)."""
        with self._lock:
            if self._receiver is None:
                return  # reaped already: its pid may be another process's by now
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self._finish()

    def _finish(self) -> bool:
        """Wait for the child's end of the pipe and reap it; False if that was done already."""
        with self._lock:
            receiver, self._receiver = self._receiver, None
        if receiver is None:
            return False
        receiver.join()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        return True

    def _receive(self, reader: int) -> None:
        with os.fdopen(reader, "rb", buffering=0) as pipe:
            while chunk := pipe.read(PIPE_BYTES):
                self._received.write(chunk)


def _child(data: bytes, start: int, name: str, writer: int) -> None:
    """Parse and send each batch, then _COMPLETE, and exit whatever happens: the child must
    never return into the parent's code, nor run its exit handlers."""
    try:
        gc.disable()  # as in loader.paused_gc: little made here is garbage
        with contextlib.suppress(OSError):
            os.nice(CHILD_NICENESS)
        import pickle

        with os.fdopen(writer, "wb") as pipe:
            # One pickler for every batch: what batches share (a date, a list of actors) is
            # sent once and stays one object (else 20,000 events take 2 MB more).
            pickler = pickle.Pickler(pipe, pickle.HIGHEST_PROTOCOL)
            for batch in tail_records(data, start, name):
                if batch is None:
                    return  # no _COMPLETE: the loader parses these tables itself
                pickler.dump(batch)
            pickler.dump(_COMPLETE)
    finally:
        os._exit(0)
