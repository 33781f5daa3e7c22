"""The search index on its own: pure Python, no app."""

from __future__ import annotations

import pytest

from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.core.search import HitKind, SearchIndex, find_spans, fold, highlight
from policyterm.core.views import ModelView


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(ModelView(load_model(bundled_model_path())))


def test_fold_ignores_case_and_accents() -> None:
    assert fold("António GUTERRES") == "antonio guterres"
    assert fold("Zoë Müller") == "zoe muller"


def test_find_spans_point_into_the_original_text() -> None:
    text = "Meeting with António Guterres"
    spans = find_spans(text, ["antonio"])
    assert [text[a:b] for a, b in spans] == ["António"]


@pytest.mark.parametrize(
    "query, kind, counterpart, event",
    [
        ("2,867", HitKind.FIGURE, "AFG", None),
        ("CPEC", HitKind.ENTITY, "CHN", None),
        ("November 8", HitKind.EVENT, "AFG", "kakar-accuses-taliban"),
        ("water", HitKind.THEME, "IND", None),
        ("Antonio", HitKind.PERSON, "USA", None),
    ],
)
def test_examples_rank_and_lead_where_expected(index: SearchIndex, query: str, kind: HitKind,
                                               counterpart: str, event: str | None) -> None:
    results = index.search(query)
    assert results, query
    first = results[0]
    assert first.kind is kind
    assert first.target.counterpart == counterpart
    if event is not None:
        assert first.target.event == event
        assert "November 8" in [text for _, text in first.fields]


def test_every_word_must_match_somewhere_in_one_entry(index: SearchIndex) -> None:
    both = index.search("Bilawal India")
    assert both
    for entry in both:
        text = fold(" ".join(t for _, t in entry.fields))
        assert "bilawal" in text and "india" in text
    assert len(both) < len(index.search("Bilawal"))


def test_results_are_grouped_by_kind(index: SearchIndex) -> None:
    kinds = [entry.kind for entry in index.search("pakistan")]
    seen: list[HitKind] = []
    for kind in kinds:
        if not seen or seen[-1] is not kind:
            assert kind not in seen, "a group appears twice"
            seen.append(kind)
    assert len(seen) >= 3


def test_figures_are_searchable_as_printed(index: SearchIndex) -> None:
    labels = [entry.label for entry in index.search("$65 billion")]
    assert any(label.startswith("$65 billion") for label in labels)
    assert index.search("1.7 million")


def test_highlight_marks_the_matched_part(index: SearchIndex) -> None:
    entry = index.search("guterres")[0]
    hit = highlight(entry, "guterres")
    assert [hit.text[a:b].lower() for a, b in hit.spans] == ["guterres"]


def test_no_match_and_empty_query(index: SearchIndex) -> None:
    assert index.search("zzzz-not-in-the-article") == []
    assert index.search("   ") == []


def test_focus_country_is_not_a_result_of_its_own(index: SearchIndex) -> None:
    assert all(entry.item_id != "PAK" for entry in index.search("Pakistan"))


def test_a_huge_title_keeps_typing_interactive() -> None:
    """A 1,000,000-character title: each field is indexed and shown up to MAX_FIELD_CHARS,
    each label (what a result line and the palette show) up to MAX_LABEL_CHARS; search,
    highlight and Textual's palette matcher then take milliseconds per keystroke (the
    highlight took 0.4-0.6 s before, and the palette matcher ran out of memory)."""
    import time
    from pathlib import Path

    from textual.fuzzy import Matcher

    from policyterm.core.loading import parse_bytes
    from policyterm.core.search import MAX_FIELD_CHARS, MAX_LABEL_CHARS

    example = Path(__file__).resolve().parents[1] / "docs" / "example.toml"
    title = ("Water talks on the river " * 40_000)[:1_000_000]
    text = example.read_text(encoding="utf-8").replace(
        'title = "River talks stall"', f'title = "{title}"', 1)
    index = SearchIndex(ModelView(parse_bytes(text.encode(), "long.toml")))
    (entry,) = [e for e in index.entries if e.item_id == "river-talks"]
    assert len(entry.label) == MAX_LABEL_CHARS and entry.label.endswith("…")
    assert dict(entry.fields)["title"] == title[:MAX_FIELD_CHARS - 1] + "…"
    assert all(len(t) <= MAX_FIELD_CHARS for e in index.entries for _, t in e.fields)
    slowest = 0.0
    query = "river tal"
    for typed in range(1, len(query) + 1):
        start = time.perf_counter()
        hits = index.search(query[:typed])
        for hit in hits:
            highlight(hit, query[:typed])
        matcher = Matcher(query[:typed])
        for each in index.entries:
            matcher.match(f"Go to {each.label}")
        slowest = max(slowest, time.perf_counter() - start)
        assert entry in hits
    assert slowest < 0.1, f"{slowest * 1000:.0f} ms for one keystroke"
