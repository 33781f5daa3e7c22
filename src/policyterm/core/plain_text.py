"""Items of a model as plain text a reader can paste elsewhere (the `y` key): what it is,
when, how cooperative, and the paragraphs it rests on. Pure Python: no textual, no rich."""

from __future__ import annotations

from policyterm.core.display import TREND_GLYPHS, format_figure, format_score, format_sources
from policyterm.core.model import Event, Relationship
from policyterm.core.views import ModelView


def cited(view: ModelView, paragraphs: tuple[int, ...]) -> str:
    title = view.model.article.title
    return f"({title}, {format_sources(paragraphs)})"


def relationship_text(view: ModelView, relationship: Relationship) -> str:
    first, second = view.pair_names(relationship)
    trend = relationship.trend
    lines = [f"{first} ↔ {second}: {TREND_GLYPHS[trend]} {trend.value} — {relationship.headline}",
             relationship.summary]
    for figure in view.figures_of(relationship.id):
        lines.append(f"- {format_figure(figure)}: {figure.label} "
                     f"{cited(view, figure.source)}")
    for event in view.events_of(relationship.id):
        lines.append(f"- {event_line(event)}")
    lines.append(cited(view, relationship.source))
    return "\n".join(lines)


def event_line(event: Event) -> str:
    phrase = f" (“{event.date_text}”)" if event.date_text else ""
    return (f"{event.date.display()}{phrase}: {event.title} "
            f"[{event.type.value} {format_score(event.score)}] {format_sources(event.source)}")


def event_text(view: ModelView, event: Event) -> str:
    lines = [event_line(event)]
    if event.summary:
        lines.append(event.summary)
    lines.append(cited(view, event.source))
    return "\n".join(lines)
