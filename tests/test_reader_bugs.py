"""Bugs a reader met on screen (issue 13), each pinned by a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Input

from conftest import screen_text, toast_text
from policyterm.cli import bundled_model_path
from policyterm.core.display import format_score
from policyterm.core.loading import load_model
from policyterm.core.model import Model
from policyterm.core.views import ModelView
from policyterm.tui.app import PolicyApp
from policyterm.tui.screens.help import HelpScreen
from policyterm.tui.screens.search import SearchScreen
from policyterm.tui.widgets.counterparts import CounterpartList, counterpart_prompt
from policyterm.tui.widgets.detail import DetailPane

SIZE = (120, 40)


@pytest.fixture(scope="module")
def article() -> Model:
    return load_model(bundled_model_path())


def highlighted_is_a_counterpart(app: PolicyApp) -> bool:
    option = app.query_one(CounterpartList).highlighted_option
    return option is not None and not option.disabled and option.id is not None


async def test_page_keys_never_land_on_a_heading_and_the_ends_do_not_wrap(
        article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=(100, 24)) as pilot:
        first, last = app.view.counterparts[0].id, app.view.counterparts[-1].id
        await pilot.press("pageup")
        assert highlighted_is_a_counterpart(app) and app.counterpart == first
        await pilot.press("k")
        assert app.counterpart == first  # no wrap to the last row
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        assert highlighted_is_a_counterpart(app) and app.counterpart == last
        await pilot.press("j")
        assert app.counterpart == last
        await pilot.press("pageup")
        assert highlighted_is_a_counterpart(app)
        await pilot.press("enter")
        assert app.focused is app.query_one(DetailPane)


async def test_a_new_theme_repaints_detail(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(DetailPane)

        def background() -> object:
            return next(seg.style.bgcolor for seg in detail.render_line(2) if seg.style)

        before = background()
        app.theme = "solarized-light"
        await pilot.pause()
        assert background() != before


async def test_without_colour_the_trend_glyphs_have_the_text_colour(
        article: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        svg = app.export_screenshot()
    fills = dict(re.findall(r"\.(terminal-[\d-]*r\d+) \{ fill: (#[0-9a-f]{6})", svg))
    glyph = re.search(r'class="(terminal-[\d-]*r\d+)"[^>]*>▼</text>', svg)
    name = re.search(r'class="(terminal-[\d-]*r\d+)"[^>]*>(&#160;)?Afghanistan', svg)
    assert glyph and name
    assert fills[glyph.group(1)] == fills[name.group(1)]


async def test_without_colour_the_selection_stays_marked_when_the_list_loses_focus(
        article: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its only mark was a grey a shade off the background."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "tab")
        await pilot.pause()
        listed = app.counterpart_list
        assert app.focused is not listed
        row = next(y for y in range(listed.size.height)
                   if "India" in listed.render_line(y).text)
        styles = [segment.style for segment in listed.render_line(row) if segment.text.strip()]
        assert styles and all(style is not None and style.underline for style in styles)
        other = next(y for y in range(listed.size.height)
                     if "China" in listed.render_line(y).text)
        assert not any(segment.style is not None and segment.style.underline
                       for segment in listed.render_line(other))


async def test_focus_survives_the_terminal_shrinking_and_growing(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "tab")  # the timeline, which a tiny terminal once hid
        timeline = app.timeline
        for size in [(40, 12), SIZE]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.pause()
        assert app.focused is timeline
        before = timeline.cursor
        await pilot.press("l")
        assert timeline.cursor != before
        await pilot.press("shift+tab", "shift+tab", "j")
        assert app.counterpart == app.view.counterparts[1].id


async def test_n_shows_one_status_and_says_when_it_wraps(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"cpec", "enter")
        await pilot.pause()
        count = len(app.last_search.results) if app.last_search else 0
        assert count >= 2
        for _ in range(count):
            await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        assert len(re.findall(r"\d+/\d+ “cpec”", text)) == 1, text
        assert "wrapped to the first hit" in text


def test_a_counterpart_without_a_focus_relationship_shows_no_trend(article: Model) -> None:
    view = ModelView(article)
    israel = counterpart_prompt(view, "ISR")
    assert israel.plain.startswith("  Israel ↔ Hamas"), israel.plain
    assert counterpart_prompt(view, "USA").plain == "▲ United States"


async def test_vim_keys_scroll_the_help_screen(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        dialog = app.screen.query_one("#help-dialog", VerticalScroll)
        await pilot.press("j", "j")
        assert dialog.scroll_y == 2
        await pilot.press("G")
        assert dialog.scroll_y == dialog.max_scroll_y > 2
        await pilot.press("g")
        assert dialog.scroll_y == 0
        await pilot.press("space")
        assert dialog.scroll_y > 2


async def test_a_narrow_detail_keeps_the_trend_whole(article: Model) -> None:
    """At 60x20 the heading wrapped between "▼" and "deteriorating"."""
    app = PolicyApp(article)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert any("│ ▼ deteriorating" in line for line in lines), lines
        assert any("│ Pakistan ↔ Afghanistan " in line for line in lines)


async def test_a_narrow_detail_cuts_a_long_date_before_the_score(article: Model) -> None:
    """At 60x20 the date line of a span ("c. Jan 2021 – Dec 2023") was cut with "…" at its
    end, taking the score and the citations with it."""
    app = PolicyApp(article)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.view
        event = next(e for e in article.events if len(e.date.display()) > 20)
        counterpart = view.counterpart_of_event(event)
        assert counterpart is not None
        app.select_counterpart(counterpart)
        await pilot.pause()
        detail = app.query_one(DetailPane)
        for highlighted in (None, event.id):  # on its own line, then shown in full
            detail.show(counterpart, highlighted)
            detail.scroll_to_item(event.id)
            await pilot.pause()
            line = next(line for line in screen_text(app).splitlines()
                        if event.date.display()[:6] in line)
            assert format_score(event.score) in line and "¶" in line, line


async def test_g_and_G_in_detail_go_to_the_top_and_the_bottom(article: Model) -> None:
    """They now jump there (in a terminal they glided, a second over a long Detail; a
    headless app jumps either way, so this checks the keys, not the glide)."""
    app = PolicyApp(article)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # Detail, on the United States
        detail = app.query_one(DetailPane)
        assert app.focused is detail and detail.max_scroll_y > 5
        await pilot.press("G")
        assert detail.scroll_y == detail.max_scroll_y
        await pilot.press("g")
        assert detail.scroll_y == 0


async def test_the_palette_offers_the_apps_actions_and_help_instead_of_keys(
        article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Search", "Help", "Next hit", "Theme", "Quit"} <= set(titles)
        assert "Keys" not in titles
        await pilot.press("ctrl+p", *"help", "enter")
        await pilot.pause()
        assert "Help" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Every key" not in screen_text(app)


async def test_n_with_a_single_hit_does_not_say_it_wrapped(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"america", "enter")
        await pilot.pause()
        assert app.last_search is not None and len(app.last_search.results) == 1
        await pilot.press("n")
        await pilot.pause()
        text = screen_text(app)
        assert "1/1 “america”" in text and "wrapped" not in text


async def test_n_quotes_a_long_query_on_one_short_line(article: Model) -> None:
    """A pasted query of 800 characters made n's toast 21 rows tall."""
    app = PolicyApp(article)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one(Input).value = "zqzq " * 160
        await pilot.press("escape", "n")
        await pilot.pause()
        toast = [line for line in screen_text(app).splitlines() if "▌" in line]
        assert 1 <= len(toast) <= 4, toast
        assert "No match for “zqzq zqzq" in toast_text(app)


async def test_the_palette_screenshot_is_saved_here_and_its_path_shown_as_text(
        article: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual saved into a Downloads folder, which many machines lack: the palette's
    Screenshot only said "Failed to save screenshot". Its message read the path as markup."""
    here = tmp_path / "[bold]shots"
    here.mkdir()
    monkeypatch.chdir(here)
    app = PolicyApp(article)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        app.deliver_screenshot()
        for _ in range(100):
            await pilot.pause(0.05)
            if "Saved the screenshot" in toast_text(app):
                break
        saved = list(here.glob("*.svg"))
        assert len(saved) == 1 and saved[0].read_text().startswith("<svg")
        assert "[bold]shots" in toast_text(app)


async def test_textual_s_own_palette_commands_are_explained_as_ours_are(article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        helps = {command.title: command.help for command in app.get_system_commands(app.screen)}
        assert helps["Quit"] == "Quit policyterm (q, ctrl+q)"
        assert "Keys" not in helps
        assert "dates" in helps["Search"]


def type_in_one_burst(app: PolicyApp, text: str) -> None:
    """Post the keys of `text` at once, as the terminal driver posts what it reads in one go
    (a paste, a fast typist): nothing handles one before the next arrives. "\r" is enter."""
    names = {"/": "slash", " ": "space", "?": "question_mark", "\r": "enter"}
    for character in text:
        app.post_message(events.Key(names.get(character, character),
                                    None if character == "\r" else character))


async def test_keys_typed_in_one_burst_with_slash_reach_the_search_box(
        article: Model) -> None:
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counterpart = app.counterpart
        type_in_one_burst(app, "/chi jk")  # j and k: keys the list below would take
        await pilot.pause()
        box = app.screen.query_one("#search-input", Input)
        assert box.value == "chi jk"
        assert app.counterpart == counterpart  # no letter acted on the list below
        await pilot.press("o", "slash")  # "/" in the box is typed, not a second search
        assert box.value == "chi jko/"
        await pilot.press("escape")
        # The box opens with the last query selected: a burst replaces it, as typing does.
        type_in_one_burst(app, "/us")
        await pilot.pause()
        assert app.screen.query_one("#search-input", Input).value == "us"


async def test_a_burst_acts_in_the_order_it_was_typed(article: Model) -> None:
    """Keys before "/" act on the explorer, the query goes to the box, and enter after it
    goes to what the whole query found."""
    app = PolicyApp(article)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        type_in_one_burst(app, "jj/chin")
        await pilot.pause()
        assert app.counterpart == app.view.counterparts[2].id  # two down, then the search
        assert app.screen.query_one("#search-input", Input).value == "chin"
        type_in_one_burst(app, "a\r")  # enter after the last letter: a search for "china"
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert app.counterpart == "CHN"
        assert app.last_search is not None and app.last_search.query == "china"
        type_in_one_burst(app, "?j")  # help, then a key for the help
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.counterpart == "CHN"
        await pilot.press("escape")
        type_in_one_burst(app, "q/")  # quits: the search is not opened over a closing app
        await pilot.pause()
    assert app.return_code == 0
