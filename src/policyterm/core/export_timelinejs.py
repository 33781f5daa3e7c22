"""A model as TimelineJS (Knight Lab) JSON, for `policyterm export --format timelinejs`: the
article as the title slide, one slide per event. Pure Python: no textual, no rich.

Field names follow TimelineJS's "JSON format" (timeline.knightlab.com/docs/json-format.html).
A date object carries `year`, `month` and `day` as strings, only as far as the model knows
them: TimelineJS would otherwise draw "2023" as 1 Jan 2023. The date as the article phrases
it goes in the slide's `display_date`. TimelineJS shows `text`, `display_date` and `group` as
HTML, so model text is HTML-escaped there and can add no tag or link.
"""

from __future__ import annotations

import html
from typing import Any

from policyterm.core.dates import DatePoint
from policyterm.core.display import format_score, format_sources
from policyterm.core.model import Event
from policyterm.core.views import ModelView


def date_object(point: DatePoint) -> dict[str, str]:
    """A TimelineJS date to the point's precision; its qualifier is told by display_date."""
    date = {"year": str(point.year)}
    if point.month is not None:
        date["month"] = str(point.month)
    if point.day is not None:
        date["day"] = str(point.day)
    return date


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _slide(view: ModelView, event: Event) -> dict[str, Any]:
    display = event.date.display()
    body = [_paragraph(event.summary)] if event.summary else []
    body.append(_paragraph(f"{event.type.value} {format_score(event.score)} · "
                           f"{format_sources(event.source)}"))
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": date_object(event.date.start),
    }
    if event.date.end is not None:
        slide["end_date"] = date_object(event.date.end)
    when = f"{event.date_text} ({display})" if event.date_text else display
    slide["display_date"] = html.escape(when)
    slide["text"] = {"headline": html.escape(event.title), "text": "".join(body)}
    counterpart = view.counterpart_of_event(event)
    if counterpart is not None:
        slide["group"] = html.escape(view.entities[counterpart].name)
    return slide


def _title_slide(view: ModelView) -> dict[str, Any]:
    article = view.model.article
    byline = ", ".join(filter(None, [article.author, article.published.isoformat()]))
    body = [_paragraph(article.standfirst)] if article.standfirst else []
    body.append(_paragraph(byline))
    return {"text": {"headline": html.escape(article.title), "text": "".join(body)}}


def to_timelinejs(view: ModelView) -> dict[str, Any]:
    """The timeline: events in the model's (date) order."""
    return {
        "title": _title_slide(view),
        "events": [_slide(view, event) for event in view.model.events],
    }
