"""A cache of parsed models, so a large model opens at once the second time.

One file per model path in the user's cache directory, holding the model and its lookups (a
ModelView, which the app would otherwise build again at every start) pickled beside the key
it was made from: the resolved path, the file's size and modification time, the policyterm
and format versions, and a digest of the code that reads, indexes and stores a model. A key
that differs, a file that is corrupt or unreadable, or any error at all means "not cached":
the model is loaded from its file and stored again. Only a model that loaded without
problems is stored. The directory is private to the user (mode 0700): a pickle is code, so
only its owner may write it. It holds at most MAX_ENTRIES models: the least recently used go
first.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import re
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from policyterm import __version__
from policyterm.core.dates import DatePoint, EdtfDate
from policyterm.core.loading import FORMAT_VERSION, ModelError, load_model
from policyterm.core.model import Article, Entity, Event, Figure, Model, Relationship, Theme
from policyterm.core.places import user_directory
from policyterm.core.views import ModelView

DISABLE_VARIABLE = "POLICYTERM_NO_CACHE"  # set to anything but "" or "0" to turn it off
DIRECTORY_VARIABLE = "POLICYTERM_CACHE_DIR"  # where to keep it instead of the default
# Entries are several megabytes (only large models are cached): without a limit, every
# large model ever opened would stay on disk.
MAX_ENTRIES = 16
# A temporary file this old is not a write in progress but one a killed process left.
ABANDONED_SECONDS = 24 * 3600
# The names of the files the cache writes (see ModelCache.entry and put): no other is removed.
_ENTRY_NAME = re.compile(r"[0-9a-f]{8}\.pickle")
_TEMPORARY_PREFIX = "policyterm-entry-"


def default_directory() -> Path:
    """The platform's per-user cache directory, then `policyterm` (XDG rules on Linux)."""
    return user_directory("cache", DIRECTORY_VARIABLE)


def disabled_by_environment() -> bool:
    return os.environ.get(DISABLE_VARIABLE, "") not in ("", "0")


# The code that decides what an entry holds: the records, how a file becomes them, their
# lookups, and how they are pickled. The version number does not change with every edit,
# and a model read or indexed by other code would come back wrong.
_CORE = Path(__file__).parent
CODE_FILES = (*(_CORE / name for name in ("dates.py", "model.py", "views.py", "cache.py")),
              *sorted((_CORE / "loading").glob("*.py")))


@functools.cache
def code_digest() -> str:
    """The digest of CODE_FILES (raising OSError where one cannot be read: not cached)."""
    return digest_of(CODE_FILES)


def digest_of(files: Iterable[Path]) -> str:
    checksum = 0
    for file in files:
        checksum = zlib.crc32(file.read_bytes(), checksum)
    return f"{checksum:08x}"


@dataclass(frozen=True)
class CacheKey:
    path: str
    size: int
    mtime_ns: int
    version: str = __version__
    format: int = FORMAT_VERSION
    code: str = ""  # see code_digest

    @classmethod
    def of(cls, path: Path) -> CacheKey:
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns, code=code_digest())


# Every record of a model: named tuples.
RECORDS = (Model, Article, Entity, Theme, Relationship, Figure, Event, EdtfDate, DatePoint)


def _by_tuple_new(item: tuple[Any, ...]) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    """A record is made again by tuple.__new__ itself: pickle's default for a named tuple
    calls its Python-level __new__, once for each of the thousands of events and dates."""
    return tuple.__new__, (type(item), tuple(item))


# Used by this module's pickler only: the records themselves carry no pickling hooks.
_DISPATCH_TABLE: dict[type, Callable[[Any], Any]] = dict.fromkeys(RECORDS, _by_tuple_new)


def dump(value: object, out: BinaryIO) -> None:
    """Pickle `value` (a model, or anything holding one), records made by tuple.__new__."""
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH_TABLE
    pickler.dump(value)


def private(stat: os.stat_result) -> bool:
    """Owned by this user and writable by no one else: unpickling runs code, so an entry
    another user could have written (a shared or loosened directory) is never read."""
    if not hasattr(os, "getuid"):  # Windows: per-user directories, no POSIX owner to check
        return True
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


class ModelCache:
    """Parsed models kept in `directory`, by the file they came from."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else default_directory()

    def entry(self, key: CacheKey) -> Path:
        # The name only spreads entries over files: the key stored inside decides whether an
        # entry is this file's, so two paths sharing a name only replace each other. (zlib is
        # loaded already; hashlib would load OpenSSL at every start.)
        name = zlib.crc32(key.path.encode("utf-8", "surrogatepass"))
        return self.directory / f"{name:08x}.pickle"

    def get(self, key: CacheKey) -> ModelView | None:
        """The model stored under `key`, with its lookups; None where there is none that
        matches it, or where the entry or its directory could have been written by someone
        else."""
        try:
            with self.entry(key).open("rb") as handle:
                if not (private(os.fstat(handle.fileno()))
                        and private(self.directory.stat())):
                    return None
                # The key is its own pickle, before the model's: a stale entry is told
                # without reading the model.
                if pickle.load(handle) != key:
                    return None
                view = pickle.load(handle)
        except Exception:  # missing, unreadable, truncated, from another version: rebuild
            return None
        if not isinstance(view, ModelView):
            return None
        with contextlib.suppress(OSError):  # used now: the last to go (see _prune)
            os.utime(self.entry(key))
        return view

    def put(self, key: CacheKey, view: ModelView) -> None:
        """Store `view` under `key`, atomically; a cache that cannot be written is skipped."""
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=_TEMPORARY_PREFIX,
                                                 suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(key, out, protocol=pickle.HIGHEST_PROTOCOL)
                    dump(view, out)
                os.replace(temporary, self.entry(key))
            except BaseException:
                os.unlink(temporary)
                raise
            self._prune()
        except (OSError, pickle.PicklingError, RecursionError):
            pass

    def discard(self, key: CacheKey) -> None:
        """Remove the entry of `key`'s file, if there is one (or of a path whose name shares
        its checksum: at worst that one is rebuilt next time)."""
        with contextlib.suppress(OSError):
            self.entry(key).unlink()

    def _prune(self) -> None:
        """Remove the least recently used entries beyond MAX_ENTRIES (an entry's time is
        when it was last written or read), and abandoned temporary files: only files named
        as this class names them (POLICYTERM_CACHE_DIR may name a directory of other files)."""
        entries: list[tuple[int, Path]] = []
        abandoned_before = time.time() - ABANDONED_SECONDS
        for path in self.directory.iterdir():
            with contextlib.suppress(OSError):  # gone meanwhile: another process pruned it
                if _ENTRY_NAME.fullmatch(path.name):
                    entries.append((path.stat().st_mtime_ns, path))
                elif (path.name.startswith(_TEMPORARY_PREFIX) and path.suffix == ".tmp"
                      and path.stat().st_mtime < abandoned_before):
                    path.unlink()
        entries.sort(reverse=True)
        for _, path in entries[MAX_ENTRIES:]:
            with contextlib.suppress(OSError):
                path.unlink()


def open_model(path: Path, cache: ModelCache | None,
               on_parsed: Callable[[Model], object] = lambda model: None,
               reuse: bool = True) -> Model:
    """The model in `path`: from `cache` when it holds this version of the file (and
    `reuse`), else loaded (raising ModelError with every problem) and then cached with its
    lookups. `on_parsed` gets a model just parsed, before the lookups are built and stored
    (the loading child answers the app there, so that the reader never waits for either).
    A reload does not reuse: the file is read again even if its size and time are those of
    a cached version (an edit that kept its time), and the entry is replaced."""
    # The key is taken before the file is read: a file changed meanwhile is not cached.
    key = _key(path, cache)
    view = cache.get(key) if cache is not None and key is not None and reuse else None
    if view is not None:
        return view.model
    try:
        model = load_model(path)
    except ModelError:
        # This version has problems: an entry of the file's (an older version that a reload
        # found changed, keeping its size and time) must not open at the next start.
        if cache is not None and key is not None:
            cache.discard(key)
        raise
    on_parsed(model)
    if cache is not None and key is not None:
        cache.put(key, ModelView(model))
    return model


def cached_view(path: Path, cache: ModelCache | None) -> ModelView | None:
    """The model of `path`, with its lookups, if `cache` holds this version of the file;
    else None."""
    key = _key(path, cache)
    return cache.get(key) if cache is not None and key is not None else None


def _key(path: Path, cache: ModelCache | None) -> CacheKey | None:
    """The key of `path` now; None without a cache or a key (the loader says what is wrong
    with the path)."""
    if cache is None:
        return None
    try:
        return CacheKey.of(path)
    except (OSError, ValueError):
        return None
