"""validate --source: a model checked against the text it models (our own example's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, working_tree_env
from policyterm.core.source import read_source

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
    assert read_source(plain).paragraphs == {1: "First paragraph.", 2: "Second\nparagraph.",
                                              3: "Third."}


def test_a_changed_date_phrase_names_the_event(tmp_path: Path) -> None:
    result = validate(altered(tmp_path, 'date_text = "May 16"', 'date_text = "May 17"'))
    assert result.returncode == 1
    assert 'events (id "lenz-visit").date_text: "May 17" is not in ¶4' in result.stderr


def test_a_citation_moved_to_a_paragraph_that_does_not_say_it(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index('id = "lenz-visit"')
    cited = text.index("source = [4]", start)
    path = tmp_path / "model.toml"
    path.write_text(text[:cited] + "source = [1]" + text[cited + len("source = [4]"):],
                    encoding="utf-8")
    result = validate(path)
    assert result.returncode == 1
    assert 'events (id "lenz-visit").date_text: "May 16" is not in ¶1' in result.stderr


def test_a_paragraph_count_that_differs_from_the_source(tmp_path: Path) -> None:
    result = validate(altered(tmp_path, "paragraphs = 5", "paragraphs = 6"))
    assert result.returncode == 1
    assert "article.paragraphs: is 6, but the source" in result.stderr


def test_copied_wording_is_a_warning(tmp_path: Path) -> None:
    copied = "Talks on sharing the river were held twice under the eye of the Lake League"
    result = validate(altered(tmp_path, 'headline = "Dispute over the shared river"',
                              f'headline = "{copied}"'))
    assert result.returncode == 0, result.stderr
    assert ".headline: warning: copies the source word for word" in result.stderr


@pytest.mark.parametrize("what", ["missing", "directory"])
def test_an_unreadable_source_is_66(tmp_path: Path, what: str) -> None:
    source = tmp_path / "gone.md" if what == "missing" else tmp_path
    result = validate(EXAMPLE, source)
    assert result.returncode == 66
    assert result.stderr.count("\n") == 1
