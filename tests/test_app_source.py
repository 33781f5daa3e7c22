"""The article's text beside the model, in the explorer: cited paragraphs and their search.

Our own example (docs/example.toml, whose source_file is docs/example-source.md)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import OptionList

from conftest import ROOT, screen_text, toast_text, touch, wait_for
from policyterm.core.loading import load_model
from policyterm.core.search import HitKind
from policyterm.core.source import read_source
from policyterm.tui.app import PolicyApp
from policyterm.tui.screens.search import SearchScreen
from policyterm.tui.screens.source import SourceScreen, paragraph_content
from policyterm.tui.widgets.detail import DetailPane
from policyterm.tui.widgets.timeline import Timeline

EXAMPLE = ROOT / "docs" / "example.toml"
SOURCE = ROOT / "docs" / "example-source.md"
SIZE = (110, 34)


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The example and its source in a folder of their own (so they can be changed)."""
    shutil.copy(EXAMPLE, tmp_path / "example.toml")
    shutil.copy(SOURCE, tmp_path / "example-source.md")
    return tmp_path / "example.toml"


def app_on(path: Path, source: Path | None = None) -> PolicyApp:
    return PolicyApp(load_model(path), path=path, source=source)


def went_to_the_dam_protest(app: PolicyApp) -> bool:
    """Back on the main screen, the timeline's cursor on the event "dam-protest"."""
    cursor = app.query_one(Timeline).cursor
    return (not isinstance(app.screen, SourceScreen) and cursor is not None
            and app.model.events[cursor].id == "dam-protest")


async def test_going_to_a_bloc_with_no_entry_of_its_own_says_where_it_led(copied: Path) -> None:
    app = app_on(copied)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("slash", *"lake league", "enter")
        await pilot.pause()
        assert app.counterpart == "XGR"  # its first listed member
        toast = toast_text(app)
        assert "Lake League has no entry of its own; it leads to Graustark." in toast, toast


async def test_a_source_numbered_otherwise_than_the_model_is_a_warning(copied: Path) -> None:
    """The example's source with its [N] markers gone: its title and byline count as
    paragraphs, so every citation would open the wrong one. The explorer says so."""
    unnumbered = copied.parent / "unnumbered.md"
    unnumbered.write_text("".join(line.split("] ", 1)[-1] if line.startswith("[") else line
                                  for line in SOURCE.read_text(encoding="utf-8")
                                  .splitlines(keepends=True)), encoding="utf-8")
    app = app_on(copied, source=unnumbered)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: "Source" in toast_text(app))
        toast = toast_text(app)
        assert app.source is not None and len(app.source.paragraphs) == 7
        assert "has 7 paragraphs, the model 5" in toast, toast


async def test_enter_on_a_sources_line_shows_the_paragraphs_and_goes_to_what_cites_them(
        copied: Path) -> None:
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.source is not None and app.counterpart == "XGR"
        app.detail.focus()
        for _ in range(4):  # past the events, to the relationship's Sources line
            await pilot.press("j")
        assert app.detail.highlighted == "sources:xru-xgr"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        text = screen_text(app)
        assert "Ruritania ↔ Graustark" in text
        for number in (1, 2, 3):
            assert f"¶{number}  " in text
        assert "The quarrel is about water" in text
        assert "Cited by · Events (2)" in text
        # Down to the event "Ruritania protests Graustark's dam", and go there.
        cited = app.screen.query_one(OptionList)
        labels = [str(cited.get_option_at_index(i).prompt) for i in range(cited.option_count)]
        target = next(i for i, label in enumerate(labels) if "protests Graustark" in label)
        while cited.highlighted != target:
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert went_to_the_dam_protest(app)


async def test_s_on_an_event_marks_its_date_phrase(copied: Path) -> None:
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")  # Kravonia: the visit of "May 16"
        app.query_one(Timeline).focus()
        while app.model.events[app.query_one(Timeline).cursor or 0].id != "lenz-visit":
            await pilot.press("right")
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen)
        assert screen.numbers == [4] and screen.phrase == "May 16"
        assert "Foreign minister Lenz visits Kravonia" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, SourceScreen)


def test_the_date_phrase_and_search_words_are_marked_where_the_paragraph_says_them() -> None:
    source = read_source(SOURCE)
    content = paragraph_content(4, source, "May 16", ["capitals"])
    plain = content.plain
    marked = {plain[span.start:span.end]: str(span.style) for span in content.spans}
    assert marked["May 16"] == "bold reverse"
    assert marked["capitals"] == "reverse"
    assert plain.startswith("¶4  Relations with Kravonia")
    missing = paragraph_content(9, source, None, [])
    assert missing.plain == f"¶9  {source.name} has no paragraph 9"


async def test_a_click_on_an_event_s_citation_opens_it_and_elsewhere_moves_the_cursor(
        copied: Path) -> None:
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        detail = app.query_one(DetailPane)
        lines = screen_text(app).splitlines()
        row = next(n for n, line in enumerate(lines) if "Ruritania protests" in line)
        line = lines[row]
        top = detail.region.y + detail.styles.border.spacing.top
        left = detail.region.x + 1
        citation = line.index("¶2") - left
        await pilot.click(DetailPane, offset=(citation + 1, row - top + 1))
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and app.screen.numbers == [2]
        await pilot.press("escape")
        # The event is shown in full now, and the one above it no longer: found again.
        lines = screen_text(app).splitlines()
        row = next(n for n, line in enumerate(lines) if "Ruritania protests" in line)
        await pilot.click(DetailPane, offset=(lines[row].index("protests") - left + 1,
                                              row - top + 1))
        await pilot.pause()
        assert went_to_the_dam_protest(app)


async def test_search_covers_the_text_and_leads_to_the_paragraph(copied: Path) -> None:
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"marched")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        text = screen_text(app)
        assert "The article's text (1)" in text and "¶2" in text
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen) and screen.numbers == [2]
        assert screen.terms == ["marched"]
        assert "Cited by · Events (1)" in screen_text(app)


async def test_without_a_readable_source_the_app_opens_and_says_so(copied: Path) -> None:
    (copied.parent / "example-source.md").unlink()
    app = app_on(copied)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert app.source is None and app.counterpart == "XGR"
        text = screen_text(app)
        assert "warning: the source" in text and "no such file" in text
        assert not [e for e in app.search_index.entries if e.kind is HitKind.SOURCE]
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SourceScreen)
        assert "No article text to show" in screen_text(app)


async def test_source_given_on_the_command_line_wins(copied: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("One.\n\nTwo.\n\nThree marched.\n", encoding="utf-8")
    app = app_on(copied, source=other)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.source is not None and app.source.paragraphs[3] == "Three marched."


def add_a_zeppelin(source: Path) -> None:
    """Change the source's first paragraph, its modification time moved on (a coarse clock
    could leave it as it was)."""
    source.write_text(source.read_text(encoding="utf-8").replace(
        "[1] Ruritania", "[1] A zeppelin over Ruritania"), encoding="utf-8")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


async def test_a_changed_source_is_read_again(copied: Path) -> None:
    source = copied.parent / "example-source.md"
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.source is not None and "zeppelin" not in app.source.paragraphs[1]
        add_a_zeppelin(source)
        for _ in range(60):
            await pilot.pause(0.1)
            if app.source is not None and "zeppelin" in app.source.paragraphs[1]:
                break
        assert app.source is not None and "zeppelin" in app.source.paragraphs[1]
        hits = app.search_index.search("zeppelin")
        assert [hit.kind for hit in hits] == [HitKind.SOURCE]


def rewrite(path: Path, old: str, new: str) -> None:
    """Replace `old` in the file, its modification time moved on."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    touch(path, text.replace(old, new, 1))


async def test_the_explorer_says_how_the_model_strays_from_its_source(copied: Path) -> None:
    """What validate would find against the source, in one toast, as the model is opened
    and each time it is saved: an author editing with the explorer open learns of it."""
    app = app_on(copied)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert "against the source" not in toast_text(app)  # the example agrees with it
        rewrite(copied, 'date_text = "May 16"', 'date_text = "May 17"')
        await wait_for(pilot, lambda: "against the source" in toast_text(app))
        # Spaces aside: a long path wraps in the toast.
        said = "".join(toast_text(app).split())
        assert "1problemagainstthesource" in said, said
        assert "".join(f"policyterm validate {copied} lists it.".split()) in said, said
        # Saved again with the same mistake (moved a line down): no second toast.
        before = app.model
        rewrite(copied, 'date_text = "May 17"', '\ndate_text = "May 17"')
        await wait_for(pilot, lambda: app.model is not before)
        await pilot.pause(0.5)  # the check, in its thread
        assert toast_text(app).count("against the source") == 1, toast_text(app)
        rewrite(copied, 'date_text = "May 17"', 'date_text = "May 16"')
        await wait_for(pilot, lambda: "agrees with its source" in toast_text(app))


async def test_copied_wording_is_a_warning_in_the_explorer_too(copied: Path) -> None:
    rewrite(copied, 'headline = "Dispute over the shared river"',
            'headline = "Talks on sharing the river were held twice under the eye of the '
            'Lake League"')
    app = app_on(copied)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: "1 warning against the source" in toast_text(app))


async def test_an_open_paragraph_dialog_shows_the_source_as_it_changes(copied: Path) -> None:
    source = copied.parent / "example-source.md"
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_paragraphs("The first paragraph", [1])
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen) and "zeppelin" not in screen_text(app)
        add_a_zeppelin(source)
        for _ in range(60):
            await pilot.pause(0.1)
            if "zeppelin" in screen_text(app):
                break
        assert isinstance(app.screen, SourceScreen) and "A zeppelin over" in screen_text(app)


async def test_source_text_is_shown_never_interpreted(copied: Path) -> None:
    source = copied.parent / "example-source.md"
    hostile = "[1] [bold]Bold[/bold] [@click=app.quit]Quit[/] \x1b]0;PWNED\x07 done"
    source.write_text(hostile + "\n\n[2] b\n\n[3] c\n\n[4] d\n\n[5] e\n", encoding="utf-8")
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_paragraphs("hostile", [1])
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]Bold[/bold] [@click=app.quit]Quit[/]" in text
        assert "\ufffd]0;PWNED\ufffd done" in text
        await pilot.press("escape", "slash", *"click")
        await pilot.pause()
        assert "[@click=app.quit]Quit[/]" in screen_text(app)  # a search hit, literally
        assert app.is_running


async def test_j_walks_every_row_when_an_event_is_in_two_relationships() -> None:
    # The TTP: its relationship with Pakistan and with the Afghan Taliban share an event.
    from policyterm.cli import bundled_model_path

    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.select_counterpart("ttp")
        await pilot.pause()
        relationships = app.view.relationships_of("ttp")
        assert len(relationships) == 2
        shared = set.intersection(*({e.id for e in app.view.events_of(r.id)}
                                    for r in relationships))
        assert shared, "the bundled model no longer has a shared event here"
        app.detail.focus()
        seen = []
        for _ in range(sum(len(app.view.events_of(r.id)) + 1 for r in relationships) + 3):
            await pilot.press("j")
            seen.append(app.detail.highlighted)
        assert seen[-1] == f"sources:{relationships[-1].id}"
        assert seen.count(f"sources:{relationships[0].id}") == 1  # no going round again


async def test_s_follows_the_focused_pane(copied: Path) -> None:
    app = app_on(copied)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")  # in Counterparts: the relationship, not the timeline's event
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SourceScreen) and screen.numbers == [1, 2, 3]
        assert screen.phrase is None


async def test_a_bad_source_option_is_named_as_such(copied: Path, tmp_path: Path) -> None:
    app = app_on(copied, source=tmp_path / "nope.md")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        # The toast's lines: what follows its left edge (▌), before the pane's border.
        toast = [line.split("▌", 1)[1].rstrip(" │─╯") for line in screen_text(app).splitlines()
                 if "▌" in line]
        text = " ".join(" ".join(toast).split())
        assert "the source given with --source" in text and "source_file" not in text
