"""The hostile-input corpus (tests/fixtures/invalid): every broken model is refused, cleanly.

Each fixture goes through the loader once: it raises ModelError, the problems hold every
`# expect:` line, each is one line naming its place, and nothing else is reported. One run
of `policyterm validate` over the whole corpus checks the command line. Cases too big to
commit are made here. See tests/fixtures/invalid/README.md for the fixture format; the
JSON Schema's view of the corpus is checked in tests/test_schema.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli

from conftest import working_tree_env
from policyterm import cli
from policyterm.core.loading import (
    MAX_FILE_BYTES,
    ModelError,
    Problem,
    UnreadableModel,
    load_model,
)
from policyterm.core.loading.build import parse_document

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
FIXTURES = ROOT / "tests" / "fixtures" / "invalid"
EXAMPLE = ROOT / "docs" / "example.toml"

EXPECT = "# expect: "
NOT_FIXTURES = {"README.md"}

# Problems about the whole file: no key path, and no line to point at.
WHOLE_FILE = {"empty.toml", "whitespace-only.toml", "utf16-bom.toml", "nested-too-deep.toml",
              "comments-only.toml"}

# Parts of the file as a whole: when one is missing there is no line to point at.
MISSING_PARTS = {"format", "entities", "article"}

# A terminal escape, a carriage return or any other control character in the output.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

SECONDS = 5.0


def fixture_paths() -> list[Path]:
    return sorted(
        path for path in FIXTURES.iterdir()
        if path.name not in NOT_FIXTURES and path.suffix != ".expect"
    )


def header_lines(path: Path) -> list[str]:
    """The fixture's own comment lines, or its sidecar's when it cannot hold comments."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    sidecar = path.with_suffix(".expect")
    if sidecar.exists():
        lines = sidecar.read_text(encoding="utf-8").splitlines()
    return lines


def expectations(path: Path) -> list[str]:
    return [line[len(EXPECT):] for line in header_lines(path) if line.startswith(EXPECT)]


def run_cli(*args: str, timeout: float = 30) -> tuple[subprocess.CompletedProcess[str], float]:
    """`python -m policyterm ARGS` with stdin and stdout not a terminal; (result, seconds)."""
    env = working_tree_env()
    env["PYTHONIOENCODING"] = "utf-8"
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "policyterm", *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
        env=env, timeout=timeout, check=False,
    )
    return result, time.monotonic() - start


def assert_reports(lines: list[str], expected: list[str], what: str) -> None:
    """Each expect line is in the output, and each output line is one the fixture expects."""
    assert lines, f"{what}: no problems reported"
    for needle in expected:
        assert any(needle in line for line in lines), (
            f"{what}: no problem contains {needle!r}; got:\n" + "\n".join(lines)
        )
    for line in lines:
        assert any(needle in line for needle in expected), (
            f"{what}: unexpected problem {line!r} (the fixture is broken in another way too)"
        )
        assert not _CONTROL.search(line), f"{what}: a control character in {line!r}"


def assert_located(problem: Problem, name: str) -> None:
    text = str(problem)
    assert text.startswith(problem.file + ":"), text
    if name in WHOLE_FILE:
        return
    if problem.line is None:  # only a part the whole file lacks has no line to point at
        assert problem.path in MISSING_PARTS and "is missing" in text, f"{name}: no line: {text}"
        assert text.startswith(f"{problem.file}: {problem.path}: "), text
    else:
        assert re.match(rf"{re.escape(problem.file)}:\d+:\d+: ", text), text


ALL = fixture_paths()
IDS = [path.name for path in ALL]


def test_the_corpus_is_complete() -> None:
    assert len(ALL) >= 100
    for path in ALL:
        assert expectations(path), f"{path.name} has no '# expect:' line (nor a .expect sidecar)"
    for sidecar in FIXTURES.glob("*.expect"):
        owners = [path for path in ALL if path.with_suffix(".expect") == sidecar]
        assert owners, f"{sidecar.name} belongs to no fixture"
    names = {path.name for path in ALL}
    for kind in ("empty.toml", "whitespace-only.toml", "binary.bin", "utf16-bom.toml",
                 "invalid-utf8.toml", "nested-too-deep.toml", "format-missing.toml",
                 "date-feb-30.toml", "date-reversed-interval.toml", "score-nan.toml",
                 "duplicate-id.toml", "pair-same-entity.toml", "control-escape.toml"):
        assert kind in names


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_loader_refuses_fixture(path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert time.monotonic() - start < SECONDS
    problems = caught.value.problems
    assert_reports([str(problem) for problem in problems], expectations(path), path.name)
    for problem in problems:
        assert problem.file == str(path)
        assert_located(problem, path.name)
    assert str(caught.value).count("\n") == len(problems) - 1


@pytest.mark.parametrize(
    "name", ["date-month-13.toml", "binary.bin", "syntax-duplicate-key.toml", "empty.toml",
             "dangling-event-actors.toml", "nested-too-deep.toml"],
)
def test_explorer_command_exits_promptly_without_a_terminal(name: str) -> None:
    path = FIXTURES / name
    result, seconds = run_cli(str(path), timeout=20)
    assert result.returncode == 1
    assert seconds < SECONDS
    assert result.stdout == "", "the UI wrote to the terminal"
    assert "Traceback" not in result.stderr
    validate, _ = run_cli("validate", str(path))
    assert result.stderr == validate.stderr


def test_validate_of_the_whole_corpus_at_once_reports_every_file() -> None:
    """The command line over every fixture at once: each is named, nothing else is said."""
    result, seconds = run_cli("validate", *map(str, ALL), timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert seconds < 4 * SECONDS
    lines = result.stderr.splitlines()
    for path in ALL:
        assert any(line.startswith(f"{path}:") for line in lines), f"{path.name} is not named"
    for line in lines:
        assert not _CONTROL.search(line), f"a control character in {line!r}"
        assert any(line.startswith(f"{path}:") for path in ALL), f"unexpected line {line!r}"


# ---------------------------------------------------------------------------------------------
# Cases made at test time


def test_file_over_16_mib_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    filler = "# " + "x" * 1021 + "\n"
    big.write_text(EXAMPLE.read_text(encoding="utf-8") + filler * (16 * 1024 + 1),
                   encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES
    start = time.monotonic()
    with pytest.raises(ModelError) as caught:
        load_model(big)
    assert time.monotonic() - start < SECONDS
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{big}: is ")
    assert "expected a model file of at most 16,777,216 bytes (16 MiB)" in str(problem)
    result, seconds = run_cli("validate", str(big))
    assert result.returncode == cli.EXIT_NO_INPUT and seconds < SECONDS
    assert result.stderr.strip() == str(problem)


def test_file_of_exactly_16_mib_is_read(tmp_path: Path) -> None:
    edge = tmp_path / "edge.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    edge.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode()) - 1) + "\n",
                    encoding="utf-8")
    assert edge.stat().st_size == MAX_FILE_BYTES
    assert len(load_model(edge).events) == 5


def test_a_20_mb_string_is_refused_by_size(tmp_path: Path) -> None:
    huge = tmp_path / "huge-string.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    huge.write_text(text.replace('title = "Ruritania and its neighbours"',
                                 'title = "' + "A" * 20_000_000 + '"'), encoding="utf-8")
    result, seconds = run_cli("validate", str(huge))
    assert result.returncode == cli.EXIT_NO_INPUT and seconds < SECONDS
    assert "Traceback" not in result.stderr
    assert "(16 MiB)" in result.stderr
    assert len(result.stderr) < 300


@pytest.mark.parametrize(
    "where", ["id", "date", "title", "key", "reference", "type", "top-level key"]
)
def test_a_huge_string_anywhere_gives_a_short_message_quickly(where: str) -> None:
    """15 MB fits under the file limit: no message may echo it, and no check may crawl."""
    huge = "\u00e9" + "x" * 15_000_000 + "\x1b"
    document = tomli.loads(EXAMPLE.read_text(encoding="utf-8"))
    event = document["events"][0]
    if where == "id":
        event["id"] = huge
    elif where == "date":
        event["date"] = huge
    elif where == "title":
        event["title"] = huge
    elif where == "key":
        event[huge] = 1
    elif where == "reference":
        event["actors"] = [huge]
    elif where == "type":
        event["type"] = huge
    else:
        document[huge] = 1
    start = time.monotonic()
    with pytest.raises(ModelError) as caught:
        parse_document(document, "huge.toml")
    assert time.monotonic() - start < SECONDS
    for problem in caught.value.problems:
        text = str(problem)
        assert len(text) < 400, text[:400]
        assert "\n" not in text and "\x1b" not in text
        assert problem.path


def test_nesting_100000_deep_is_reported_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("format = 1\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model(deep)
    assert "nested too deeply to parse" in str(caught.value)
    result, seconds = run_cli("validate", str(deep))
    assert result.returncode == 1 and seconds < SECONDS
    assert "Traceback" not in result.stderr
    assert "nested too deeply to parse" in result.stderr


def test_an_array_left_open_above_megabytes_of_spaces_is_named_quickly(tmp_path: Path) -> None:
    """Finding the array left open read each line of spaces once per space: a 2 MB file of
    spaces took minutes."""
    spaces = tmp_path / "spaces.toml"
    spaces.write_text("format = 1\nentities = [\n" + (" " * 2000 + "\n") * 1000 + "themes = []\n",
                      encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(ModelError) as caught:
        load_model(spaces)
    assert time.monotonic() - start < SECONDS
    (problem,) = caught.value.problems
    assert problem.line == 1003 and problem.message == (
        'TOML syntax error: the array "entities = [" of line 2 is not closed; expected ] '
        "before this key")


def test_deeply_nested_inline_tables_are_reported(tmp_path: Path) -> None:
    deep = tmp_path / "deep-tables.toml"
    deep.write_text("format = 1\nx = " + "{ a = " * 5000 + "1" + " }" * 5000 + "\n",
                    encoding="utf-8")
    result, _ = run_cli("validate", str(deep))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nested too deeply to parse" in result.stderr


@pytest.mark.parametrize("parts", [900, 50_000])
def test_a_long_dotted_header_is_one_unknown_key_or_too_deep(tmp_path: Path, parts: int) -> None:
    """900 parts nest 900 tables (the loader must not recurse); tomli refuses 50,000."""
    deep = tmp_path / "dotted.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    deep.write_text(text + "\n[" + "a." * parts + "a]\nb = 1\n", encoding="utf-8")
    result, seconds = run_cli("validate", str(deep))
    assert result.returncode == 1 and seconds < SECONDS
    assert "Traceback" not in result.stderr
    if parts < 1000:
        header_line = text.count("\n") + 2
        expected = (f"{deep}:{header_line}:2: a: unknown key; expected one of format, entities, "
                    "themes, article, relationships, events, figures")
    else:
        expected = (f"{deep}: arrays or tables are nested too deeply to parse; "
                    "expected the flat layout of format v1")
    assert result.stderr.splitlines() == [expected]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError) as caught:
        load_model(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a directory; expected a model file (.toml)"
    result, _ = run_cli("validate", str(tmp_path))
    assert result.returncode == cli.EXIT_NO_INPUT
    assert result.stderr == f"{tmp_path}: is a directory; expected a model file (.toml)\n"
    explorer, seconds = run_cli(str(tmp_path))
    assert explorer.returncode == cli.EXIT_NO_INPUT and seconds < SECONDS
    assert explorer.stderr == result.stderr and explorer.stdout == ""


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "article.toml"
    with pytest.raises(ModelError) as caught:
        load_model(missing)
    assert str(caught.value) == f"{missing}: no such file; expected a path to a model file"
    result, _ = run_cli("validate", str(missing))
    assert result.returncode == cli.EXIT_NO_INPUT
    assert "Traceback" not in result.stderr
    assert result.stderr == f"{missing}: no such file; expected a path to a model file\n"
    explorer, seconds = run_cli(str(missing))
    assert explorer.returncode == cli.EXIT_NO_INPUT and seconds < SECONDS
    assert explorer.stderr == result.stderr and explorer.stdout == ""


def test_three_mistakes_in_one_file_are_all_reported(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    broken = (
        text.replace('date = "2023-05-16"', 'date = "2023-02-30"')
        .replace('unit = "percent"', 'unit = "percent"\ncolour = "red"')
        .replace('actors = ["cdb"]', 'actors = ["imf"]')
    )
    assert broken.count("\n") == text.count("\n") + 1
    model = tmp_path / "three.toml"
    model.write_text(broken, encoding="utf-8")
    result, _ = run_cli("validate", str(model))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [  # in file order, each at its value or key
        f'{model}:75:8: events[1] (id "lenz-visit").date: "2023-02-30" is not a date: '
        "Feb 2023 has no day 30; expected 01..28",
        f'{model}:91:11: events[2] (id "cdb-loan").actors: "imf" is not the id of any entity; '
        "expected an entity id defined in this file",
        f'{model}:138:1: figures[1] (id "river-share").colour: unknown key; expected one of id, '
        "value, unit, approximate, label, relationships, events, source",
    ]


def test_a_device_is_refused_without_reading_it() -> None:
    """/dev/zero says it is 0 bytes long and never ends: it is refused for what it is."""
    result, seconds = run_cli("validate", "/dev/zero")
    assert result.returncode == cli.EXIT_NO_INPUT and seconds < SECONDS
    assert result.stderr == ("/dev/zero: is a character device; "
                             "expected a regular model file (.toml)\n")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer that never comes, unless it is refused first."""
    fifo = tmp_path / "model.toml"
    os.mkfifo(fifo)
    result, seconds = run_cli("validate", str(fifo), timeout=20)
    assert result.returncode == cli.EXIT_NO_INPUT and seconds < SECONDS
    assert result.stderr == f"{fifo}: is a named pipe (FIFO); expected a regular model file " \
        "(.toml)\n"
    with pytest.raises(UnreadableModel):  # safe in process now that it is known not to block
        load_model(fifo)


def test_problems_past_a_thousand_are_not_listed(tmp_path: Path) -> None:
    """Millions of mistakes must not flood the terminal: 1,000 lines, then one more."""
    many = tmp_path / "many.toml"
    many.write_text("entities = [" + "{}," * 2000 + "]\n", encoding="utf-8")
    result, seconds = run_cli("validate", str(many))
    assert result.returncode == 1 and seconds < SECONDS
    lines = result.stderr.splitlines()
    assert len(lines) == 1001
    assert lines[0].startswith(f"{many}: format: is missing")  # no line to point at: first
    assert lines[1].startswith(f"{many}: article: is missing")
    assert lines[2].startswith(f"{many}:1:13: entities[0].id: is missing")  # then by position
    assert lines[-1] == (f"{many}: more problems not listed: checking stopped after the first "
                         "1,000; expected at most 1,000 (correct these and check again)")


def test_many_dangling_references_among_many_ids_are_reported_quickly(tmp_path: Path) -> None:
    """"Did you mean" must not compare every unknown id with every id (once 44 s here)."""
    names = [f"{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}-{i:05d}-actor" for i in range(20_000)]
    entities = "".join(f'  {{ id = "{name}", kind = "country", name = "N", source = [1] }},\n'
                       for name in names)
    misspelt = [name.replace("-actor", "-actr") for name in names[::10]]
    events = "".join(
        f'[[events]]\nid = "e{index}"\ndate = "2023"\ntitle = "t"\n'
        f'actors = ["{actor}"]\ntype = "AGREE"\nscore = 1\nrelationships = ["r"]\n'
        f"source = [1]\n\n" for index, actor in enumerate(misspelt))
    text = (f"format = 1\nentities = [\n{entities}]\n\n[article]\ntitle = \"t\"\n"
            f'published = 2024-01-01\ncovers = "2023"\nfocus = "{names[0]}"\nparagraphs = 1\n\n'
            f'[[relationships]]\nid = "r"\npair = ["{names[0]}", "{names[1]}"]\n'
            'trend = "stable"\nheadline = "h"\nsummary = "s"\nsource = [1]\n\n' + events)
    model = tmp_path / "dangling.toml"
    model.write_text(text, encoding="utf-8")
    result, seconds = run_cli("validate", str(model), timeout=120)
    assert result.returncode == 1
    assert seconds < 10
    lines = result.stderr.splitlines()
    assert len(lines) == 1001
    assert f'actors: "{misspelt[0]}" is not the id of any entity (did you mean "{names[0]}"?)' \
        in lines[0]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("x" * 5000, "cannot be read (File name too long); expected a readable model file"),
        ("a\x00b.toml", "is not a usable path (it holds a NUL character); expected a path to "
         "a model file"),
    ],
)
def test_unusable_paths_are_reported_not_raised(path: str, message: str) -> None:
    with pytest.raises(ModelError) as caught:
        load_model(path)
    (problem,) = caught.value.problems
    assert problem.message == message
    assert "\x00" not in str(problem)


def test_a_file_name_with_control_characters_stays_on_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "two\nlines\x1b[31m.toml"
    odd.write_bytes(EXAMPLE.read_bytes().replace(b'score = 3', b'score = 30'))
    shown = str(tmp_path) + "/two\\nlines\\x1b[31m.toml"
    result, _ = run_cli("validate", str(odd))
    assert result.returncode == 1
    assert result.stderr == (f'{shown}:82:9: events[1] (id "lenz-visit").score: 30 is out of '
                             "range; expected a score from -10 to +10\n")
    good = tmp_path / "ok\n.toml"
    good.write_bytes(EXAMPLE.read_bytes())
    result, _ = run_cli("validate", str(good))
    assert result.returncode == 0
    assert result.stdout.startswith(str(tmp_path) + "/ok\\n.toml: ok — ")
    assert result.stdout.count("\n") == 1
