"""A model's tables as CSV, for `policyterm export --format csv`: events (one row each),
figures, entities or relationships. Pure Python: no textual, no rich.

RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
break. Lists are joined with ";"; a ";" or backslash inside an item (an alias or a context
word is free text) gets a backslash before it, so that the items split back. A spreadsheet
runs a cell that starts with "=", "+", "-" or "@" (or a tab or carriage return) as a
formula, so model text starting so is written with a "'" before it; so is text that already
starts with "'", which makes the rule reversible: drop one leading "'" from a text cell to
get the model's text back. Numbers (a negative score) are not text and are written as they
are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from policyterm.core.display import format_figure
from policyterm.core.model import Entity, Event, Figure, Model, Relationship

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_LIST_SPECIAL = re.compile(r"[;\\]")

TABLES = ("events", "figures", "entities", "relationships")


def guarded(text: str) -> str:
    """Text a spreadsheet will show, never run."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # the shortest text that reads back as the same number
    if isinstance(value, (tuple, list)):
        return guarded(";".join(_LIST_SPECIAL.sub(r"\\\g<0>", str(item)) for item in value))
    return guarded(str(value))


def _event_row(event: Event) -> Sequence[Any]:
    return (event.id, event.date.text, event.date_text, event.date.lower.isoformat(),
            event.date.upper.isoformat(), event.title, event.summary, event.actors,
            event.recipients, event.type.value, event.mode, event.context, event.score,
            event.relationships, event.source)


def _figure_row(figure: Figure) -> Sequence[Any]:
    return (figure.id, figure.value, figure.unit, figure.approximate, format_figure(figure),
            figure.label, figure.relationships, figure.events, figure.source)


def _entity_row(entity: Entity) -> Sequence[Any]:
    return (entity.id, entity.kind.value, entity.name, entity.aliases, entity.role,
            entity.member_of, entity.members, entity.wikidata, entity.source)


def _relationship_row(relationship: Relationship) -> Sequence[Any]:
    return (relationship.id, relationship.pair[0], relationship.pair[1],
            relationship.trend.value, relationship.headline, relationship.summary,
            relationship.themes, relationship.source)


COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("id", "date", "date_text", "earliest", "latest", "title", "summary", "actors",
               "recipients", "type", "mode", "context", "score", "relationships", "source"),
    "figures": ("id", "value", "unit", "approximate", "as_read", "label", "relationships",
                "events", "source"),
    "entities": ("id", "kind", "name", "aliases", "role", "member_of", "members", "wikidata",
                 "source"),
    "relationships": ("id", "side_1", "side_2", "trend", "headline", "summary", "themes",
                      "source"),
}


_ROWS: dict[str, Callable[[Model], Iterable[Sequence[Any]]]] = {
    "events": lambda model: map(_event_row, model.events),
    "figures": lambda model: map(_figure_row, model.figures),
    "entities": lambda model: map(_entity_row, model.entities),
    "relationships": lambda model: map(_relationship_row, model.relationships),
}


def to_csv(model: Model, table: str = "events") -> str:
    """One table of the model as CSV text, header first, in the model's order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS[table])
    for row in _ROWS[table](model):
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()
