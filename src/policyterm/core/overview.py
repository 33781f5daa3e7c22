"""What the overview screens list: the article itself, and everything under one theme.
Pure Python: no textual, no rich."""

from __future__ import annotations

from dataclasses import dataclass

from policyterm.core.display import (
    TREND_GLYPHS,
    format_figure,
    format_score,
    format_sources,
    score_glyph,
)
from policyterm.core.model import Model
from policyterm.core.views import ModelView


@dataclass(frozen=True)
class Item:
    """One line of a list: its text, and where going to it leads (a counterpart to select
    and the id of the item to land on in Detail; an event's id also moves the timeline)."""

    text: str
    counterpart: str | None
    item_id: str
    # The text's first `indent` characters (a date and score, a trend glyph) form a column
    # of their own: a long line wraps under the rest, not under them.
    indent: int
    is_event: bool = False


def counterpart_summary(view: ModelView, entity_id: str) -> str:
    """What a counterpart is and how its relationship with the focus went: "country ·
    ▼ deteriorating with Pakistan"; or whom its relationships are with."""
    entity = view.entities[entity_id]
    kind = entity.kind.value.replace("-", " ")
    relationship = view.primary_relationship(entity_id)
    if relationship is None:
        return kind
    if view.focus_id in relationship.pair:
        trend = relationship.trend
        return f"{kind} · {TREND_GLYPHS[trend]} {trend.value} with {view.focus.name}"
    others = ", ".join(view.entities[r.other_side(entity_id)].name
                       for r in view.relationships_of(entity_id))
    return f"{kind} · no relationship with {view.focus.name}; with {others}"


def contents_summary(model: Model) -> str:
    """What a model holds: "6 entities, 3 relationships, 1 event, 2 figures, 1 theme"."""
    def count(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    return ", ".join([
        count(len(model.entities), "entity", "entities"),
        count(len(model.relationships), "relationship", "relationships"),
        count(len(model.events), "event", "events"),
        count(len(model.figures), "figure", "figures"),
        count(len(model.themes), "theme", "themes"),
    ])


def article_lines(view: ModelView) -> list[tuple[str, str]]:
    """(label, value) pairs describing the article and the model of it."""
    article = view.model.article
    lines = [("Title", article.title)]
    if article.standfirst:
        lines.append(("Standfirst", article.standfirst))
    if article.author:
        lines.append(("Author", article.author))
    lines += [
        ("Published", f"{article.published.day} {article.published:%B %Y}"),
        ("Covers", article.covers.display()),
        ("Focus", view.focus.name),
        ("Paragraphs", str(article.paragraphs)),
        ("Modelled", contents_summary(view.model)),
    ]
    return lines


def theme_items(view: ModelView, theme_id: str) -> list[tuple[str, list[Item]]]:
    """Every relationship with the theme, then the events and figures that belong to them,
    each group in the model's order (events by date)."""
    relationships = [r for r in view.model.relationships if theme_id in r.themes]
    chosen = {r.id for r in relationships}
    groups: list[tuple[str, list[Item]]] = []
    items = []
    for relationship in relationships:
        first, second = view.pair_names(relationship)
        glyph = f"{TREND_GLYPHS[relationship.trend]} "
        items.append(Item(f"{glyph}{first} ↔ {second} — {relationship.headline}",
                          view.counterpart_of_relationship(relationship), relationship.id,
                          indent=len(glyph)))
    groups.append(("Relationships", items))
    items = []
    events = [event for event in view.model.events if chosen.intersection(event.relationships)]
    # Dates in a column, as in Detail; the citations joined by no-break spaces, so a long
    # line wraps before them rather than between "¶5" and "¶6".
    date_width = max((len(event.date.display()) for event in events), default=0)
    for event in events:
        citations = format_sources(event.source).replace(" ", "\u00a0")
        lead = (f"{event.date.display():<{date_width}}  {score_glyph(event.score)} "
                f"{format_score(event.score):>3}  ")
        items.append(Item(f"{lead}{event.title}  {citations}", view.counterpart_of_event(event),
                          event.id, is_event=True, indent=len(lead)))
    groups.append(("Events", items))
    items = []
    listed = {figure.id for r in relationships for figure in view.figures_of(r.id)}
    for figure in view.model.figures:
        if figure.id in listed:
            printed = f"{format_figure(figure)}  "
            items.append(Item(f"{printed}{figure.label}", view.counterpart_of_figure(figure),
                              figure.id, indent=len(printed)))
    groups.append(("Figures", items))
    return [(title, found) for title, found in groups if found]
