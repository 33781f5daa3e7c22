"""Pictures of the screen at a fixed size (pytest-textual-snapshot).

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`,
then look at the SVGs in the report before committing them.
"""

from __future__ import annotations

from typing import Any

import pytest

from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.tui.app import PolicyApp

SIZE = (100, 30)


@pytest.fixture
def app() -> PolicyApp:
    return PolicyApp(load_model(bundled_model_path()))


def test_first_screen(snap_compare: Any, app: PolicyApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_detail_with_events(snap_compare: Any, app: PolicyApp) -> None:
    # Afghanistan: people, figures and dated events; the timeline cursor on its first event
    # in the period shown (2023), then one step on.
    assert snap_compare(app, press=["j", "tab", "tab", "right"], terminal_size=SIZE)


def test_search_with_results(snap_compare: Any, app: PolicyApp) -> None:
    assert snap_compare(app, press=["slash", *"cpec"], terminal_size=SIZE)


def test_help(snap_compare: Any, app: PolicyApp) -> None:
    assert snap_compare(app, press=["question_mark"], terminal_size=(100, 50))


TIMELINE_SIZE = (120, 40)


def test_timeline_default(snap_compare: Any, app: PolicyApp) -> None:
    # 2023 by months: the band of year-only dates, the strip, the TTP span; the cursor on the
    # first United States event.
    assert snap_compare(app, press=["tab", "tab"], terminal_size=TIMELINE_SIZE)


def test_timeline_zoomed_out(snap_compare: Any, app: PolicyApp) -> None:
    assert snap_compare(app, press=["tab", "tab", "minus", "minus"],
                        terminal_size=TIMELINE_SIZE)


def test_timeline_lanes(snap_compare: Any, app: PolicyApp) -> None:
    assert snap_compare(app, press=["tab", "tab", "v"], terminal_size=TIMELINE_SIZE)


def test_landing_on_a_figure_hit(snap_compare: Any, app: PolicyApp) -> None:
    # /65 billion, enter: China's Detail scrolled to the figure, highlighted, the words marked.
    assert snap_compare(app, press=["slash", *"65 billion", "enter"], terminal_size=(80, 24))


def test_theme_view(snap_compare: Any, app: PolicyApp) -> None:
    # A theme hit: every relationship, event and figure under "Terrorism and militancy".
    assert snap_compare(app, press=["slash", *"terrorism", "enter"], terminal_size=SIZE)
