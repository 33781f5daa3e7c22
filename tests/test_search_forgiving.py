"""Forgiving search in the dialog: dashes, digit grouping and typos found and marked, earlier
queries recalled, typing always reaching the box, and result lines that keep their target."""

from __future__ import annotations

import re

import pytest
from rich.text import Text
from textual.widgets import Input

from conftest import screen_text
from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.core.model import Model
from policyterm.core.search import GROUP_ORDER, Entry, HitKind, SearchIndex
from policyterm.core.views import ModelView
from policyterm.tui.app import PolicyApp
from policyterm.tui.screens.search import SearchScreen, hit_prompt
from policyterm.tui.widgets.detail import DetailPane
from policyterm.tui.widgets.results import ResultList

SIZE = (80, 24)


@pytest.fixture(scope="module")
def article() -> Model:
    return load_model(bundled_model_path())


def marked(line: Text) -> list[str]:
    """The parts of a result line shown as a match."""
    return [line.plain[span.start:span.end] for span in line.spans
            if "reverse" in str(span.style)]


def drawn_lines(screen: SearchScreen) -> list[Text]:
    """Every result line as the dialog draws it, at the list's width."""
    results = screen.query_one("#search-results", ResultList)
    width = results.content_region.width
    return [content(width) if callable(content) else content
            for content, value in results.rows if value is not None]


async def open_search(pilot, app: PolicyApp, typed: str) -> SearchScreen:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    if typed:
        await pilot.press(*typed)
        await pilot.pause()
    return screen


@pytest.mark.parametrize(
    "typed, printed",
    [("-5", "−5"), ("2867", "2,867"), ("2,867", "2,867"), ("Blinkn", "Blinken"),
     ("Afganistan", "Afghanistan")],
)
async def test_typed_forms_find_and_mark_the_printed_ones(article: Model, typed: str,
                                                          printed: str) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app, typed)
        assert screen.results, typed
        lines = drawn_lines(screen)
        assert lines
        assert any(printed in marked(line) for line in lines), [line.plain for line in lines]


async def test_a_typo_hit_lands_with_the_meant_word_marked(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app, "Blinkn")
        people = [n for n, e in enumerate(screen.results) if e.kind is HitKind.PERSON]
        assert people
        await pilot.press("enter")
        await pilot.pause()
        assert app.counterpart == "USA"
        assert "blinken" in app.query_one(DetailPane).search_terms


async def test_slash_reopens_with_the_last_query_selected(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await open_search(pilot, app, "cpec")
        await pilot.press("enter")
        await pilot.pause()
        await open_search(pilot, app, "")
        box = app.screen.query_one("#search-input", Input)
        assert box.value == "cpec"
        assert (box.selection.start, box.selection.end) == (0, 4)
        assert len(app.screen.results) == len(SearchIndex(ModelView(article)).search("cpec"))
        await pilot.press(*"water")
        assert box.value == "water"


async def test_up_in_an_empty_box_walks_earlier_queries(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        for query in ("cpec", "water", "Bilawal"):
            await open_search(pilot, app, query)
            await pilot.press("escape")
            await pilot.pause()
        assert app.search_history == ["Bilawal", "water", "cpec"]
        await open_search(pilot, app, "")
        box = app.screen.query_one("#search-input", Input)
        await pilot.press("backspace")  # the last query, selected, goes
        assert box.value == ""
        seen = []
        for key in ("up", "up", "up", "up", "down", "down", "down"):
            await pilot.press(key)
            seen.append(box.value)
        assert seen == ["Bilawal", "water", "cpec", "cpec", "water", "Bilawal", ""]
        # Once a query is in the box, Tab goes to the results; ↑↓ then move there.
        await pilot.press("up", "tab")
        results = app.screen.query_one("#search-results", ResultList)
        first = results.highlighted
        await pilot.press("down")
        assert box.value == "Bilawal" and results.highlighted != first


async def test_a_repeated_query_is_kept_once_most_recent_first(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        for query in ("cpec", "water", "cpec"):
            await open_search(pilot, app, "")
            await pilot.press("backspace", *query, "escape")
            await pilot.pause()
        assert app.search_history == ["cpec", "water"]


async def test_tab_moves_the_highlight_and_typing_still_reaches_the_box(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app, "pa")
        box = screen.query_one("#search-input", Input)
        results = screen.query_one("#search-results", ResultList)
        first = results.highlighted
        await pilot.press("tab")
        assert results.highlighted != first
        assert app.focused is box
        await pilot.press("shift+tab")
        assert results.highlighted == first
        assert app.focused is box
        await pilot.press("tab", "tab", *"kistan")
        assert box.value == "pakistan"
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize("query", ["pakistan", "Blinken", "2,867", "talks", "Afghan"])
async def test_the_target_is_always_at_the_right_end_at_80_columns(article: Model,
                                                                   query: str) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app, query)
        width = screen.query_one("#search-results", ResultList).content_region.width
        entries = screen.results[:len(drawn_lines(screen))]
        for entry, line in zip(entries, drawn_lines(screen), strict=True):
            assert line.cell_len == width
            assert line.plain.endswith(entry.leads_to), line.plain
        assert any(e.leads_to in screen_text(app) for e in entries)


def test_snippets_are_cut_between_words(article: Model) -> None:
    index = SearchIndex(ModelView(article))
    cuts = 0
    for query in ("pakistan", "talks", "2,867", "Blinken", "water"):
        terms = index.match_terms(query)
        for entry in index.search(query):
            line = hit_prompt(entry, terms, 60)
            assert line.cell_len == 60
            assert line.plain.endswith(entry.leads_to)
            body = line.plain[: -len(entry.leads_to)].rstrip()
            sources = " ".join([entry.label, *(text for _, text in entry.fields)])
            for match in re.finditer(r"(\S+)…(?= |$)", body):
                # What is left before a cut is a whole word of the original text, unless
                # it is a lone word that had no room at all ("…Pakis…": _fit's one cut).
                cuts += 1
                if match.group(1).startswith("…"):
                    continue
                word = match.group(1)
                assert re.search(rf"(^|\s){re.escape(word)}(\s|$)", sources), (word, body)
            for match in re.finditer(r"(?:^|: )…(\S+)", body):
                # What follows a cut at the start is a whole word too.
                word = match.group(1).rstrip("…")
                assert re.search(rf"(^|\s){re.escape(word)}", sources), (word, body)
    assert cuts


def test_a_long_target_keeps_a_place_and_the_hit_shows() -> None:
    from policyterm.core.search import Target

    entry = Entry(HitKind.EVENT, "e", "2023 · " + "word " * 30 + "needle",
                  (("title", "word " * 30 + "needle"),), Target("X"),
                  "→ " + "The Very Long Name Of An Organisation " * 3)
    line = hit_prompt(entry, ["needle"], 70)
    assert line.cell_len == 70
    assert "needle" in marked(line)
    assert "→ The Very" in line.plain and line.plain.endswith("…")


def test_a_snippet_shows_the_longest_match_not_a_short_word_s_first() -> None:
    """For "support on afgh" the snippet began at the first "on", early in the summary, and
    was cut before the words that made it a hit."""
    from policyterm.core.search import Target

    summary = "Talks on " + "the river and its dams, " * 6 + "then tacit support on Afghanistan."
    entry = Entry(HitKind.RELATIONSHIP, "r", "A ↔ B", (("pair", "A ↔ B"), ("summary", summary)),
                  Target("X"), "→ B")
    line = hit_prompt(entry, ["support", "on", "afgh"], 70)
    assert "support" in marked(line) and "Afgh" in marked(line)


def test_model_text_stays_data_in_a_result_line() -> None:
    from policyterm.core.search import Target

    entry = Entry(HitKind.EVENT, "e", "2023 · [bold]x[/] talks", (("title", "[bold]x[/] talks"),),
                  Target("X"), "→ [red]Y[/]")
    line = hit_prompt(entry, ["talks"], 60)
    assert "[bold]x[/] talks" in line.plain and "→ [red]Y[/]" in line.plain


async def test_group_order_stays_put_while_typing(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app, "")
        names = [kind.value for kind in GROUP_ORDER]
        for char in "pakistan":
            await pilot.press(char)
            await pilot.pause()
            headings = [content.plain.split(" (")[0]
                        for content, value in screen.query_one(ResultList).rows
                        if value is None and isinstance(content, Text)]
            assert headings == sorted(headings, key=names.index), headings


def test_text_without_spaces_is_cut_where_it_must_be_not_back_to_its_first_space() -> None:
    from rich.text import Text

    from policyterm.tui.screens.search import _fit

    leads = _fit(Text("→ 中华人民共和国国务院台湾事务办公室"), 12)
    assert leads.plain == "→ 中华人民…" and leads.cell_len <= 12  # was "→…"
    assert _fit(Text("Pakistan and the Afghan Taliban"), 20).plain == "Pakistan and the…"


def test_a_tab_or_line_break_in_a_summary_keeps_a_result_one_line_wide() -> None:
    """A tab in a summary (a summary may hold tabs) was drawn as a tab: it pushed the
    dialog's border and the target off the line."""
    from policyterm.core.search import Target

    summary = "Col1\tCol2\tCol3\n\nTabbed\t\t\tend of the talks"
    entry = Entry(HitKind.RELATIONSHIP, "r", "A ↔ B", (("pair", "A ↔ B"), ("summary", summary)),
                  Target("X"), "→ United States")
    for query in ("col2", "talks"):
        line = hit_prompt(entry, [query], 80)
        assert "\t" not in line.plain and "\n" not in line.plain
        assert line.cell_len == 80 and line.plain.endswith("→ United States")
        assert query in [part.lower() for part in marked(line)]


def test_a_match_after_wide_characters_stays_in_the_line() -> None:
    """Characters were counted as cells: after a run of Chinese characters (two cells each)
    the snippet started too early and the match at the end of the title was cut away."""
    from policyterm.core.search import Target

    title = "Bilawal and Blinken talk often by phone " + "電話" * 12 + " zebra"
    entry = Entry(HitKind.EVENT, "e", "2023 · " + title, (("title", title),), Target("X"),
                  "→ United States")
    for width in (60, 80, 100):
        line = hit_prompt(entry, ["zebra"], width)
        assert line.cell_len == width
        assert "zebra" in marked(line), (width, line.plain)


async def test_a_paste_of_several_lines_is_searched_whole(article: Model) -> None:
    """Input keeps the first line of a paste: a name broken over two lines was searched as
    its first half."""
    from textual import events
    from textual.widgets import Input

    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app, "")
        box = screen.query_one(Input)
        box.post_message(events.Paste("Secretary of\n  State Antony\r\nBlinken\n"))
        await pilot.pause()
        assert box.value == "Secretary of State Antony Blinken"
        assert screen.query_text == box.value


def test_a_person_hit_on_the_name_says_who_they_are() -> None:
    """On the 20,000-event model "Müller" listed seven bare names: people can share one."""
    from policyterm.core.search import Target

    entry = Entry(HitKind.PERSON, "p", "Anna Müller",
                  (("name", "Anna Müller"), ("role", "Deputy envoy")), Target("X"), "→ X")
    line = hit_prompt(entry, ["muller"], 70)
    assert "Anna Müller  role: Deputy envoy" in line.plain
    assert marked(line) == ["Müller"]


def test_a_role_never_pushes_the_matched_name_out_of_the_line() -> None:
    """The role went after the fitted name, and the cut that followed removed the match."""
    from policyterm.core.search import Target

    entry = Entry(HitKind.PERSON, "p", "Anna Müller-Lüdenscheidt von Zayed",
                  (("name", "Anna Müller-Lüdenscheidt von Zayed"),
                   ("role", "Deputy envoy for the Gulf")), Target("X"), "→ UAE")
    for width in range(30, 90):
        line = hit_prompt(entry, ["zayed"], width)
        assert marked(line) == ["Zayed"], (width, line.plain)
        assert line.cell_len == width


@pytest.mark.parametrize("before, after, downs", [((120, 40), (80, 24), 30),
                                                ((80, 24), (120, 60), 80)])
async def test_the_results_view_follows_a_resize(article: Model, before: tuple[int, int],
                                                 after: tuple[int, int], downs: int) -> None:
    """Shrinking left the highlighted row below the list's view until the next key; growing
    kept blank rows below the last result while rows that would fit stayed hidden above."""
    app = PolicyApp(article)
    async with app.run_test(size=before) as pilot:
        screen = await open_search(pilot, app, "a")
        results = screen.query_one(ResultList)
        await pilot.press(*["down"] * downs)
        await pilot.resize_terminal(*after)
        await pilot.pause()
        top, height, rows = results.top, results.size.height, len(results.rows)
        assert results.highlighted is not None
        # In view, and not under the "… more rows" line, which is there unless the end is.
        last_drawn = top + height - (1 if top + height < rows else 0)
        assert top <= results.highlighted < last_drawn
        assert top <= max(0, rows - height)  # no blank rows while rows lie above
