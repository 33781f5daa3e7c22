"""Going to a hit lands on what matched: its line highlighted, the query marked, in view."""

from __future__ import annotations

from conftest import screen_text
from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
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
