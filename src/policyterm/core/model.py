"""The article model: frozen, typed records built by the loader from a format-v1 file.

Named tuples: immutable, and made again at every start from the cache, where a tuple is built
by tuple.__new__ itself and a frozen dataclass by a Python-level call per record (a large
model holds tens of thousands). Pure Python: no textual, no rich. Widgets read these records;
they never see TOML.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import NamedTuple

from policyterm.core.dates import EdtfDate


class EntityKind(str, Enum):
    COUNTRY = "country"
    BLOC = "bloc"
    ORGANISATION = "organisation"
    ARMED_GROUP = "armed-group"
    INITIATIVE = "initiative"
    PERSON = "person"


class Trend(str, Enum):
    IMPROVING = "improving"
    DETERIORATING = "deteriorating"
    STALLED = "stalled"
    STABLE = "stable"
    MIXED = "mixed"


class EventType(str, Enum):
    """PLOVER event types."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    SANCTION = "SANCTION"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class Article(NamedTuple):
    title: str
    published: dt.date
    covers: EdtfDate
    focus: str
    paragraphs: int
    standfirst: str | None = None
    author: str | None = None
    source_file: str | None = None  # relative to the model file


class Entity(NamedTuple):
    id: str
    kind: EntityKind
    name: str
    source: tuple[int, ...]
    aliases: tuple[str, ...] = ()
    role: str | None = None
    member_of: str | None = None
    members: tuple[str, ...] = ()
    wikidata: str | None = None


class Theme(NamedTuple):
    id: str
    name: str
    source: tuple[int, ...]


class Relationship(NamedTuple):
    id: str
    pair: tuple[str, str]
    trend: Trend
    headline: str
    summary: str
    source: tuple[int, ...]
    themes: tuple[str, ...] = ()

    def other_side(self, entity_id: str) -> str:
        """The side that is not `entity_id` (the first side if `entity_id` is in neither)."""
        return self.pair[1] if self.pair[0] == entity_id else self.pair[0]


class Event(NamedTuple):
    id: str
    date: EdtfDate
    title: str
    actors: tuple[str, ...]
    type: EventType
    score: float
    relationships: tuple[str, ...]
    source: tuple[int, ...]
    date_text: str | None = None
    summary: str | None = None
    recipients: tuple[str, ...] = ()
    mode: str | None = None
    context: tuple[str, ...] = ()


class Figure(NamedTuple):
    id: str
    value: float
    unit: str
    label: str
    source: tuple[int, ...]
    approximate: bool = False
    relationships: tuple[str, ...] = ()
    events: tuple[str, ...] = ()


class Model(NamedTuple):
    """A whole article. `events` are in format order: interval start, end, then id."""

    article: Article
    entities: tuple[Entity, ...]
    themes: tuple[Theme, ...]
    relationships: tuple[Relationship, ...]
    events: tuple[Event, ...]
    figures: tuple[Figure, ...]
