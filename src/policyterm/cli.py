"""The `policyterm` command: open the explorer, validate model files, export a model (JSON,
a Markdown report, CSV tables, TimelineJS JSON), start a new model file.

Exit status (sysexits.h where it has a name): 0 success; 1 bad model data; 2 bad usage,
including the explorer started without a terminal, `export -o` onto an existing file or
the model, and `init` onto an existing file; 66 (EX_NOINPUT) a model file missing or
unreadable (a directory, a FIFO or device, no permission, over 16 MiB); 74 (EX_IOERR)
standard output, or the file `export -o` or `init` creates, could not be written (a full
disk, a closed descriptor, no permission); 128+N the explorer was ended by signal N
(130 SIGINT, 129 SIGHUP, 143 SIGTERM), after giving the terminal back. When
`validate` checks several files, the status is 1 if any holds bad data, else 66 if any could
not be read, else 74 if the report could not be written, else 0. A reader that leaves early
(`| head`) does not change the status. No traceback reaches a user for bad input.
Textual is imported only when the explorer opens, so `validate` and `export` start fast.
"""

from __future__ import annotations

import argparse
import codecs
import errno
import gc
import io
import os
import shlex
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from policyterm import __version__
from policyterm.core.cache import ModelCache, cached_view, disabled_by_environment
from policyterm.core.loading import (
    ModelError,
    Problem,
    UnreadableModel,
    check_readable,
    decode_text,
    display_name,
    load_model,
    read_model_bytes,
)
from policyterm.core.loading.problems import MAX_PROBLEMS, stopped_note
from policyterm.core.model import Model
from policyterm.core.overview import contents_summary
from policyterm.core.views import ModelView

if TYPE_CHECKING:
    from policyterm.core.background import BackgroundLoad
    from policyterm.core.source import Source
    from policyterm.tui.app import PolicyApp

# Modules only some commands need are imported where they are used: the explorer starts its
# loading process, and then Textual, sooner without them.

EXIT_OK, EXIT_BAD_DATA, EXIT_USAGE = 0, 1, 2
EXIT_NO_INPUT, EXIT_IO_ERROR = 66, 74  # sysexits.h: EX_NOINPUT, EX_IOERR
HANG_UP_GRACE_SECONDS = 2.0  # after SIGHUP, the longest the app may take to close
# The explorer ends on these like on `q`, terminal restored, with status 128 + the signal.
EXIT_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGTERM)

# Models above this size load behind a loading screen, and are cached (roughly 4,000 events);
# smaller ones load before the UI starts, so their errors print on a normal terminal.
BACKGROUND_LOAD_BYTES = 2 * 1024 * 1024
# Allocations between collections of the youngest generation (Python's default is 700).
# Textual's drawing leaves reference cycles behind at every key, and each tenth collection
# of the middle generation becomes a full one, which walks every object the app has made:
# a key that pays for one takes several frames. Collecting less often keeps those out of
# nearly every key (see benchmarks/README.md); young collections stay short.
COLLECTOR_THRESHOLD = 10_000

DESCRIPTION = """\
Explore a country's foreign relations as one news analysis tells them: counterparts and how
each relationship went, everything the article says about each, and a timeline of events.
With no FILE, opens the bundled model of "The diplomatic front" (31 Dec 2023)."""

EPILOG = """\
commands:
  policyterm [FILE]                    open the explorer on FILE (default: the bundled article)
  policyterm validate [FILE ...]       check model files; every problem is listed with its place
  policyterm export [FILE] --format json|markdown|csv|timelinejs [--table T] [-o OUT]
                                       write the model as JSON, a Markdown report, CSV
                                       (--table events|figures|entities|relationships) or
                                       TimelineJS JSON to standard output, or to a new file OUT
  policyterm init FILE                 write a small commented model to start from (never
                                       overwrites: exit 2 if FILE exists, 74 if it cannot be
                                       written)

exit status: 0 ok, 1 bad model data, 2 bad usage (or the explorer started without a terminal,
  or init onto an existing file), 66 a model file missing or unreadable, 74 standard output
  (or the file init creates) could not be written,
  128+N ended by signal N (129 SIGHUP, 130 SIGINT, 143 SIGTERM).
  validate with several files: 1 if any has bad data, else 66, else 74, else 0.
Model format: docs/format.md in the project."""


def bundled_model_path() -> Path:
    """data/article.toml: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).parent / "data" / "article.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "article.toml"


def _load_or_report(path: Path | str) -> Model | int:
    """The model, or (its problems printed) the exit status saying why there is none."""
    try:
        return load_model(path)
    except UnreadableModel as error:
        _print_problems(error.problems)
        return EXIT_NO_INPUT
    except ModelError as error:
        _print_problems(error.problems)
        return EXIT_BAD_DATA


class _Output:
    """Standard output for `validate` and `export`.

    A reader that leaves early (`policyterm validate | head -1`) is not an error: output stops,
    quietly, and the status stays what the models make it. Any other failure (a full disk, a
    closed descriptor) is told once, on one line of standard error, and `failed` is set for
    EXIT_IO_ERROR. Either way standard output then points at /dev/null, so that nothing
    buffered fails again when Python exits."""

    def __init__(self) -> None:
        self.failed = False
        self._stopped = False

    def write(self, text: str) -> None:
        self._attempt(lambda stream: stream.write(text))

    def flush(self) -> None:
        self._attempt(lambda stream: stream.flush())

    def _attempt(self, action: Callable[[TextIO], object]) -> None:
        if self._stopped:
            return
        try:
            if sys.stdout is None:  # started with descriptor 1 closed (`>&-`)
                raise OSError(errno.EBADF, "it is closed")
            action(sys.stdout)
        except OSError as error:
            self._stopped = True
            _discard_stdout()
            if not isinstance(error, BrokenPipeError):
                self.failed = True
                _print_error(f"cannot write to standard output: {error.strerror or error}")


def _discard_stdout() -> None:
    """Point descriptor 1 at /dev/null (what Python's docs advise after a broken pipe)."""
    try:
        if sys.stdout is not None:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
    except (OSError, ValueError):
        pass


def _print_out(text: str) -> int:
    """Write `text` to standard output: EXIT_OK, or EXIT_IO_ERROR where it could not be."""
    output = _Output()
    output.write(text)
    output.flush()
    return EXIT_IO_ERROR if output.failed else EXIT_OK


def _print_error(message: str) -> None:
    print(f"policyterm: {message}", file=sys.stderr)


def run_validate(paths: Sequence[str], source_path: str | None = None) -> int:
    targets = list(paths) or [str(bundled_model_path())]
    output = _Output()
    statuses: set[int] = set()
    from policyterm.core.source import check_against_source, locate, read_source

    given = None
    if source_path is not None:  # asked for on the command line: it must be there
        try:
            given = read_source(Path(source_path))
        except ModelError as error:
            _print_problems(error.problems)
            return EXIT_NO_INPUT
    if given is not None and not paths:  # an author who forgot FILE: say whose model it is
        _print_error(f"no FILE given: checking the bundled article, "
                     f"{display_name(targets[0])}, against {display_name(source_path or '')}")
    for path in targets:
        model = _load_or_report(path)
        if isinstance(model, int):
            statuses.add(model)
            if model == EXIT_BAD_DATA and (given is not None or _names_a_source(path)):
                # Else the author fixes these, and meets the source's problems only then.
                _print_problems([Problem(display_name(path), SOURCE_NOT_CHECKED)])
            continue
        name = display_name(path)
        source, found = (given, []) if given else _named_source(Path(path), model, name)
        problems: list[Problem] = []
        if source is not None:
            problems, warnings = check_against_source(model, source, name)
            found += [*problems, *warnings]
        if found:
            with suppress(ModelError):  # changed since it was loaded: shown without places
                found = locate(found, decode_text(read_model_bytes(path), name))
            # The first in file order, as the loader lists them: nobody reads further.
            cut = found[MAX_PROBLEMS:]
            _print_problems(found[:MAX_PROBLEMS] + ([stopped_note(name)] if cut else []))
        if problems:
            statuses.add(EXIT_BAD_DATA)
            continue
        output.write(f"{name}: ok — {contents_summary(model)}"
                     + (f", checked against {source.name}" if source else "") + "\n")
        output.flush()  # each file's line as it is checked, and any failure seen here
    if output.failed:
        statuses.add(EXIT_IO_ERROR)
    return combined_status(statuses)


SOURCE_NOT_CHECKED = ("not checked against its source text (citations, date phrases, copied "
                      "wording) until the problems above are fixed")


def _names_a_source(path: str) -> bool:
    """Whether a model file that did not load names a `source_file` that is there (the
    file read again for this)."""
    from policyterm.core.loading.reading import parse_toml
    from policyterm.core.source import source_path

    with suppress(ModelError, OSError, ValueError):
        article = parse_toml(decode_text(read_model_bytes(path), ""), "").get("article")
        named = article.get("source_file") if isinstance(article, dict) else None
        if not isinstance(named, str) or os.path.isabs(named):  # refused: never read
            return False
        source = source_path(Path(path), named)
        return source is not None and source.is_file()
    return False


def _named_source(model_path: Path, model: Model, name: str) -> tuple[Source | None,
                                                                     list[Problem]]:
    """The model's own `source_file`, if it names one; or a warning that it cannot be read
    (the model is still checked on its own)."""
    from policyterm.core.source import read_named_source, source_path

    path = source_path(model_path, model.article.source_file)
    if path is None:
        return None, []
    source, warning = read_named_source(name, path)
    return source, [warning] if warning is not None else []


def combined_status(statuses: Iterable[int]) -> int:
    """One status for several files: bad data first (the answer `validate` was asked for),
    then an unreadable file, then output that could not be written, then success."""
    found = set(statuses)
    return next((s for s in (EXIT_BAD_DATA, EXIT_NO_INPUT, EXIT_IO_ERROR) if s in found),
                max(found, default=EXIT_OK))


FORMATS = ("json", "markdown", "csv", "timelinejs")


def run_export(path: str | None, output_format: str, table: str = "events",
               output_file: str | None = None) -> int:
    model_path = Path(path) if path else bundled_model_path()
    if output_file is not None and (refused := _names_a_directory(output_file)):
        _print_error(f"-o {refused}")
        return EXIT_USAGE
    target = Path(output_file) if output_file is not None else None
    if target is not None and _is_the_model(target, model_path):
        # Refused before loading, and whether or not the model is valid: an export must
        # never be able to replace the file it was made from.
        _print_error(f"-o {display_name(target)} is the model file itself; export never "
                     "writes over it")
        return EXIT_USAGE
    model = _load_or_report(model_path)
    if isinstance(model, int):
        return model
    if target is not None:
        return _write_new_file(target, _export_text(model, output_format, table),
                               f"-o {display_name(target)} already exists; export never "
                               "overwrites a file")
    ascii_only = False
    if output_format in ("json", "timelinejs"):
        # On a stdout that is not UTF-8 (PYTHONIOENCODING=ascii, a latin-1 locale), \u escapes
        # keep the JSON valid where raw characters would not encode.
        encoding = sys.stdout.encoding if sys.stdout is not None else None
        ascii_only = codecs.lookup(encoding or "ascii").name != "utf-8"
    elif isinstance(sys.stdout, io.TextIOWrapper):
        # Markdown and CSV are UTF-8 whatever the locale (what other tools expect of them);
        # newline="" keeps CSV's CRLF as RFC 4180 has it on every platform.
        sys.stdout.reconfigure(encoding="utf-8", newline="")
    return _print_out(_export_text(model, output_format, table, ascii_only))


def _export_text(model: Model, output_format: str, table: str, ascii_only: bool = False) -> str:
    """The whole export as text; JSON with \\u escapes for every non-ASCII character where
    `ascii_only`."""
    if output_format == "markdown":
        from policyterm.core.export_markdown import to_markdown

        return to_markdown(ModelView(model))
    if output_format == "csv":
        from policyterm.core.export_csv import to_csv

        return to_csv(model, table)
    import json  # here, not at the top: opening the explorer never needs it (2 ms)

    from policyterm.core.export import to_jsonable
    from policyterm.core.export_timelinejs import to_timelinejs

    data = to_timelinejs(ModelView(model)) if output_format == "timelinejs" else to_jsonable(model)
    return json.dumps(data, ensure_ascii=ascii_only, indent=2) + "\n"


def _is_the_model(target: Path, model_path: Path) -> bool:
    try:
        return target.resolve() == model_path.resolve() or os.path.samefile(target, model_path)
    except OSError:  # either one missing: the target cannot be the model file
        return False


def _names_a_directory(path: str) -> str | None:
    """The error for a `path` that names a directory, if it does: "out/", "out/." and
    "out/.." would be written by Path() as a file "out" (it drops what they end in)."""
    last = os.path.basename(path)
    if path.endswith(tuple(sep for sep in (os.sep, os.altsep, "/") if sep)):
        how = "ends in a separator"
    elif last in (".", ".."):
        how = f"ends in “{last}”"
    else:
        return None
    return f"{display_name(path)} {how}, so names a directory; expected the name of a new file"


def _write_new_file(target: Path, text: str, exists: str) -> int:
    """Write `text` to a file that must not exist yet: "x" mode refuses an existing one (a
    dangling symlink too) in the same system call that creates it, so nothing is replaced.
    `exists`: the error when it does."""
    created = False
    try:
        with open(target, "x", encoding="utf-8", newline="") as stream:
            created = True
            stream.write(text)
    except FileExistsError:
        _print_error(exists)
        return EXIT_USAGE
    except (OSError, ValueError) as error:  # ValueError: a name holding a NUL character
        if created:
            target.unlink(missing_ok=True)  # ours, made above: no half file is left behind
        verb = "write" if created else "create"
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        _print_error(f"cannot {verb} {display_name(target)}: {reason}")
        return EXIT_IO_ERROR
    return EXIT_OK


def schema_path() -> Path | None:
    """schema/article.schema.json at the top of a source checkout (an installed package does
    not ship it)."""
    schema = Path(__file__).resolve().parents[2] / "schema" / "article.schema.json"
    return schema if schema.is_file() else None


def run_init(path: str) -> int:
    """Write the skeleton model to a new file; never replace one (exit 2 if it exists)."""
    from policyterm.core.skeleton import skeleton

    if refused := _names_a_directory(path):
        _print_error(refused)
        return EXIT_USAGE
    target = Path(path)
    schema = schema_path()
    reference = None
    if schema is not None:
        with suppress(ValueError):  # on another drive (Windows): no relative path exists
            reference = Path(os.path.relpath(schema, target.absolute().parent)).as_posix()
    exists = ("is a directory; expected the name of a new file in it" if target.is_dir() else
              "already exists; init writes only a new file (choose another name)")
    status = _write_new_file(target, skeleton(reference), f"{display_name(path)} {exists}")
    if status != EXIT_OK:
        return status
    # Quoted as a shell needs it, so that the command can be copied as it is.
    return _print_out(f"{display_name(path)}: written; check it with: policyterm validate "
                      f"{shlex.quote(display_name(path))}\n")


def run_explorer(path: str | None, use_cache: bool = True, theme: str | None = None,
                 source: str | None = None) -> int:
    # Until the app runs, everything made (the model, Textual's modules, the first panes)
    # lasts as long as the app: the collector would only walk it, again and again.
    with _collector_paused(True):
        app = _explorer(path, use_cache, theme, source)
        if isinstance(app, int):
            return app
        # Out of the collector's full passes too, which would walk all of it again while
        # the reader types.
        gc.freeze()
        gc.set_threshold(COLLECTOR_THRESHOLD)
    started_with = app.theme
    received: list[int] = []
    with _exit_on_signals(app, received):
        app.run()
    if app.theme != started_with:
        remember_theme(app.theme)  # the reader chose it (ctrl+p, Theme): next time too
    if received:
        return 128 + received[0]
    if app.load_problems:
        _print_problems(app.load_problems)
        return EXIT_NO_INPUT if app.load_unreadable else EXIT_BAD_DATA
    return app.return_code or EXIT_OK


def remember_theme(theme: str) -> None:
    """Save the theme for next time; when that fails, say so (the exit status stays)."""
    from policyterm.core.settings import save_theme, settings_path

    target = settings_path()
    try:
        save_theme(theme, target)
    except OSError as error:
        reason = error.strerror or str(error)
        beside = {target.parent, Path(os.path.realpath(target)).parent}
        if error.filename and Path(os.fsdecode(error.filename)).parent not in beside:
            reason = f"{display_name(error.filename)}: {reason}"  # a folder above it
        _print_error(f"the theme {theme} is not remembered: cannot write "
                     f"{display_name(target)}: {reason}")


def _explorer(path: str | None, use_cache: bool, theme: str | None,
              source: str | None) -> PolicyApp | int:
    """The app on its model, or on a process loading it; or the status to exit with."""
    model_path = Path(path) if path else bundled_model_path()
    cache = explorer_cache(model_path, use_cache)
    if _is_large(model_path):
        # Seconds of parsing, unless cached: the app opens at once and loads it behind a
        # loading screen (its problems are printed when it closes).
        try:  # what can be told without reading it, in the order README gives
            check_readable(model_path)
        except UnreadableModel as error:
            _print_problems(error.problems)
            return EXIT_NO_INPUT
        if not _on_a_terminal():
            return EXIT_USAGE
        model: Model | ModelView | None = cached_view(model_path, cache)
        # Not cached: the loading process starts before Textual is imported, so that it
        # parses while the app starts and draws its loading screen.
        loader = _background_load(model_path, cache) if model is None else None
    else:
        # Milliseconds: load before the terminal switches to the full-screen UI, so that
        # errors stay readable on the normal screen.
        loaded = _load_or_report(model_path)
        if isinstance(loaded, int):
            return loaded
        model, loader = loaded, None
        if not _on_a_terminal():
            return EXIT_USAGE
    from policyterm.tui.app import PolicyApp  # textual is heavy: import only when the UI opens

    app = PolicyApp(model, path=model_path, cache=cache, loader=loader,
                    source=Path(source) if source is not None else None)
    if (status := apply_theme(app, theme)) is not None:
        if loader is not None:
            loader.stop()
        return status
    return app


def _background_load(path: Path, cache: ModelCache | None) -> BackgroundLoad | None:
    """A child process loading `path`; None if none could be started (the app then tries
    again, and says why it cannot load)."""
    from policyterm.core.background import BackgroundLoad

    try:
        return BackgroundLoad(path, cache)
    except OSError:
        return None


def _on_a_terminal() -> bool:
    """True when the explorer can run: it reads keys from standard input and draws on standard
    error, and standard output must not be a file or pipe that would expect text. Otherwise
    says so in one line (no escape code is written) and the caller exits EXIT_USAGE."""
    streams: tuple[TextIO | None, ...] = (sys.stdin, sys.stdout, sys.stderr)
    if all(stream is not None and _is_tty(stream) for stream in streams):
        return True
    _print_error("the explorer needs a terminal (standard input, output and error); "
                 "for the model as text, use: policyterm export [FILE] --format json")
    return False


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


@contextmanager
def _exit_on_signals(app: PolicyApp, received: list[int]) -> Iterator[None]:
    """While the block runs, SIGHUP, SIGINT and SIGTERM ask the app to exit as `q` does (the
    terminal is restored) with status 128 + the signal; each is appended to `received`. The
    previous handlers come back after the block.

    Textual reads ctrl+c as a key (the terminal is in raw mode), so SIGINT comes from `kill`;
    without this, asyncio.run turns it into a KeyboardInterrupt after the app has closed, and
    SIGTERM and SIGHUP kill the process with the terminal still in the alternate screen."""

    import asyncio  # here: Textual has imported it by now
    import threading

    def ask_app_to_exit(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        if signum == signal.SIGHUP:
            # The terminal is usually gone: Textual's last writes to it can block its exit
            # for good, so the process ends anyway a moment later (nothing is left to save).
            threading.Timer(HANG_UP_GRACE_SECONDS, os._exit, (128 + signum,)).start()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # before the app's loop runs: the exit waits in its queue
            app.exit(return_code=128 + signum)
        else:  # a signal handler may interrupt the loop anywhere: let it call back later
            loop.call_soon_threadsafe(lambda: app.exit(return_code=128 + signum))

    previous = {number: signal.getsignal(number) for number in EXIT_SIGNALS}
    for number in EXIT_SIGNALS:
        signal.signal(number, ask_app_to_exit)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def apply_theme(app: PolicyApp, requested: str | None) -> int | None:
    """Start `app` in the theme asked for, else in the one last chosen; a status to exit
    with if the one asked for does not exist (a remembered one that no longer does is
    skipped)."""
    from policyterm.core.settings import saved_theme

    chosen = requested if requested is not None else saved_theme()
    if chosen is None:
        return None
    if chosen in app.available_themes:
        app.theme = chosen
        return None
    if requested is None:
        return None
    import difflib

    names = sorted(app.available_themes)
    near = difflib.get_close_matches(requested, names, n=1) if len(requested) <= 40 else []
    guess = f" (did you mean {near[0]}?)" if near else ""
    _print_error(f"no theme called {display_name(requested)}{guess}; the themes are: "
                 f"{', '.join(names)}")
    return EXIT_USAGE


def _print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def explorer_cache(model_path: Path, use_cache: bool) -> ModelCache | None:
    """The cache the explorer reads and writes for `model_path`: none for a model that loads
    in milliseconds (nor when it is reloaded: the cache is for large models' starts), none
    when turned off."""
    if not use_cache or disabled_by_environment() or not _is_large(model_path):
        return None
    return ModelCache()


def _is_large(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > BACKGROUND_LOAD_BYTES
    except OSError:
        return False


def _parser(prog: str = "policyterm", description: str = DESCRIPTION,
            epilog: str | None = EPILOG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog, description=description, epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policyterm {__version__}")
    return parser


def _escape_unencodable_output() -> None:
    """A character stdout or stderr cannot encode is written as an escape, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


@contextmanager
def _collector_paused(paused: bool) -> Iterator[None]:
    """No cyclic garbage collection inside the block, when `paused`; as before after it.

    validate and export load a model and exit. Loading allocates a great many containers
    and frees none until it ends, so each collection would only rescan them, and a model
    holds no reference cycles: reference counting frees all there is to free. The app
    keeps the collector: it runs for long and makes garbage as it goes."""
    enabled = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _escape_unencodable_output()
    with _collector_paused(bool(args) and args[0] in ("validate", "export")):
        status = _command(args)
    if sys.stdout is not None:  # what is still buffered (--help, --version) is written now
        output = _Output()
        output.flush()
        if output.failed and status == EXIT_OK:
            return EXIT_IO_ERROR
    return status


def _path(text: str) -> str:
    """A path argument. An empty one (an unset shell variable, most likely) is refused: it
    read as no FILE, the bundled article, or as the current directory."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (an unset variable?)")
    return text


def _command(args: list[str]) -> int:
    try:
        if args and args[0] == "validate":
            parser = _parser("policyterm validate",
                             "Check model files against format v1; list every problem.", None)
            parser.add_argument("files", nargs="*", metavar="FILE", type=_path,
                                help="model files (default: the bundled article)")
            parser.add_argument("--source", metavar="PATH", type=_path,
                                help="also check the model against its source text: "
                                "citations, paragraph count, date phrases, copied wording")
            options = parser.parse_args(args[1:])
            return run_validate(options.files, options.source)
        if args and args[0] == "init":
            parser = _parser("policyterm init",
                             "Write a small commented model to start from; never overwrite "
                             "a file.", None)
            parser.add_argument("file", metavar="FILE", type=_path, help="the new model file")
            options = parser.parse_args(args[1:])
            return run_init(options.file)
        if args and args[0] == "export":
            parser = _parser("policyterm export",
                             "Write a model as JSON, a Markdown report, CSV or TimelineJS "
                             "JSON to standard output.", None)
            parser.add_argument("file", nargs="?", metavar="FILE", type=_path,
                                help="model file (default: the bundled article)")
            parser.add_argument("--format", dest="output_format", choices=FORMATS,
                                default="json", help="output format (default: json)")
            from policyterm.core.export_csv import TABLES

            parser.add_argument("--table", choices=TABLES, default=None,
                                help="with --format csv: the table to write (default: events)")
            parser.add_argument("-o", "--output", metavar="FILE", default=None, type=_path,
                                help="write to FILE, which must not exist yet")
            options = parser.parse_args(args[1:])
            if options.table is not None and options.output_format != "csv":
                parser.error("--table goes with --format csv")
            return run_export(options.file, options.output_format,
                              options.table or "events", options.output)
        parser = _parser()
        parser.add_argument("file", nargs="?", metavar="FILE", type=_path,
                            help="model file to open (default: the bundled article)")
        parser.add_argument("--theme", metavar="NAME",
                            help="a Textual theme such as textual-light or nord (default: "
                            "the last one chosen in the app)")
        parser.add_argument("--source", metavar="PATH", type=_path,
                            help="the article's text, to open cited paragraphs and search "
                            "them (default: the model's [article] source_file)")
        parser.add_argument("--no-cache", action="store_true",
                            help="neither read nor write the parsed-model cache (also: "
                            "POLICYTERM_NO_CACHE=1)")
        options = parser.parse_args(args)
        return run_explorer(options.file, use_cache=not options.no_cache, theme=options.theme,
                            source=options.source)
    except SystemExit as exit_request:  # argparse: --help, --version, usage errors
        code = exit_request.code
        return code if isinstance(code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
