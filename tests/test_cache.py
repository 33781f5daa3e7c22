"""The parsed-model cache: used only when it matches the file, rebuilt when it does not."""

from __future__ import annotations

import io
import os
import pickle
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import working_tree_env
from policyterm.cli import bundled_model_path
from policyterm.core.cache import (
    CODE_FILES,
    MAX_ENTRIES,
    CacheKey,
    ModelCache,
    code_digest,
    default_directory,
    digest_of,
    dump,
    open_model,
)
from policyterm.core.dates import DatePoint
from policyterm.core.loading import ModelError, load_model
from policyterm.core.model import Article, Model
from policyterm.core.views import ModelView


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.toml"
    path.write_bytes(bundled_model_path().read_bytes())
    return path


def stored_model(cache: ModelCache, key: CacheKey) -> Model | None:
    view = cache.get(key)
    return None if view is None else view.model


def entry_bytes(key: CacheKey, model: object) -> bytes:
    """An entry as the cache writes it: the key, then the model with its lookups."""
    return pickle.dumps(key) + pickle.dumps(ModelView(model) if isinstance(model, Model)
                                            else model)


def test_a_load_is_stored_then_served_from_a_private_directory(tmp_path: Path,
                                                                model_file: Path) -> None:
    cache = ModelCache(tmp_path / "cache")
    first = open_model(model_file, cache)
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700
    entry = cache.entry(CacheKey.of(model_file))
    assert entry.is_file()
    assert stored_model(cache, CacheKey.of(model_file)) == first
    # Served from the cache, not from the file: an entry under the same key wins.
    marked = first._replace(article=first.article._replace(title="From the cache"))
    entry.write_bytes(entry_bytes(CacheKey.of(model_file), marked))
    assert open_model(model_file, cache).article.title == "From the cache"


def test_a_changed_file_is_loaded_again(tmp_path: Path, model_file: Path) -> None:
    cache = ModelCache(tmp_path / "cache")
    open_model(model_file, cache)
    text = model_file.read_text(encoding="utf-8")
    model_file.write_text(text.replace('title = "The diplomatic front"',
                                       'title = "Another front"'), encoding="utf-8")
    assert open_model(model_file, cache).article.title == "Another front"


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other version", "other file",
                                    "other code"])
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(tmp_path: Path, model_file: Path,
                                                           damage: str) -> None:
    cache = ModelCache(tmp_path / "cache")
    model = open_model(model_file, cache)
    key = CacheKey.of(model_file)
    entry = cache.entry(key)
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "garbage":
        entry.write_bytes(b"not a pickle at all")
    else:
        wrong = {"other version": replace(key, version="0.0.0"),
                 "other file": replace(key, size=key.size + 1),
                 # cached by other code (records, loader, lookups) under the same version
                 "other code": replace(key, code="0")}[damage]
        stale = model._replace(article=model.article._replace(title="Stale"))
        entry.write_bytes(entry_bytes(wrong, stale))
    assert cache.get(key) is None
    assert open_model(model_file, cache) == model
    assert stored_model(cache, key) == model  # stored again


def test_a_model_with_problems_is_never_cached(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path / "cache")
    broken = tmp_path / "broken.toml"
    broken.write_text("format = 1\n", encoding="utf-8")
    with pytest.raises(ModelError):
        open_model(broken, cache)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_a_reload_that_finds_problems_drops_the_file_s_entry(tmp_path: Path,
                                                              model_file: Path) -> None:
    """An edit that kept the size and time, read by a reload (reuse=False), has problems: the
    next start opened the old version from the cache without a word."""
    cache = ModelCache(tmp_path / "cache")
    open_model(model_file, cache)
    key = CacheKey.of(model_file)
    assert cache.get(key) is not None
    stamp = model_file.stat()
    text = model_file.read_text(encoding="utf-8")
    model_file.write_text(text.replace("format = 1", "format = X", 1), encoding="utf-8")
    os.utime(model_file, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    with pytest.raises(ModelError):
        open_model(model_file, cache, reuse=False)
    assert cache.get(key) is None and not cache.entry(key).exists()


def test_an_unwritable_cache_is_skipped(tmp_path: Path, model_file: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the directory should be", encoding="utf-8")
    assert open_model(model_file, ModelCache(blocker)) == load_model(model_file)


def test_the_directory_follows_the_environment(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.delenv("POLICYTERM_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_directory() == tmp_path / "policyterm"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # invalid under XDG: ignored
    assert default_directory() == Path.home() / ".cache" / "policyterm"
    monkeypatch.setenv("POLICYTERM_CACHE_DIR", str(tmp_path / "mine"))
    assert default_directory() == tmp_path / "mine"


def test_the_explorer_caches_large_models_only(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    """A small model loads in milliseconds: its reloads wrote entries that no start reads."""
    from policyterm.cli import BACKGROUND_LOAD_BYTES, bundled_model_path, explorer_cache

    monkeypatch.setenv("POLICYTERM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POLICYTERM_NO_CACHE", raising=False)
    large = tmp_path / "large.toml"
    large.write_bytes(b"#" * (BACKGROUND_LOAD_BYTES + 1))
    assert explorer_cache(bundled_model_path(), use_cache=True) is None
    cache = explorer_cache(large, use_cache=True)
    assert cache is not None and cache.directory == tmp_path / "cache"
    assert explorer_cache(large, use_cache=False) is None  # --no-cache
    monkeypatch.setenv("POLICYTERM_NO_CACHE", "1")
    assert explorer_cache(large, use_cache=True) is None


def test_validate_never_reads_the_cache(tmp_path: Path, model_file: Path) -> None:
    """A cache entry claiming a broken file is fine must not hide its problems."""
    cache = ModelCache(tmp_path / "cache")
    good = open_model(model_file, cache)
    text = model_file.read_text(encoding="utf-8")
    model_file.write_text(text.replace("score = ", "score = 99 + ", 1), encoding="utf-8")
    key = CacheKey.of(model_file)
    cache.entry(key).write_bytes(entry_bytes(key, good))
    assert stored_model(cache, key) == good  # the lie is in place
    result = subprocess.run(
        [sys.executable, "-m", "policyterm", "validate", str(model_file)],
        capture_output=True, text=True, timeout=60,
        env=working_tree_env(POLICYTERM_CACHE_DIR=str(tmp_path / "cache")))
    assert result.returncode == 1
    assert "model.toml" in result.stderr


@pytest.mark.parametrize("loosened", ["entry", "directory"])
def test_an_entry_others_could_have_written_is_never_unpickled(tmp_path: Path, model_file: Path,
                                                               loosened: str) -> None:
    """A pickle is code: a planted entry in a group- or world-writable place must not run."""
    cache = ModelCache(tmp_path / "cache")
    model = open_model(model_file, cache)
    key = CacheKey.of(model_file)
    planted = tmp_path / "planted"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(planted), "w"))

    cache.entry(key).write_bytes(entry_bytes(key, Payload()))
    (cache.entry(key) if loosened == "entry" else tmp_path / "cache").chmod(0o777)
    assert cache.get(key) is None
    assert not planted.exists()
    assert open_model(model_file, cache) == model  # loaded from the file instead


def test_a_parsed_model_is_handed_over_before_it_is_stored(tmp_path: Path,
                                                           model_file: Path) -> None:
    """The loading child answers the app there: the reader must not wait for the write."""
    cache = ModelCache(tmp_path / "cache")
    entry = cache.entry(CacheKey.of(model_file))
    stored_yet: list[bool] = []
    model = open_model(model_file, cache, on_parsed=lambda _: stored_yet.append(
        entry.exists()))
    assert stored_yet == [False] and entry.exists()
    stored_yet.clear()
    assert open_model(model_file, cache, on_parsed=lambda _: stored_yet.append(True)) == model
    assert stored_yet == []  # from the cache: nothing parsed, nothing stored


def test_records_pickle_by_tuple_new_and_come_back_whole() -> None:
    """Every record, dates' first and last days included, survives the cache's round trip,
    each as its own type."""
    model = load_model(bundled_model_path())
    stored = io.BytesIO()
    dump(model, stored)
    again = pickle.loads(stored.getvalue())
    assert again == model
    assert type(again.events[0].date.start) is DatePoint and type(again.article) is Article
    assert [(e.date.lower, e.date.upper) for e in again.events] == \
        [(e.date.lower, e.date.upper) for e in model.events]


def test_a_view_comes_back_with_its_lookups() -> None:
    view = ModelView(load_model(bundled_model_path()))
    stored = io.BytesIO()
    dump(view, stored)
    again = pickle.loads(stored.getvalue())
    assert again.model == view.model and again.counterparts == view.counterparts
    assert again.event_index == view.event_index
    counterpart = view.counterparts[0].id
    assert again.event_indices_of(counterpart) == view.event_indices_of(counterpart)
    assert again.relationships_of(counterpart) == view.relationships_of(counterpart)


def test_the_key_changes_with_the_code_that_reads_and_indexes_a_model(tmp_path: Path) -> None:
    """A view built by other code would come back wrong, and the version does not change
    with every edit: a digest of the code is part of the key."""
    names = {file.name for file in CODE_FILES}
    assert {"model.py", "dates.py", "views.py", "cache.py", "build.py", "fields.py"} <= names
    assert CacheKey.of(bundled_model_path()).code == code_digest()
    copies = []
    for file in CODE_FILES:
        copy = tmp_path / f"{len(copies)}-{file.name}"
        copy.write_bytes(file.read_bytes())
        copies.append(copy)
    assert digest_of(copies) == code_digest()
    views = next(copy for copy in copies if copy.name.endswith("-views.py"))
    views.write_text(views.read_text(encoding="utf-8").replace("COUNTRY", "BLOC", 1),
                     encoding="utf-8")
    assert digest_of(copies) != code_digest()


def test_the_least_recently_used_entries_go_beyond_the_limit(tmp_path: Path) -> None:
    cache = ModelCache(tmp_path / "cache")
    view = ModelView(load_model(bundled_model_path()))
    keys = [CacheKey(f"/models/{number}.toml", 1, 1) for number in range(MAX_ENTRIES)]
    for age, key in enumerate(keys):  # keys[0] the newest, keys[-1] the oldest
        cache.put(key, view)
        os.utime(cache.entry(key), (1_000_000 - age, 1_000_000 - age))
    assert cache.get(keys[-1]) is not None  # the oldest, read: now the most recently used
    leftover = tmp_path / "cache" / "policyterm-entry-killed.tmp"  # as put() names them
    # Files the cache did not write (POLICYTERM_CACHE_DIR may name any directory): kept.
    others = [tmp_path / "cache" / name for name in ("mywork.pickle", "editor-swap.tmp")]
    for old in (leftover, *others):
        old.write_bytes(b"")
        os.utime(old, (1_000, 1_000))
    newer = CacheKey("/models/new.toml", 1, 1)
    cache.put(newer, view)
    kept = set((tmp_path / "cache").iterdir())
    assert len(kept) == MAX_ENTRIES + len(others) and set(others) <= kept
    assert cache.entry(keys[-2]) not in kept  # the least recently used went
    assert {cache.entry(newer), cache.entry(keys[-1]), cache.entry(keys[0])} <= kept
