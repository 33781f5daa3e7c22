"""The app reads its model file again when it changes (or on r), keeping the selection by id;
a file that now has problems keeps the last good model on screen and says why."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from conftest import screen_text, touch, wait_for
from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.tui.app import PolicyApp

HEADLINE = 'headline = "Sharp downturn"'


def article_copy(tmp_path: Path) -> tuple[Path, str]:
    """The bundled article copied to a file the test may edit, and its text."""
    path = tmp_path / "model.toml"
    original = bundled_model_path().read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    return path, original


async def test_an_edit_is_shown_with_the_selection_kept_and_a_broken_file_is_not(
        tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    original = bundled_model_path().read_text(encoding="utf-8")
    assert HEADLINE in original
    path.write_text(original, encoding="utf-8")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "tab", "tab", "l")
        cursor_event = app.model.events[app.timeline.cursor or 0].id
        touch(path, original.replace(HEADLINE, 'headline = "Sharp downturn, edited"'))
        # The focus comes back just after the new panes are drawn: waited for too.
        await wait_for(pilot, lambda: "edited" in screen_text(app) and app.counterpart == "AFG"
                       and app.focused is app.timeline)
        assert app.model.events[app.timeline.cursor or 0].id == cursor_event

        touch(path, original.replace("score = ", "score = 99 + ", 1))  # a syntax error
        await wait_for(pilot, lambda: "still showing" in screen_text(app))
        text = screen_text(app)
        assert "still showing the version before" in text
        # Each problem on a line of its own, by line and column; the old model stays.
        problem = next(line for line in text.splitlines() if "TOML syntax error" in line)
        assert re.match(r" \d+:\d+: ", problem) and "edited" in text

        touch(path, original)
        await wait_for(pilot, lambda: app.counterpart == "AFG"
                       and "Sharp downturn" in (text := screen_text(app))
                       and "edited" not in text and "still showing" not in text)


async def test_a_reload_keeps_the_timelines_zoom(tmp_path: Path) -> None:
    path = tmp_path / "model.toml"
    path.write_text(bundled_model_path().read_text(encoding="utf-8"), encoding="utf-8")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "tab", "l", "plus")
        chosen = app.timeline.window
        assert chosen.label() != "2023"  # zoomed in from the article's year
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: app.model is not model and app.focused is app.timeline)
        assert app.timeline.window == chosen


async def test_a_reload_keeps_the_lanes_view(tmp_path: Path) -> None:
    """Zoom and "selected only" survived a reload; the lanes view did not."""
    path, _ = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("tab", "tab", "v")
        assert app.timeline.lanes_view
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: app.model is not model and app.counterpart is not None)
        await pilot.pause()
        assert app.timeline.lanes_view and "Timeline · lanes" in screen_text(app)


async def test_a_reload_keeps_the_cursor_on_its_event_in_a_zoomed_window(
        tmp_path: Path) -> None:
    """An event the window shows only in part (dated to the year, in a window of months)
    stays the cursor's: the window is restored as it was, not fitted to its first event."""
    path = tmp_path / "model.toml"
    path.write_text(bundled_model_path().read_text(encoding="utf-8"), encoding="utf-8")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "tab", "plus", "plus")
        assert app.timeline.cursor is not None
        event = app.model.events[app.timeline.cursor]
        first, last = event.date.first_day, event.date.last_day
        window = app.timeline.window
        assert first < window.first_ordinal or last > window.last_ordinal  # only in part
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: app.model is not model and app.focused is app.timeline)
        assert app.timeline.window == window
        assert app.timeline.cursor is not None
        assert app.model.events[app.timeline.cursor].id == event.id


async def test_a_reload_keeps_detail_where_the_reader_was(tmp_path: Path) -> None:
    """An author saves the model while reading Detail: the pane stays at the same line."""
    path = tmp_path / "model.toml"
    path.write_text(bundled_model_path().read_text(encoding="utf-8"), encoding="utf-8")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", "end")
        await pilot.pause()
        scrolled = app.detail.scroll_y
        assert scrolled > 0
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: app.model is not model and app.focused is app.detail)
        await pilot.pause()
        assert app.detail.scroll_y == scrolled


@pytest.mark.parametrize("steps", [4, 12])  # an event; the Sources line after them
async def test_a_reload_keeps_detail_s_highlight(tmp_path: Path, steps: int) -> None:
    """The highlight went back to the timeline's event, which Detail then showed in full."""
    path = tmp_path / "model.toml"
    path.write_text(bundled_model_path().read_text(encoding="utf-8"), encoding="utf-8")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", *["j"] * steps)
        await pilot.pause()
        highlighted = app.detail.highlighted
        assert highlighted is not None and app.detail.highlighted_in_sight == highlighted
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: app.model is not model and app.focused is app.detail)
        await pilot.pause()
        assert app.detail.highlighted == highlighted
        assert app.detail.highlighted_in_sight == highlighted


async def test_r_reloads_on_demand(tmp_path: Path) -> None:
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: app.model is not model)
        assert app.model == model
    assert path.read_text(encoding="utf-8") == original  # reloading never writes


async def test_r_reads_the_file_even_when_its_size_and_time_are_cached_ones(
        tmp_path: Path) -> None:
    """An edit that keeps the file's size and modification time (cp -p, rsync -t, a save
    within a coarse clock's tick) looks cached: r still reads the file, and replaces the
    entry, rather than say "Reloaded" over the old model."""
    from policyterm.core.cache import ModelCache, cached_view

    path, original = article_copy(tmp_path)
    cache = ModelCache(tmp_path / "cache")
    app = PolicyApp(load_model(path), path=path, cache=cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j")  # Afghanistan, whose headline this is
        model = app.model
        await pilot.press("r")  # the first reload stores it
        await wait_for(pilot, lambda: app.model is not model
                       and cached_view(path, cache) is not None)
        stamp = path.stat()
        path.write_text(original.replace("Sharp downturn", "Sharp dOwntUrn"), encoding="utf-8")
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: "Sharp dOwntUrn" in screen_text(app))
    view = cached_view(path, cache)
    assert view is not None and "Sharp dOwntUrn" in str(view.model)


async def test_a_renamed_counterpart_stays_selected_and_a_removed_one_moves_both_panes(
        tmp_path: Path) -> None:
    """Renaming the selected counterpart's id keeps it selected (its relationship's id is
    unchanged); when it is gone, Detail and the timeline move to the first one together."""
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "tab", "tab")
        assert app.counterpart == "AFG"
        cursor_event = app.model.events[app.timeline.cursor or 0].id
        first = app.view.counterparts[0].id
        assert not app.view.lists_event(first, app.view.events[cursor_event])
        touch(path, original.replace('"AFG"', '"AFX"'))
        await wait_for(pilot, lambda: "AFX" in app.view.entities)
        await pilot.pause()
        assert app.counterpart == "AFX" and "Afghanistan" in screen_text(app)
        assert app.model.events[app.timeline.cursor or 0].id == cursor_event

        # Its relationship's id changed too: nothing leads back to it. The first counterpart,
        # and the timeline's cursor on one of its events, not left on Afghanistan's.
        touch(path, original)  # back, by the relationship again
        await wait_for(pilot, lambda: app.counterpart == "AFG")
        await pilot.pause()
        assert app.model.events[app.timeline.cursor or 0].id == cursor_event
        renamed = original.replace('"AFG"', '"AFY"').replace('"pak-afg"', '"pak-afy"')
        touch(path, renamed)
        await wait_for(pilot, lambda: "AFY" in app.view.entities)
        await pilot.pause()
        assert app.counterpart == first != "AFY"
        event = app.model.events[app.timeline.cursor or 0]
        assert app.view.lists_event(first, event), event.title


async def test_a_deleted_file_is_said_to_be_unreadable_not_to_have_problems(
        tmp_path: Path) -> None:
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        path.unlink()
        await wait_for(pilot, lambda: "still showing" in screen_text(app))
        text = screen_text(app)
        assert "The file cannot be read now; still showing the version before" in text
        assert "now has 1 problem" not in text and "no such file" in text
        assert "expected a path" not in text  # it was the file open a moment ago
        path.write_text(original, encoding="utf-8")
        await wait_for(pilot, lambda: "still showing" not in screen_text(app))


async def test_a_slow_reload_says_so_in_the_title_until_it_ends(tmp_path: Path) -> None:
    """r on a large model changed nothing on screen for over a second."""
    from test_app import many_events_model

    path = many_events_model(tmp_path / "big.toml", 20_000,
                             lambda i: f"2023-05-{i % 28 + 1:02d}")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.search_index  # noqa: B018  (built now: its timer would hold the loop mid-reload)
        await pilot.pause()
        model = app.model
        await pilot.press("r")
        await wait_for(pilot, lambda: "(reloading…)" in screen_text(app).splitlines()[0])
        # Then the new model, and the title without it (drawn once the new panes are in).
        await wait_for(pilot, lambda: app.model is not model and app.counterpart is not None
                       and "(reloading…)" not in screen_text(app), seconds=60)


async def test_quitting_while_a_reload_swaps_the_panes_is_clean(tmp_path: Path) -> None:
    """The app closing between the new model and its new panes raised NoMatches."""
    from test_app import many_events_model

    path = many_events_model(tmp_path / "big.toml", 20_000,
                             lambda i: f"2023-05-{i % 28 + 1:02d}")
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.search_index  # noqa: B018  (built now, not by its timer)
        model = app.model
        await pilot.press("r")
        for _ in range(6000):  # until the new model is in: the panes are then being swapped
            if app.model is not model:
                break
            await asyncio.sleep(0.005)
        assert app.model is not model
    assert app.return_code in (None, 0)


async def test_a_renamed_counterpart_of_a_relationship_without_the_focus_stays_selected(
        tmp_path: Path) -> None:
    """Israel's relationship is with Hamas, not Pakistan: renaming Israel selected Hamas."""
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.select_counterpart("ISR")
        await pilot.pause()
        assert all(app.view.focus_id not in r.pair for r in app.view.relationships_of("ISR"))
        touch(path, original.replace('"ISR"', '"ISX"'))
        await wait_for(pilot, lambda: "ISX" in app.view.entities)
        await pilot.pause()
        assert app.counterpart == "ISX"


async def test_n_after_a_reload_walks_the_last_search_in_the_new_model(tmp_path: Path) -> None:
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("slash", *"cpec", "escape")
        assert app.last_search is not None and app.last_search.results
        model = app.model
        touch(path, original.replace(HEADLINE, 'headline = "Sharp downturn, edited"'))
        await wait_for(pilot, lambda: app.model is not model)
        await pilot.press("n")
        await pilot.pause()
        # Not "No search yet": the hits are found again, in the reloaded model's index.
        text = screen_text(app)
        assert "No search yet" not in text and "“cpec”" in text
        assert app.hit_position == 0
        assert app.last_search.results[0] in app.search_index.entries


async def test_n_after_a_search_with_no_hits_says_so(tmp_path: Path) -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("slash", *"zzqqxx", "escape", "n")
        await pilot.pause()
        text = screen_text(app)
        assert "No match for “zzqqxx”" in text and "No search yet" not in text


async def test_a_reload_with_many_problems_says_how_many_more_at_80x24(tmp_path: Path) -> None:
    """Wrapped, the first problem filled the strip: the rest, and the count of them, were out
    of sight."""
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        touch(path, re.sub(r"score = [-+]?[\d.]+", "score = 50", original, count=5))
        await wait_for(pilot, lambda: "still showing" in screen_text(app))
        text = screen_text(app)
        assert len(re.findall(r"^ \d+:\d+: ", text, re.M)) == 3
        assert "… and 2 more (policyterm validate lists them all)" in text
        # What is wrong comes before the field: a cut line loses the field, which the line
        # and column locate already.
        problem = next(line for line in text.splitlines() if re.match(r" \d+:\d+: ", line))
        assert re.match(r" \d+:\d+: 50 is out of range; expected a score", problem), problem


async def test_a_reload_that_moves_the_highlighted_event_away_drops_the_highlight(
        tmp_path: Path) -> None:
    """Kept by id alone, the highlight could name an event the counterpart's Detail no
    longer lists: nothing was highlighted on screen."""
    path, original = article_copy(tmp_path)
    app = PolicyApp(load_model(path), path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab", *["j"] * 4)
        await pilot.pause()
        moved = app.detail.highlighted
        assert moved is not None and moved in app.view.events
        start = original.index(f'id = "{moved}"')
        found = re.compile(r"relationships = \[[^\]]*\]").search(original, start)
        assert found is not None
        model = app.model
        touch(path, original[:found.start()] + 'relationships = ["pak-afg"]'
              + original[found.end():])
        await wait_for(pilot, lambda: app.model is not model and app.focused is app.detail)
        await pilot.pause()
        assert app.detail.highlighted != moved
