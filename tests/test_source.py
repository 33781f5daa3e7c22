"""validate --source: a model checked against the text it models (our own example's)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, working_tree_env
from policyterm.core.loading.problems import MAX_PROBLEMS
from policyterm.core.source import phrase_spans, read_source

EXAMPLE = ROOT / "docs" / "example.toml"
SOURCE = ROOT / "docs" / "example-source.md"


def validate(model: Path, source: Path = SOURCE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policyterm", "validate", "--source", str(source), str(model)],
        capture_output=True, text=True, timeout=60, env=working_tree_env())


def altered(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "model.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_example_agrees_with_its_source() -> None:
    result = validate(EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert "checked against" in result.stdout and result.stderr == ""


def test_numbered_paragraphs_are_the_paragraphs_and_the_rest_is_ignored(tmp_path: Path) -> None:
    source = read_source(SOURCE)
    assert sorted(source.paragraphs) == [1, 2, 3, 4, 5]
    assert source.paragraphs[2].startswith("The quarrel is about water")
    plain = tmp_path / "plain.txt"
    plain.write_text("First paragraph.\n\nSecond\nparagraph.\n\n\nThird.\n", encoding="utf-8")
    assert read_source(plain).paragraphs == {1: "First paragraph.", 2: "Second paragraph.",
                                              3: "Third."}


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1)
                if text in line)


def test_a_changed_date_phrase_names_the_event_at_its_place(tmp_path: Path) -> None:
    model = altered(tmp_path, 'date_text = "May 16"', 'date_text = "May 17"')
    result = validate(model)
    assert result.returncode == 1
    line = line_of(model, 'date_text = "May 17"')
    assert result.stderr.startswith(f'{model}:{line}:13: events[1] (id "lenz-visit").date_text: '
                                    '"May 17" is not in ¶4')


def test_a_date_phrase_must_be_whole_words_of_the_paragraph(tmp_path: Path) -> None:
    # "May 1" is the start of the paragraph's "May 16", not a date it says.
    result = validate(altered(tmp_path, 'date_text = "May 16"', 'date_text = "May 1"'))
    assert result.returncode == 1
    assert '"May 1" is not in ¶4' in result.stderr


def test_every_section_s_citations_are_checked_at_their_place(tmp_path: Path) -> None:
    model = altered(tmp_path, "paragraphs = 5", "paragraphs = 7")  # the source has 5
    text = model.read_text()
    start = text.index('id = "xru-xgr"')
    cited = text.index("source = [", start)
    model.write_text(text[:cited] + "source = [1, 7]" + text[text.index("\n", cited):])
    result = validate(model)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{model}:{line_of(model, 'paragraphs = 7')}:14: article.paragraphs: is 7, but the "
        f"source {SOURCE} has 5 paragraphs; expected them to agree",
        f'{model}:{line_of(model, "source = [1, 7]")}:10: relationships[0] (id "xru-xgr").source: '
        "cites paragraph 7, which the source does not have",
    ]


def test_the_model_s_own_source_file_is_used(tmp_path: Path) -> None:
    model = altered(tmp_path, 'date_text = "May 16"', 'date_text = "May 17"')
    (tmp_path / "example-source.md").write_bytes(SOURCE.read_bytes())
    result = subprocess.run([sys.executable, "-m", "policyterm", "validate", str(model)],
                            capture_output=True, text=True, timeout=60, env=working_tree_env())
    assert result.returncode == 1
    assert '"May 17" is not in ¶4' in result.stderr


def test_an_absolute_source_file_is_refused(tmp_path: Path) -> None:
    model = altered(tmp_path, 'source_file = "example-source.md"', 'source_file = "/etc/passwd"')
    result = subprocess.run([sys.executable, "-m", "policyterm", "validate", str(model)],
                            capture_output=True, text=True, timeout=60, env=working_tree_env())
    assert result.returncode == 1
    line = line_of(model, "source_file")
    assert result.stderr == (f'{model}:{line}:15: article.source_file: "/etc/passwd" is not '
                             "relative; expected a path relative to the model file, such as "
                             "article.md\n")


def test_a_date_phrase_is_found_whatever_its_case_quotes_and_spacing() -> None:
    text = "They met on “May\n16”, and again in MAY  16 2024."
    spans = phrase_spans(text, '"may 16"')
    assert [text[start:end] for start, end in spans] == ["May\n16", "MAY  16"]
    assert phrase_spans("Since August 2019 the ties", "since August 2019") == [(0, 17)]
    assert phrase_spans("In 2019", "2020") == []


def test_what_could_act_on_a_terminal_is_replaced(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text("[1] Red \x1b[31mtext\x1b[0m and \u202eevil\u202c ok\r\n\r\n[2] Two",
                       encoding="utf-8")
    paragraphs = read_source(hostile).paragraphs
    assert paragraphs == {1: "Red \ufffd[31mtext\ufffd[0m and \ufffdevil\ufffd ok", 2: "Two"}


def test_a_citation_moved_to_a_paragraph_that_does_not_say_it(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index('id = "lenz-visit"')
    cited = text.index("source = [4]", start)
    path = tmp_path / "model.toml"
    path.write_text(text[:cited] + "source = [1]" + text[cited + len("source = [4]"):],
                    encoding="utf-8")
    result = validate(path)
    assert result.returncode == 1
    assert 'events[1] (id "lenz-visit").date_text: "May 16" is not in ¶1' in result.stderr


def test_the_article_title_is_the_printed_headline_and_no_copy(tmp_path: Path) -> None:
    """format.md asks for the headline exactly as printed: a source that prints it among its
    paragraphs must not have the author told to reword it."""
    copied = "Ruritania spent the year between two neighbours: a quarrel with Graustark"
    result = validate(altered(tmp_path, 'title = "Ruritania and its neighbours"',
                              f'title = "{copied}"'))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_paragraph_count_that_differs_from_the_source(tmp_path: Path) -> None:
    result = validate(altered(tmp_path, "paragraphs = 5", "paragraphs = 6"))
    assert result.returncode == 1
    assert "article.paragraphs: is 6, but the source" in result.stderr


def test_copied_wording_is_a_warning(tmp_path: Path) -> None:
    copied = "Talks on sharing the river were held twice under the eye of the Lake League"
    result = validate(altered(tmp_path, 'headline = "Dispute over the shared river"',
                              f'headline = "So we hear: {copied}, then nothing"'))
    assert result.returncode == 0, result.stderr
    assert ".headline: warning: copies the source word for word" in result.stderr
    # All of the copy (not its first eight words), quoted as the model writes it, so that
    # it can be found there.
    assert f'("{copied}")' in result.stderr


@pytest.mark.parametrize(("what", "message"), [
    ("missing", "no such file; expected a path to a text file"),
    ("directory", "is a directory; expected a text file"),
])
def test_an_unreadable_source_is_66(tmp_path: Path, what: str, message: str) -> None:
    source = tmp_path / "gone.md" if what == "missing" else tmp_path
    result = validate(EXAMPLE, source)
    assert result.returncode == 66
    assert result.stderr == f"{source}: {message}\n"


def test_a_source_numbered_twice_or_with_gaps_is_a_problem(tmp_path: Path) -> None:
    source = tmp_path / "source.md"
    text = SOURCE.read_text(encoding="utf-8").replace("[3] Talks", "[2] Talks")
    source.write_text(text.replace("[5] The", "[9] The"), encoding="utf-8")
    result = validate(EXAMPLE, source)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    # Located in the source: the second [2], and [4], where the numbering jumps past [3].
    second, four = (text.splitlines().index(line) + 1 for line in text.splitlines()
                    if line.startswith(("[2] Talks", "[4] ")))
    assert lines[:2] == [f"{source}:{second}:1: starts a paragraph with [2] again; expected "
                         "each number once",
                         f"{source}:{four}:1: has no paragraph [3], [5], [6], [7], [8]; "
                         "expected paragraphs numbered from [1] with none missing"]


def test_a_number_run_on_without_a_blank_line_is_said_where_it_is(tmp_path: Path) -> None:
    """"[3]" typed at the start of the line after [2], not after a blank line, is part of
    [2]: said at the "[3]" itself, not as a gap in the numbering found at [4]."""
    source = tmp_path / "source.md"
    text = SOURCE.read_text(encoding="utf-8")
    assert "\n\n[3] Talks" in text
    text = text.replace("\n\n[3] Talks", "\n  [3] Talks")
    source.write_text(text, encoding="utf-8")
    result = validate(EXAMPLE, source)
    assert result.returncode == 1
    three = next(number for number, line in enumerate(text.splitlines(), 1)
                 if line.startswith("  [3] "))
    assert result.stderr.splitlines()[0] == (
        f"{source}:{three}:3: [3] starts a line inside a paragraph, so it is no paragraph of "
        "its own; expected a blank line before it")
    assert "has no paragraph" not in result.stderr
    assert "has 4 paragraphs" in result.stderr  # the count tells what the reader will get


def test_a_citation_or_reference_wrapped_to_a_line_start_is_no_run_on(
        tmp_path: Path) -> None:
    """A bracketed number at the start of a wrapped line that the numbering does not lack
    (a citation of paragraph 2) or that lies past its end (a reference list) is text."""
    source = tmp_path / "source.md"
    text = SOURCE.read_text(encoding="utf-8")
    text = text.replace("\n\n[3] Talks", "\n[2] as said, and more.\n\n[3] Talks")
    text += "\n\nReferences: Foo, 2020;\n[9] Bar, 2021.\n"
    source.write_text(text, encoding="utf-8")
    result = validate(EXAMPLE, source)
    assert result.returncode == 0, result.stderr


def test_a_source_of_many_paragraphs_keeps_each_one_s_line(tmp_path: Path) -> None:
    source = tmp_path / "many.md"
    source.write_text("a\n\n" * 100_000, encoding="utf-8")
    read = read_source(source)
    assert len(read.paragraphs) == 100_000 and read.lines == {}
    numbered = tmp_path / "numbered.md"
    numbered.write_text("".join(f"[{n}] a\n\n" for n in range(1, 50_001)), encoding="utf-8")
    assert read_source(numbered).lines[50_000] == 99_999


def test_a_huge_paragraph_number_is_one_gap_not_a_huge_set(tmp_path: Path) -> None:
    source = tmp_path / "source.md"
    source.write_text(SOURCE.read_text(encoding="utf-8") + "\n[300000000] One more.\n",
                      encoding="utf-8")
    result = validate(EXAMPLE, source)
    assert result.returncode == 1
    assert "has no paragraph [6], [7], [8], [9], [10] …;" in result.stderr


def test_a_markdown_link_definition_is_not_a_numbered_paragraph(tmp_path: Path) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text("First.\n\nSecond.\n\n[1]: https://example.com/story\n", encoding="utf-8")
    assert read_source(plain).paragraphs == {1: "First.", 2: "Second.",
                                             3: "[1]: https://example.com/story"}


def test_problems_against_the_source_stop_at_the_limit(tmp_path: Path) -> None:
    source = tmp_path / "source.md"
    copied = "the river rose and the talks on sharing it stalled again"
    source.write_text(f"[2] {copied}\n\n" + "".join(f"[{n * 2}] x\n\n" for n in range(2, 1_200)),
                      encoding="utf-8")
    model = tmp_path / "model.toml"
    # The article's standfirst copies the source: a warning found last, placed near the top.
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "\nstandfirst = " in text
    text = re.sub(r'(?m)^standfirst = ".*"$', f'standfirst = "{copied}"', text)
    # Many items citing a paragraph the source lacks ([1]): one problem each.
    model.write_text(text + "".join(
        f'\n[[figures]]\nid = "f{n}"\nvalue = {n}\nunit = "USD"\nlabel = "Figure {n}"\n'
        'source = [1]\n' for n in range(1_100)),
        encoding="utf-8")
    result = validate(model, source)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert "checking stopped after the first 1,000" in lines[-1]
    # The first in file order, the title's warning among them.
    assert any("article.standfirst: warning: copies the source" in line for line in lines)


def test_a_source_without_a_file_says_the_bundled_article_is_checked(
        capsys: pytest.CaptureFixture[str]) -> None:
    """An author who forgot FILE got the bundled article's problems against their text, with
    nothing saying whose model it was."""
    from policyterm import cli

    status = cli.run_validate([], str(SOURCE))
    error = capsys.readouterr().err
    assert status == cli.EXIT_BAD_DATA
    first = error.splitlines()[0]
    assert first.startswith("policyterm: no FILE given: checking the bundled article, ")
    assert first.endswith(f"article.toml, against {SOURCE}")
