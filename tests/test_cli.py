"""The `policyterm` command: exit status 0 ok, 1 bad data, 2 bad usage, 66 unreadable file
(more in test_exits); messages; export."""

from __future__ import annotations

import gc
import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import working_tree_env
from policyterm import __version__, cli
from policyterm.core.loading import load_model

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
EXAMPLE = ROOT / "docs" / "example.toml"
BUNDLED = ROOT / "data" / "article.toml"
BAD = ROOT / "tests" / "fixtures" / "invalid" / "date-month-13.toml"

COUNTS = "6 entities, 3 relationships, 5 events, 2 figures, 2 themes"
# The example names its source (source_file), so validate checks it against that too.
EXAMPLE_OK = f"{EXAMPLE}: ok — {COUNTS}, checked against {EXAMPLE.parent / 'example-source.md'}"


def run(*args: str, encoding: str = "utf-8") -> subprocess.CompletedProcess[str]:
    """`python -m policyterm ARGS`, stdin and stdout not a terminal."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [sys.executable, "-m", "policyterm", *args], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60, check=False,
    )


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


# ---------------------------------------------------------------------------------------------
# validate


def test_validate_ok() -> None:
    result = run("validate", str(EXAMPLE))
    assert result.returncode == 0
    assert result.stdout == EXAMPLE_OK + "\n"
    assert result.stderr == ""


def test_validate_bad() -> None:
    result = run("validate", str(BAD))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f'{BAD}:35:8: events[0] (id "river-talks").date: "2023-13" is not a date: there is '
        "no month 13; expected 01..12\n"
    )


def test_validate_several_files(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_bytes(EXAMPLE.read_bytes())
    missing = tmp_path / "missing.toml"
    result = run("validate", str(EXAMPLE), str(BAD), str(missing), str(copy))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [EXAMPLE_OK, f"{copy}: ok — {COUNTS}"]
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f'{BAD}:35:8: events[0] (id "river-talks").date: ')
    assert lines[1] == f"{missing}: no such file; expected a path to a model file"
    # The copy's source_file is not beside it: said, and the model checked without it.
    assert lines[2] == (f"{copy}:28:15: article.source_file: warning: the source "
                        f"{tmp_path / 'example-source.md'}: no such file; going on without it")
    assert_clean(result)


def test_validate_several_good_files_is_ok(tmp_path: Path) -> None:
    copy = tmp_path / "copy.toml"
    copy.write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "example-source.md").write_bytes((EXAMPLE.parent / "example-source.md")
                                                 .read_bytes())
    result = run("validate", str(EXAMPLE), str(copy))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2 and result.stderr == ""


def test_validate_says_a_bad_model_was_not_checked_against_its_source(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its problems stop the source's checks: the author fixed them and only then met the
    source's (a date phrase not in its paragraph), with no word that these were to come."""
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("score = -2", "score = -40", 1),
                   encoding="utf-8")
    assert cli.main(["validate", str(bad)]) == 1  # its source_file is not beside it yet
    (tmp_path / "example-source.md").write_bytes((EXAMPLE.parent / "example-source.md")
                                                 .read_bytes())
    assert cli.main(["validate", str(bad)]) == 1
    assert cli.main(["validate", str(BAD)]) == 1  # it names no source
    assert cli.main(["validate", str(BAD), "--source", str(EXAMPLE.parent /
                                                             "example-source.md")]) == 1
    lines = capsys.readouterr().err.splitlines()
    note = f": {cli.SOURCE_NOT_CHECKED}"
    assert [line for line in lines if line.endswith(note)] == [f"{bad}{note}", f"{BAD}{note}"]
    assert lines[lines.index(f"{bad}{note}") - 1].startswith(f"{bad}:")  # after the problem


def test_validate_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "no.toml"
    result = run("validate", str(missing))
    assert result.returncode == 66
    assert result.stderr == f"{missing}: no such file; expected a path to a model file\n"
    assert_clean(result)


def test_validate_directory(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.returncode == 66
    assert result.stderr == f"{tmp_path}: is a directory; expected a model file (.toml)\n"


def test_validate_without_argument_checks_the_bundled_article() -> None:
    """Passes once data/article.toml exists: the bundled model must always validate."""
    result = run("validate")  # from src/ (see run): the checkout's data/article.toml
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        rf"{re.escape(str(BUNDLED))}: ok — \d+ entities, \d+ relationships, \d+ events, "
        r"\d+ figures, \d+ themes\n", result.stdout
    ), result.stdout
    assert result.stderr == ""


def test_validate_on_an_ascii_terminal_does_not_crash() -> None:
    result = run("validate", str(EXAMPLE), encoding="ascii")
    assert result.returncode == 0
    assert_clean(result)
    assert result.stdout == EXAMPLE_OK.replace("—", "\\u2014") + "\n"


# ---------------------------------------------------------------------------------------------
# --version, --help, usage errors


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"policyterm {__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["validate", "--help"],
                                  ["export", "--help"]])
def test_help(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: policyterm")
    assert result.stderr == ""


def test_main_help_lists_the_commands_and_exit_status() -> None:
    out = run("--help").stdout
    for text in ("policyterm validate [FILE ...]", "policyterm export [FILE] --format json",
                 "exit status: 0 ok, 1 bad model data, 2 bad usage"):
        assert text in out


@pytest.mark.parametrize(
    "args",
    [["--frobnicate"], ["validate", "--strict"], ["export", "--format", "xml", str(EXAMPLE)],
     ["export", "--format"], ["a.toml", "b.toml"], ["export", "a.toml", "b.toml"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: policyterm" in result.stderr
    assert "error:" in result.stderr
    assert_clean(result)


@pytest.mark.parametrize("args", [
    [""], ["export", ""], ["validate", ""], ["init", ""], ["validate", "--source", ""],
    ["--source", "", str(EXAMPLE)], ["export", str(EXAMPLE), "-o", ""],
])
def test_an_empty_path_is_a_usage_error(args: list[str]) -> None:
    """`policyterm export "$F"` with F unset wrote the bundled article, as if asked for it;
    an empty --source read the current directory."""
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "an empty path (an unset variable?)" in result.stderr
    assert_clean(result)


def test_export_xml_names_the_choices() -> None:
    result = run("export", str(EXAMPLE), "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr and "'json'" in result.stderr


def test_main_returns_codes_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(EXAMPLE)]) == 0
    assert cli.main(["validate", str(BAD)]) == 1
    assert cli.main(["--nope"]) == 2
    assert cli.main(["--version"]) == 0
    out = capsys.readouterr().out
    assert f"policyterm {__version__}" in out


def test_main_gives_the_garbage_collector_back(capsys: pytest.CaptureFixture[str]) -> None:
    """validate and export pause the collector while they run; an in-process caller (these
    tests included) gets it back as it was, whatever happened."""
    assert gc.isenabled()
    assert cli.main(["validate", str(EXAMPLE)]) == 0
    assert cli.main(["export", str(BAD)]) == 1
    assert gc.isenabled()
    capsys.readouterr()


# ---------------------------------------------------------------------------------------------
# export


def test_export_json() -> None:
    result = run("export", str(EXAMPLE), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"article", "entities", "themes", "relationships", "events", "figures"}
    assert data["article"]["covers"] == {"date": "2023", "start": "2023-01-01",
                                         "end": "2023-12-31", "display": "2023"}
    assert data["article"]["published"] == "2024-01-05"
    events = data["events"]
    assert [e["id"] for e in events] == ["river-talks", "dam-protest", "lenz-visit", "cdb-loan",
                                         "trade-accord"]
    keys = [(e["date"]["start"], e["date"]["end"], e["id"]) for e in events]
    assert keys == sorted(keys)
    assert events[4]["date"] == {"date": "2023-10/2023-12", "start": "2023-10-01",
                                 "end": "2023-12-31", "display": "Q4 2023"}
    assert events[3]["date"]["start"] == "2023-06-01" and events[3]["date"]["end"] == "2023-06-30"
    assert events[1]["type"] == "PROTEST" and events[1]["score"] == -4
    assert data["entities"][3]["members"] == ["XGR", "XKR"]
    assert data["figures"][0]["value"] == 1_200_000_000
    assert data["relationships"][0]["trend"] == "deteriorating"


def test_export_defaults_to_json() -> None:
    assert json.loads(run("export", str(EXAMPLE)).stdout) == json.loads(
        run("export", str(EXAMPLE), "--format", "json").stdout
    )


def test_export_of_a_bad_model_exits_1_and_writes_no_json() -> None:
    result = run("export", str(BAD), "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert '"2023-13" is not a date' in result.stderr


def test_export_on_an_ascii_terminal_is_still_valid_json(tmp_path: Path) -> None:
    model = tmp_path / "accents.toml"
    model.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        'name = "Graustark"', 'name = "Graustärk 🏔"'), encoding="utf-8")
    result = run("export", str(model), encoding="ascii")
    assert result.returncode == 0
    assert_clean(result)
    assert json.loads(result.stdout)["entities"][1]["name"] == "Graustärk 🏔"


def test_export_keeps_unicode_on_a_utf8_terminal(tmp_path: Path) -> None:
    model = tmp_path / "accents.toml"
    model.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        'name = "Graustark"', 'name = "Graustärk"'), encoding="utf-8")
    assert '"name": "Graustärk"' in run("export", str(model)).stdout


def test_export_to_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """`policyterm export | head -c 1`: no traceback when the reader leaves early."""
    big = tmp_path / "big.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    extra = "".join(
        f'\n[[figures]]\nid = "f{i}"\nvalue = {i}\nunit = "x"\nlabel = "{"y" * 200}"\n'
        "source = [1]\n"
        for i in range(3000)
    )
    big.write_text(text + extra, encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "policyterm", "export", str(big)], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1) == b"{"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in stderr and "Error" not in stderr


# ---------------------------------------------------------------------------------------------
# The model file is never modified


@pytest.mark.parametrize("args", [["validate"], ["export"], ["export", "--format", "json"],
                                  ["export", "--format", "xml"]])
def test_model_file_is_never_modified(tmp_path: Path, args: list[str]) -> None:
    model = tmp_path / "model.toml"
    model.write_bytes(EXAMPLE.read_bytes())
    os.utime(model, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (model.read_bytes(), model.stat().st_mtime_ns, model.stat().st_size)
    files_before = sorted(p.name for p in tmp_path.iterdir())
    result = run(args[0], str(model), *args[1:])
    assert result.returncode in (0, 2)
    assert (model.read_bytes(), model.stat().st_mtime_ns, model.stat().st_size) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before


def test_loading_does_not_modify_the_file(tmp_path: Path) -> None:
    model = tmp_path / "model.toml"
    model.write_bytes(EXAMPLE.read_bytes())
    mtime = model.stat().st_mtime_ns
    load_model(model)
    assert model.read_bytes() == EXAMPLE.read_bytes() and model.stat().st_mtime_ns == mtime


# ---------------------------------------------------------------------------------------------
# export --format markdown|csv|timelinejs, -o FILE


@pytest.mark.parametrize("output_format", ["markdown", "csv", "timelinejs"])
def test_export_formats_on_standard_output(output_format: str) -> None:
    result = run("export", str(EXAMPLE), "--format", output_format)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if output_format == "markdown":
        assert result.stdout.startswith("# Ruritania and its neighbours\n")
    elif output_format == "csv":
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
        assert [row["id"] for row in rows] == [e.id for e in load_model(EXAMPLE).events]
    else:
        assert json.loads(result.stdout)["title"]["text"]["headline"] == (
            "Ruritania and its neighbours")


def test_export_markdown_and_csv_are_utf8_on_any_terminal() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policyterm", "export", str(EXAMPLE), "--format", "markdown"],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(SRC),
                                  "PYTHONIOENCODING": "ascii"}, timeout=60, check=False)
    assert result.returncode == 0
    assert "Trend: ▲ improving" in result.stdout.decode("utf-8")


@pytest.mark.parametrize("table", ["figures", "entities", "relationships"])
def test_export_csv_tables(table: str) -> None:
    result = run("export", str(EXAMPLE), "--format", "csv", "--table", table)
    assert result.returncode == 0
    assert result.stdout.split("\r\n")[0].startswith("id,")


def test_table_goes_with_csv_only() -> None:
    result = run("export", str(EXAMPLE), "--format", "json", "--table", "figures")
    assert result.returncode == 2
    assert "--table goes with --format csv" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("output_format", ["json", "markdown", "csv", "timelinejs"])
def test_export_to_a_new_file_equals_standard_output(tmp_path: Path, output_format: str) -> None:
    target = tmp_path / "out"
    result = run("export", str(EXAMPLE), "--format", output_format, "-o", str(target))
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""
    shown = subprocess.run(
        [sys.executable, "-m", "policyterm", "export", str(EXAMPLE), "--format", output_format],
        capture_output=True, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=60, check=True)
    assert target.read_bytes() == shown.stdout  # byte for byte: CSV's CRLF kept in both


def test_export_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("keep me", encoding="utf-8")
    result = run("export", str(EXAMPLE), "--format", "markdown", "-o", str(target))
    assert result.returncode == 2
    assert result.stderr == (f"policyterm: -o {target} already exists; "
                             "export never overwrites a file\n")
    assert target.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("spelling", ["same", "relative", "symlink"])
def test_export_always_refuses_the_model_file(tmp_path: Path, spelling: str) -> None:
    model = tmp_path / "model.toml"
    model.write_bytes(EXAMPLE.read_bytes())
    target = {"same": str(model), "relative": str(tmp_path / "." / "model.toml"),
              "symlink": str(tmp_path / "link.toml")}[spelling]
    if spelling == "symlink":
        (tmp_path / "link.toml").symlink_to(model)
    result = run("export", str(model), "--format", "csv", "-o", target)
    assert result.returncode == 2
    assert result.stderr == (f"policyterm: -o {target} is the model file itself; "
                             "export never writes over it\n")
    assert model.read_bytes() == EXAMPLE.read_bytes()


def test_export_of_a_bad_model_to_a_file_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run("export", str(BAD), "--format", "csv", "-o", str(target))
    assert result.returncode == 1
    assert not target.exists()


def test_export_to_a_file_that_cannot_be_created_exits_74(tmp_path: Path) -> None:
    target = tmp_path / "missing-directory" / "out.md"
    result = run("export", str(EXAMPLE), "--format", "markdown", "-o", str(target))
    assert result.returncode == 74
    assert result.stderr.startswith(f"policyterm: cannot create {target}: ")
    assert result.stderr.count("\n") == 1


def test_init_writes_a_model_that_validates(tmp_path: Path) -> None:
    new = tmp_path / "models" / "new.toml"
    new.parent.mkdir()
    result = run("init", str(new))
    assert result.returncode == 0, result.stderr
    text = new.read_text(encoding="utf-8")
    schema_line = text.splitlines()[0]
    assert schema_line.startswith("#:schema ")
    schema = (new.parent / schema_line.removeprefix("#:schema ")).resolve()
    assert schema == (Path(__file__).resolve().parents[1] / "schema" / "article.schema.json")
    validated = run("validate", str(new))
    assert validated.returncode == 0, validated.stderr
    assert "1 relationship, 1 event, 1 figure" in validated.stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    new = tmp_path / "new.toml"
    assert run("init", str(new)).returncode == 0
    new.write_text("# mine\n", encoding="utf-8")
    again = run("init", str(new))
    assert again.returncode == 2
    assert again.stderr == (f"policyterm: {new} already exists; init writes only a new file "
                            "(choose another name)\n")
    assert new.read_text(encoding="utf-8") == "# mine\n"


def test_init_on_a_directory_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["init", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"policyterm: {tmp_path} is a directory; expected the "
                                       "name of a new file in it\n")


def test_init_names_the_file_to_validate_as_a_shell_reads_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"policyterm validate my article.toml", copied, checked two files that do not exist."""
    new = tmp_path / "my article.toml"
    assert cli.main(["init", str(new)]) == 0
    assert capsys.readouterr().out.endswith(f"check it with: policyterm validate '{new}'\n")


@pytest.mark.parametrize("command", [["init"], ["export", str(EXAMPLE), "-o"]])
def test_a_name_ending_in_a_separator_is_refused_not_written_without_it(
        tmp_path: Path, command: list[str]) -> None:
    """"out/" names a directory: writing a file "out" instead and saying so would mislead."""
    named = f"{tmp_path / 'out'}{os.sep}"
    result = run(*command, named)
    assert result.returncode == 2
    assert result.stderr.endswith(f"{named} ends in a separator, so names a directory; "
                                  "expected the name of a new file\n")
    assert list(tmp_path.iterdir()) == []


def test_init_where_nothing_can_be_written_exits_74(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "no-such-folder" / "new.toml"))
    assert result.returncode == 74
    assert result.stderr.count("\n") == 1 and "cannot create" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["init"], ["export", str(EXAMPLE), "-o"]])
@pytest.mark.parametrize("last", [".", ".."])
def test_a_name_ending_in_a_dot_part_is_refused(tmp_path: Path, command: list[str],
                                                last: str) -> None:
    """Path("out/.") is "out": the file would have been written under another name."""
    (tmp_path / "sub").mkdir()
    named = os.path.join(tmp_path, "sub", "out", last)
    result = run(*command, named)
    assert result.returncode == 2
    assert result.stderr.endswith(f"{named} ends in “{last}”, so names a directory; "
                                  "expected the name of a new file\n")
    assert list((tmp_path / "sub").iterdir()) == []


def test_init_cut_short_leaves_no_file_behind(tmp_path: Path) -> None:
    """A write that fails half way (here the file-size limit) left a truncated model, which
    then blocked a second try ("already exists")."""
    new = tmp_path / "new.toml"
    result = subprocess.run(
        [sys.executable, "-m", "policyterm", "init", str(new)], capture_output=True,
        text=True, timeout=60, env=working_tree_env(),
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512)))
    assert result.returncode == 74
    assert result.stderr.startswith(f"policyterm: cannot write {new}: ")
    assert not new.exists()
