"""Going to a hit lands on what matched: its line highlighted, the query marked, in view."""

from __future__ import annotations

from conftest import screen_text
from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.core.views import ModelView
from policyterm.tui.app import PolicyApp
from policyterm.tui.widgets.detail import DetailPane


async def test_a_figure_hit_lands_on_the_figure_with_the_query_marked() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"65 billion", "enter")
        await pilot.pause()
        detail = app.query_one(DetailPane)
        assert app.counterpart == "CHN"
        assert detail.highlighted == "cpec-commitment"
        assert "$65 billion" in screen_text(app)  # scrolled into view, at 80x24
        rows = [detail.render_line(y) for y in range(detail.size.height)]
        row = next(strip for strip in rows if "$65 billion" in strip.text)
        marked = "".join(segment.text for segment in row
                         if segment.style is not None and segment.style.underline)
        assert "65" in marked and "billion" in marked
        # Moving on by keys clears the marks.
        await pilot.press("tab", "shift+tab", "j")
        assert detail.search_terms == []


async def test_a_theme_hit_lists_everything_under_it_and_enter_goes_there() -> None:
    from policyterm.tui.screens.overview import ThemeScreen

    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"terrorism", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ThemeScreen)
        text = screen_text(app)
        assert "Pakistan ↔ Afghanistan" in text and "Relationships (" in text
        assert "2,867 deaths" in text
        # The first item is the first relationship; go down to the first event.
        relationships = len([r for r in app.model.relationships if "terrorism" in r.themes])
        await pilot.press(*["down"] * relationships, "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ThemeScreen)
        cursor = app.timeline.cursor
        assert cursor is not None
        event = app.model.events[cursor]
        assert app.query_one(DetailPane).highlighted == event.id


def test_theme_items_follow_the_relationships_with_the_theme() -> None:
    from policyterm.core.overview import theme_items
    from policyterm.core.views import ModelView

    view = ModelView(load_model(bundled_model_path()))
    groups = dict(theme_items(view, "terrorism"))
    with_theme = {r.id for r in view.model.relationships if "terrorism" in r.themes}
    assert [item.item_id for item in groups["Relationships"]] == [
        r.id for r in view.model.relationships if r.id in with_theme]
    assert all(with_theme & set(view.events[item.item_id].relationships)
               for item in groups["Events"])
    # Dates in a column, then the score's sign; citations that wrap together.
    columns = {next(n for n, char in enumerate(item.text) if char in "✚✖·")
               for item in groups["Events"]}
    assert len(columns) == 1
    assert any("¶5\u00a0¶6" in item.text for item in groups["Events"])


async def test_i_shows_the_article() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        text = screen_text(app)
        article = app.model.article
        assert article.title in text and "Paragraphs 18" in text
        assert article.author is not None and article.author in text
        await pilot.press("escape")
        assert "Standfirst" not in screen_text(app)


def test_the_article_counts_one_of_a_kind_in_the_singular() -> None:
    """As validate does: "1 event", "1 theme", not "1 events"."""
    from policyterm.core.overview import article_lines

    model = load_model(bundled_model_path())
    figure = next(figure for figure in model.figures if not figure.events)
    one = model._replace(events=model.events[:1], figures=(figure,), themes=model.themes[:1])
    modelled = dict(article_lines(ModelView(one)))["Modelled"]
    assert modelled.endswith(", 1 event, 1 figure, 1 theme"), modelled
    assert modelled.startswith(f"{len(model.entities)} entities, ")


async def test_the_article_wraps_a_long_value_under_itself() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        row = next(n for n, line in enumerate(lines) if "Standfirst " in line)
        label_column = lines[row].index("Standfirst ")
        value_column = label_column + len("Standfirst ")
        standfirst = app.model.article.standfirst
        assert standfirst is not None
        # The next line goes on with the standfirst in the values' column: nothing under
        # the label, then the model's next words.
        following = lines[row + 1]
        assert following[label_column:value_column].strip() == ""
        assert following[value_column:].split()[0] in standfirst.split()


def test_a_counterpart_in_the_palette_says_what_it_is_and_how_the_year_went() -> None:
    from policyterm.core.overview import counterpart_summary
    from policyterm.core.views import ModelView

    view = ModelView(load_model(bundled_model_path()))
    assert counterpart_summary(view, "AFG") == "country · ▼ deteriorating with Pakistan"
    assert counterpart_summary(view, "ISR").startswith(
        "country · no relationship with Pakistan; with Hamas")


async def test_detail_events_are_a_list_to_move_in_and_enter_moves_the_timeline() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "tab")  # Afghanistan, Detail focused
        detail = app.query_one(DetailPane)
        afghan_events = [e.id for e in app.view.events_of("pak-afg")]
        # Detail marks the timeline cursor's event, one of Afghanistan's but out of sight
        # below the summary: j starts from the view, at the first event, none skipped.
        assert detail.highlighted in afghan_events[1:]
        await pilot.press("j")
        assert detail.highlighted == afghan_events[0]
        await pilot.press("j", "j")
        assert detail.highlighted == afghan_events[2]
        await pilot.press("k", "enter")
        await pilot.pause()
        cursor = app.timeline.cursor
        assert cursor is not None and app.model.events[cursor].id == afghan_events[1]
        # Narrow: the date has a line of its own, so the title keeps the width.
        title = app.view.events[afghan_events[1]].title
        assert any(line.strip().startswith(title[:25]) for line in screen_text(app).split("┃"))


async def test_k_above_the_first_event_scrolls_back_to_the_summary() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "tab", "j")  # Afghanistan; Detail on its first event
        detail = app.query_one(DetailPane)
        assert detail.scroll_offset.y > 0
        for _ in range(detail.scroll_offset.y + 2):
            await pilot.press("k")
        assert detail.scroll_offset.y == 0
        # Down again to the first event: the one marked, out of sight at 80x24 while the
        # summary shows, counts as none, and j starts from the view.
        await pilot.press("j")
        assert detail.highlighted == app.view.events_of("pak-afg")[0].id


async def test_enter_in_detail_acts_only_on_a_highlight_in_sight() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "tab", "j")  # Afghanistan; Detail on its first event
        detail = app.query_one(DetailPane)
        first = app.view.events_of("pak-afg")[0].id
        cursor_before = app.timeline.cursor
        assert detail.highlighted == first and app.model.events[cursor_before].id != first
        while detail.scroll_offset.y > 0:  # k past the first event: up to the summary
            await pilot.press("k")
        assert detail.highlighted == first and detail.highlighted_in_sight is None
        await pilot.press("enter")  # on nothing the reader can see: nothing happens
        await pilot.pause()
        assert app.timeline.cursor == cursor_before


async def test_a_click_on_a_detail_event_moves_the_timeline() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("j")
        detail = app.query_one(DetailPane)
        first = app.view.events_of("pak-afg")[0]
        row = next(y for y in range(detail.size.height)
                   if first.title in detail.render_line(y).text)
        await pilot.click(DetailPane, offset=(20, row + 1))  # + the top border
        await pilot.pause()
        cursor = app.timeline.cursor
        assert cursor is not None and app.model.events[cursor].id == first.id


async def test_the_article_is_searchable_and_its_hit_opens_the_overview() -> None:
    from policyterm.tui.screens.overview import ArticleScreen

    app = PolicyApp(load_model(bundled_model_path()))
    author = app.model.article.author
    assert author
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *author.lstrip("@")[:8])
        await pilot.pause()
        assert "The article" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)


async def test_a_hit_on_an_event_taller_than_the_pane_shows_it_from_the_matched_line() -> None:
    """The event was scrolled only as far as its matched line: that line at the foot of the
    pane, the rest of the event, and the summary under it, out of view."""
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"Kakar accuses", "enter")
        await pilot.pause()
        detail = app.query_one(DetailPane)
        assert detail.highlighted is not None
        rows = [detail.render_line(y).text for y in range(detail.size.height)]
        matched = next(y for y, row in enumerate(rows) if "Kakar accuses" in row)
        assert matched <= 1, rows
        # Its summary fills the rest of the pane.
        assert "Anwar-ul Haq Kakar" in " ".join(" ".join(rows[matched:]).split())


def test_a_theme_item_that_wraps_continues_under_its_text_not_its_date() -> None:
    """A long event line wrapped to column 0, under the dates, where it read as a row of
    its own."""
    from rich.console import Console

    from policyterm.core.overview import theme_items
    from policyterm.core.views import ModelView
    from policyterm.tui.screens.overview import _prompt

    view = ModelView(load_model(bundled_model_path()))
    console = Console(width=60, record=False)
    wrapped = 0
    for _, items in theme_items(view, "terrorism"):
        for item in items:
            assert item.indent and not item.text[item.indent - 1].strip()
            lines = console.render_lines(_prompt(item), pad=False)
            for line in lines[1:]:
                text = "".join(segment.text for segment in line)
                assert text[:item.indent].strip() == "", (item.text, text)
                wrapped += 1
    assert wrapped
