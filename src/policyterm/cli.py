"""The `policyterm` command: open the explorer, validate model files, export a model as JSON.

Exit status: 0 success, 1 bad data, 2 bad usage. No traceback reaches a user for bad input.
Textual is imported only when the explorer opens, so `validate` and `export` start fast.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import io
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from policyterm import __version__
from policyterm.core.cache import ModelCache, cached_model, disabled_by_environment
from policyterm.core.export import to_jsonable
from policyterm.core.loading import ModelError, Problem, display_name, load_model
from policyterm.core.model import Model

EXIT_OK, EXIT_BAD_DATA, EXIT_USAGE = 0, 1, 2

# Models above this size load behind a loading screen, and are cached (roughly 4,000 events);
# smaller ones load before the UI starts, so their errors print on a normal terminal.
BACKGROUND_LOAD_BYTES = 2 * 1024 * 1024

DESCRIPTION = """\
Explore a country's foreign relations as one news analysis tells them: counterparts and how
each relationship went, everything the article says about each, and a timeline of events.
With no FILE, opens the bundled model of "The diplomatic front" (31 Dec 2023)."""

EPILOG = """\
commands:
  policyterm [FILE]                    open the explorer on FILE (default: the bundled article)
  policyterm validate [FILE ...]       check model files; every problem is listed with its place
  policyterm export [FILE] --format json
                                       write the whole model as JSON to standard output

exit status: 0 ok, 1 bad model data, 2 bad usage.
Model format: docs/format.md in the project."""


def bundled_model_path() -> Path:
    """data/article.toml: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).parent / "data" / "article.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "article.toml"


def _load_or_report(path: Path | str) -> Model | None:
    try:
        return load_model(path)
    except ModelError as error:
        _print_problems(error.problems)
        return None


def _summary(model: Model) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    return ", ".join([
        count(len(model.entities), "entity").replace("entitys", "entities"),
        count(len(model.relationships), "relationship"),
        count(len(model.events), "event"),
        count(len(model.figures), "figure"),
        count(len(model.themes), "theme"),
    ])


def run_validate(paths: Sequence[str]) -> int:
    targets = list(paths) or [str(bundled_model_path())]
    status = EXIT_OK
    for path in targets:
        model = _load_or_report(path)
        if model is None:
            status = EXIT_BAD_DATA
        else:
            print(f"{display_name(path)}: ok — {_summary(model)}")
    return status


def run_export(path: str | None, output_format: str) -> int:
    model = _load_or_report(path or bundled_model_path())
    if model is None:
        return EXIT_BAD_DATA
    if output_format == "json":
        import json  # here, not at the top: opening the explorer never needs it (2 ms)

        # On a stdout that is not UTF-8 (PYTHONIOENCODING=ascii, a latin-1 locale), \u escapes
        # keep the JSON valid where raw characters would not encode.
        utf8 = codecs.lookup(sys.stdout.encoding or "ascii").name == "utf-8"
        json.dump(to_jsonable(model), sys.stdout, ensure_ascii=not utf8, indent=2)
        sys.stdout.write("\n")
    return EXIT_OK


def run_explorer(path: str | None, use_cache: bool = True) -> int:
    model_path = Path(path) if path else bundled_model_path()
    cache = ModelCache() if use_cache and not disabled_by_environment() else None
    from policyterm.tui.app import PolicyApp  # textual is heavy: import only when the UI opens

    if _is_large(model_path):
        # Seconds of parsing, unless cached: the app opens at once and loads it behind a
        # loading screen.
        model = cached_model(model_path, cache)
        app = PolicyApp(model) if model else PolicyApp(path=model_path, cache=cache)
    else:
        # Milliseconds: load before the terminal switches to the full-screen UI, so that
        # errors stay readable on the normal screen.
        model = _load_or_report(model_path)
        if model is None:
            return EXIT_BAD_DATA
        app = PolicyApp(model)
    app.run()
    if app.load_problems:
        _print_problems(app.load_problems)
        return EXIT_BAD_DATA
    return app.return_code or EXIT_OK


def _print_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


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
        return _run(args)


def _run(args: list[str]) -> int:
    try:
        if args and args[0] == "validate":
            parser = _parser("policyterm validate",
                             "Check model files against format v1; list every problem.", None)
            parser.add_argument("files", nargs="*", metavar="FILE",
                                help="model files (default: the bundled article)")
            options = parser.parse_args(args[1:])
            return run_validate(options.files)
        if args and args[0] == "export":
            parser = _parser("policyterm export",
                             "Write a whole model as JSON to standard output.", None)
            parser.add_argument("file", nargs="?", metavar="FILE",
                                help="model file (default: the bundled article)")
            parser.add_argument("--format", dest="output_format", choices=["json"],
                                default="json", help="output format (default: json)")
            options = parser.parse_args(args[1:])
            return run_export(options.file, options.output_format)
        parser = _parser()
        parser.add_argument("file", nargs="?", metavar="FILE",
                            help="model file to open (default: the bundled article)")
        parser.add_argument("--no-cache", action="store_true",
                            help="neither read nor write the parsed-model cache (also: "
                            "POLICYTERM_NO_CACHE=1)")
        options = parser.parse_args(args)
        return run_explorer(options.file, use_cache=not options.no_cache)
    except SystemExit as exit_request:  # argparse: --help, --version, usage errors
        code = exit_request.code
        return code if isinstance(code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `policyterm export | head`: the reader left; that is not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
