"""y copies the selected item as plain text, with its date, score and citations."""

from __future__ import annotations

from conftest import screen_text
from policyterm.cli import bundled_model_path
from policyterm.core.loading import load_model
from policyterm.core.plain_text import event_text, relationship_text
from policyterm.core.views import ModelView
from policyterm.tui.app import PolicyApp


def test_plain_text_of_a_relationship_and_an_event() -> None:
    view = ModelView(load_model(bundled_model_path()))
    relationship = view.primary_relationship("AFG")
    assert relationship is not None
    text = relationship_text(view, relationship)
    assert text.startswith("Pakistan ↔ Afghanistan: ▼ deteriorating — ")
    assert relationship.summary in text
    assert "2,867 deaths" in text and "¶6" in text
    citations = " ".join(f"¶{n}" for n in sorted(relationship.source))
    assert text.splitlines()[-1] == f"(The diplomatic front, {citations})"
    event = view.events["imf-package"]
    phrase = f" (“{event.date_text}”)" if event.date_text else ""
    assert event_text(view, event).splitlines()[0] == (
        f"{event.date.display()}{phrase}: {event.title} [AID +6] ¶1")


async def test_y_copies_the_relationship_or_the_timeline_event() -> None:
    app = PolicyApp(load_model(bundled_model_path()))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("j", "y")
        await pilot.pause()
        assert app.clipboard.startswith("Pakistan ↔ Afghanistan: ▼ deteriorating")
        assert "Copied Pakistan ↔ Afghanistan" in screen_text(app)
        await pilot.press("tab", "tab", "y")  # the timeline: its event
        cursor = app.timeline.cursor
        assert cursor is not None
        event = app.model.events[cursor]
        assert app.clipboard == event_text(app.view, event)
