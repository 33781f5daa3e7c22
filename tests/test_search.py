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
