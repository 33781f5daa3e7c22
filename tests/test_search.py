"""The search index on its own: pure Python, no app."""

from __future__ import annotations

import pytest

from conftest import ROOT
from policyterm.cli import bundled_model_path
from policyterm.core.folding import find_spans, fold
from policyterm.core.loading import load_model
from policyterm.core.search import Entry, HitKind, SearchIndex, highlight, query_terms
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


def test_fold_joins_dashes_and_digit_grouping() -> None:
    assert fold("Gulf–Israel — −5 ‐ -") == "gulf-israel - -5 - -"
    assert fold("2,867 and 1,234,567") == fold("2867 and 1234567") == "2867 and 1234567"
    assert fold("Paragraphs 3, 4") == "paragraphs 3, 4"  # a comma and a space: a list


@pytest.mark.parametrize(
    "text, term, marked",
    [
        ("Score −5 in Jan–Apr", "-5", "−5"),
        ("Score −5 in Jan–Apr", "jan-apr", "Jan–Apr"),
        ("2,867 deaths", "2867", "2,867"),
        ("2,867 deaths", "28", "2,8"),
        ("Zoë 1,000,000", "1000000", "1,000,000"),
    ],
)
def test_find_spans_mark_the_original_dashes_and_digits(text: str, term: str,
                                                        marked: str) -> None:
    assert [text[a:b] for a, b in find_spans(text, [fold(term)])] == [marked]


@pytest.mark.parametrize(
    "typed, printed",
    [("-5", "−5"), ("Gulf-Israel", "Gulf–Israel"), ("Civil-military", "Civil–military")],
)
def test_a_hyphen_finds_dashes_and_minus_signs(index: SearchIndex, typed: str,
                                               printed: str) -> None:
    results = index.search(typed)
    assert results
    assert [e.item_id for e in results] == [e.item_id for e in index.search(printed)]
    hit = highlight(results[0], typed)
    assert printed in [hit.text[a:b] for a, b in hit.spans]


def test_a_month_range_is_found_with_a_hyphen() -> None:
    from pathlib import Path

    from policyterm.core.loading import parse_bytes

    example = Path(__file__).resolve().parents[1] / "docs" / "example.toml"
    text = example.read_text(encoding="utf-8").replace('date = "2023-10/2023-12"',
                                                       'date = "2023-01/2023-04"', 1)
    index = SearchIndex(ModelView(parse_bytes(text.encode(), "range.toml")))
    (entry,) = index.search("Jan-Apr")
    hit = highlight(entry, "Jan-Apr")
    assert [hit.text[a:b] for a, b in hit.spans] == ["Jan–Apr"]


def test_digit_grouping_is_optional_both_ways(index: SearchIndex) -> None:
    grouped = [e.item_id for e in index.search("2,867")]
    assert grouped
    assert [e.item_id for e in index.search("2867")] == grouped
    # A partly typed number keeps finding it.
    assert set(grouped) <= {e.item_id for e in index.search("2,86")}


@pytest.mark.parametrize(
    "typo, meant, item",
    [("Blinkn", "Blinken", "antony-blinken"), ("Afganistan", "Afghanistan", "AFG"),
     ("Guteres", "Guterres", "antonio-guterres"), ("Pakistna", "Pakistan", None)],
)
def test_one_typo_in_a_long_word_is_forgiven(index: SearchIndex, typo: str, meant: str,
                                             item: str | None) -> None:
    found = {e.item_id for e in index.search(typo)}
    assert found
    assert found <= {e.item_id for e in index.search(meant)}
    if item is not None:
        assert item in found
    # What to highlight: the words it was read as.
    entry = index.search(typo)[0]
    hit = highlight(entry, typo, index.match_terms(typo))
    assert hit.spans


def test_typos_are_forgiven_only_in_long_words_and_only_one(index: SearchIndex) -> None:
    assert index.search("Khna") == []  # four letters: too short to guess
    assert index.search("Blnkn") == []  # two typos
    assert index.search("Afgnaistn") == []


def test_a_typo_is_tried_only_when_nothing_matches_exactly(index: SearchIndex) -> None:
    # "talks" matches as typed: no near words ("talk", "tanks"…) join it.
    assert index.match_terms("talks") == ["talks"]
    exact = index.search("talks")
    assert all("talks" in fold(" ".join(t for _, t in e.fields)) for e in exact)


def test_a_typo_among_exact_words(index: SearchIndex) -> None:
    results = index.search("Blinken Afganistan")
    assert results
    for entry in results:
        text = fold(" ".join(t for _, t in entry.fields))
        assert "blinken" in text and "afghanistan" in text


def test_group_order_is_fixed_whatever_matched_best(index: SearchIndex) -> None:
    order = list(HitKind)
    for query in ("water", "CPEC", "pakistan", "a", "2,867", "Blinkn"):
        kinds = [entry.kind for entry in index.search(query)]
        ranks = [order.index(kind) for kind in kinds]
        assert ranks == sorted(ranks), query
    assert order[:5] == [HitKind.COUNTERPART, HitKind.EVENT, HitKind.PERSON, HitKind.FIGURE,
                         HitKind.THEME]


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
    # Groups come in a fixed order; within its group, the expected hit is the best.
    first = next(entry for entry in results if entry.kind is kind)
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


@pytest.mark.parametrize("query, limit", [("pakistan", 5), ("pakistan", 1000), ("a", 60),
                                          ("a", 20), ("talsk", 3), ("", 10),
                                          ("pakistan india", 4), ("a i", 60), ("talks w", 2)])
def test_first_is_the_start_of_each_group_of_search(index: SearchIndex, query: str,
                                                   limit: int) -> None:
    """Every group with hits shows its best ones, the groups sharing `limit` rows: a group
    with few hits leaves its unused share to the others, and no group is left out."""
    results = index.search(query)
    by_group: dict[HitKind, list[Entry]] = {}
    for entry in results:
        by_group.setdefault(entry.kind, []).append(entry)
    shown, counts = index.first(query, limit)
    assert counts == {kind: len(hits) for kind, hits in by_group.items()}
    shown_by_group: dict[HitKind, list[Entry]] = {}
    for entry in shown:
        shown_by_group.setdefault(entry.kind, []).append(entry)
    assert list(shown_by_group) == list(by_group)  # every group, in the same order
    for kind, hits in by_group.items():
        assert shown_by_group[kind] == hits[:len(shown_by_group[kind])]
    assert len(shown) == min(len(results), max(limit, len(by_group)))


def test_a_large_group_does_not_push_the_others_out(index: SearchIndex) -> None:
    """The events that hold "a" filled the 60 rows: the people, figures and themes further
    down never showed."""
    shown, counts = index.first("a", 60)
    assert len(counts) >= 5 and counts[HitKind.EVENT] > 30
    assert {entry.kind for entry in shown} == set(counts)
    assert len(shown) == 60


@pytest.mark.parametrize("typed", [
    ["p", "pa", "pak", "paki", "pakistan", "pakistan i", "pakistan in", "pakistan india"],
    ["india", "indi", "ind", "in", "i", ""],  # deleting: the results grow again
    ["talks", "talks w", "talks", "s talks", "talsk", "talks"],  # a typo read, and left
])
def test_typing_on_finds_what_a_fresh_search_finds(typed: list[str]) -> None:
    # The index narrows the previous hits when a query is typed on from them.
    view = ModelView(load_model(bundled_model_path()))
    typing = SearchIndex(view)
    for query in typed:
        assert typing.search(query) == SearchIndex(view).search(query), query


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
    highlight took 0.4-0.6 s before, and the palette matcher ran out of memory). The caps
    are what keeps them fast, so the caps are asserted, not the clock (which a loaded
    machine moves)."""
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
    # What the palette's matcher is given: never longer than a capped label.
    assert max(len(f"Go to {each.label}") for each in index.entries) <= MAX_LABEL_CHARS + 6
    query = "river tal"
    for typed in range(1, len(query) + 1):
        hits = index.search(query[:typed])
        for hit in hits:
            assert len(highlight(hit, query[:typed]).text) <= MAX_FIELD_CHARS
        matcher = Matcher(query[:typed])
        assert matcher.match(f"Go to {entry.label}") > 0
        assert entry in hits


def test_a_bloc_with_no_relationship_of_its_own_leads_to_a_listed_member() -> None:
    """The example's Lake League takes part in nothing itself: "Go to" it opens its first
    member in the list rather than a toast saying it leads nowhere."""
    view = ModelView(load_model(ROOT / "docs" / "example.toml"))
    assert view.entities["lake-league"].members == ("XGR", "XKR")
    assert view.counterpart_of_entity("lake-league") == "XGR"
    (entry,) = [e for e in SearchIndex(view).entries if e.item_id == "lake-league"]
    assert entry.leads_to == "→ Graustark"


def test_a_member_of_such_a_bloc_does_not_lead_to_a_sibling() -> None:
    from policyterm.core.loading import parse_bytes

    text = (ROOT / "docs" / "example.toml").read_text(encoding="utf-8").replace(
        '  { id = "mara-lenz"',
        '  { id = "envoy", kind = "person", name = "An envoy", member_of = "lake-league",'
        ' source = [3] },\n  { id = "mara-lenz"', 1)
    view = ModelView(parse_bytes(text.encode(), "envoy.toml"))
    assert "envoy" in view.entities
    assert view.counterpart_of_entity("envoy") is None  # its bloc's members are not its own


@pytest.mark.parametrize("pasted, typed", [
    ("Kashmir’s", "kashmir's"), ("“CPEC”", "CPEC"), ("(CPEC)", "CPEC"), ("IMF.", "IMF"),
    ("Pakistan’s IMF,", "pakistan's imf"),
])
def test_pasted_punctuation_and_typographic_quotes_find_what_typing_finds(
        index: SearchIndex, pasted: str, typed: str) -> None:
    """A phrase pasted from an article brings curly quotes and punctuation around its words:
    "Kashmir’s" and "(CPEC)" found nothing, "IMF." one hit of five."""
    assert index.search(typed)
    assert index.search(pasted) == index.search(typed)


def test_a_query_of_punctuation_alone_is_still_searched(index: SearchIndex) -> None:
    assert query_terms("( ...") == ["(", "..."]
    assert query_terms("-5 +3 $65") == ["-5", "+3", "$65"]


def test_a_title_holding_every_word_comes_before_titles_holding_the_first(
        index: SearchIndex) -> None:
    """For "Munir US trip", the events whose titles only start with "Munir" came first, and
    the one whose title holds all three words third."""
    first = index.search("munir us trip")[0]
    assert first.kind is HitKind.EVENT and "Munir" in first.label and "trip" in first.label
    shown, _ = index.first("munir us trip", 3)
    assert shown[0] == first


def test_a_word_starting_in_a_name_ranks_before_one_inside_a_word(index: SearchIndex) -> None:
    """For "US", the title that holds it only inside "Austin" came before the one that says
    "official US trip", in model order."""
    events = [entry.label for entry in index.search("us") if entry.kind is HitKind.EVENT]
    inside = next(n for n, label in enumerate(events) if "Austin" in label)
    as_a_word = [n for n, label in enumerate(events) if " US " in f" {label} "]
    assert len(as_a_word) >= 2 and max(as_a_word) < inside
    shown, _ = index.first("us", 60)
    assert [e.label for e in shown if e.kind is HitKind.EVENT] == events[:len(
        [e for e in shown if e.kind is HitKind.EVENT])]


def test_a_cut_text_ends_on_a_character_not_a_space_before_its_ellipsis() -> None:
    from policyterm.core.search import cap

    assert cap("Pakistan secures an IMF rescue package in June", 40) == \
        "Pakistan secures an IMF rescue package…"
    assert cap("short", 40) == "short"


def test_a_score_query_finds_scores_not_dates(index: SearchIndex) -> None:
    """Indexing dates as the model writes them (2023-11-08) made "-1" find every event
    dated in October to December or on a day 10 to 19: 8 hits on the article, 2 of them
    scored −1."""
    hits = index.search("-1")
    assert hits
    for entry in hits:
        assert entry.kind is not HitKind.EVENT or any(
            field == "score" and "-1" in text.replace("\u2212", "-")
            for field, text in entry.fields), entry.label
