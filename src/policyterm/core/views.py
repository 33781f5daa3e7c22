"""Indexed, read-only views of a model: what the app asks of it, answered without scanning.

Pure Python: no textual, no rich. Built once per model; every lookup after that is a dict hit
(an entity's or relationship's events, and its people, are worked out the first time asked).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from policyterm.core.model import Entity, EntityKind, Event, Figure, Model, Relationship, Theme

# Counterparts are listed by kind in this order (countries first), each kind under its heading.
KIND_HEADINGS: dict[EntityKind, str] = {
    EntityKind.COUNTRY: "Countries",
    EntityKind.BLOC: "Blocs",
    EntityKind.ORGANISATION: "Organisations",
    EntityKind.ARMED_GROUP: "Armed groups",
    EntityKind.INITIATIVE: "Initiatives",
    EntityKind.PERSON: "People",
}


class ModelView:
    """Lookups over one model. Treat as immutable once built (the cache stores views)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.focus_id = model.article.focus
        self.entities: dict[str, Entity] = {e.id: e for e in model.entities}
        self.themes: dict[str, Theme] = {t.id: t for t in model.themes}
        self.relationships: dict[str, Relationship] = {r.id: r for r in model.relationships}
        events = model.events
        event_ids = [e.id for e in events]
        self.events: dict[str, Event] = dict(zip(event_ids, events, strict=True))
        self.figures: dict[str, Figure] = {f.id: f for f in model.figures}
        self.event_index: dict[str, int] = dict(zip(event_ids, range(len(events)), strict=True))

        self._relationships_of: dict[str, list[Relationship]] = defaultdict(list)
        for relationship in model.relationships:
            for side in relationship.pair:
                self._relationships_of[side].append(relationship)
        # The relationship with the focus comes first: it is the one the reader came for.
        for relationships in self._relationships_of.values():
            relationships.sort(key=lambda r: self.focus_id not in r.pair)

        # One pass over the events (already in date order): the indices of each relationship's
        # events, and of the events each entity acts in or is addressed by.
        of_relationship: dict[str, list[int]] = defaultdict(list)
        self._taking_part: dict[str, list[int]] = defaultdict(list)
        for index, event in enumerate(events):
            for relationship_id in event.relationships:
                of_relationship[relationship_id].append(index)
            for entity_id in (*event.actors, *event.recipients):
                self._taking_part[entity_id].append(index)
        self._of_relationship = of_relationship
        # Filled as asked (see events_of, event_indices_of): the first screen needs them for
        # one counterpart, and a large model has hundreds.
        self._events_of_relationship: dict[str, list[Event]] = {}
        self._event_indices_of: dict[str, tuple[int, ...]] = {}

        self._figures_of_relationship: dict[str, list[Figure]] = defaultdict(list)
        for figure in model.figures:
            owners = dict.fromkeys(figure.relationships)
            for event_id in figure.events:
                owners.update(dict.fromkeys(self.events[event_id].relationships))
            for relationship_id in owners:
                self._figures_of_relationship[relationship_id].append(figure)

        self._people_of: dict[str, list[Entity]] = {}  # filled as asked: see people_of
        self.counterparts: tuple[Entity, ...] = self._ordered_counterparts()
        self.counterpart_index = {e.id: i for i, e in enumerate(self.counterparts)}

    # -- counterparts -------------------------------------------------------------------------

    def _ordered_counterparts(self) -> tuple[Entity, ...]:
        sides = {side for r in self.model.relationships for side in r.pair}
        sides.discard(self.focus_id)
        rank = {kind: i for i, kind in enumerate(KIND_HEADINGS)}
        # File order within a kind: the author's order is the article's order of importance.
        listed = [e for e in self.model.entities if e.id in sides]
        return tuple(sorted(listed, key=lambda e: rank[e.kind]))

    @property
    def focus(self) -> Entity:
        return self.entities[self.focus_id]

    def relationships_of(self, entity_id: str) -> list[Relationship]:
        """Every relationship the entity is a side of, the one with the focus first."""
        return self._relationships_of.get(entity_id, [])

    def primary_relationship(self, entity_id: str) -> Relationship | None:
        relationships = self.relationships_of(entity_id)
        return relationships[0] if relationships else None

    def counterpart_of_relationship(self, relationship: Relationship) -> str:
        """The side a reader would select to see it: the non-focus side, else the second."""
        if self.focus_id in relationship.pair:
            return relationship.other_side(self.focus_id)
        return relationship.pair[1]

    def lists_event(self, entity_id: str, event: Event) -> bool:
        """Whether the entity's Detail lists the event: it belongs to one of the entity's
        relationships (taking part in it as an actor alone is not enough)."""
        return any(relationship.id in event.relationships
                   for relationship in self.relationships_of(entity_id))

    def counterpart_of_event(self, event: Event) -> str | None:
        """Where an event leads: the counterpart of its first relationship."""
        for relationship_id in event.relationships:
            return self.counterpart_of_relationship(self.relationships[relationship_id])
        return None

    def counterpart_of_figure(self, figure: Figure) -> str | None:
        for relationship_id in figure.relationships:
            return self.counterpart_of_relationship(self.relationships[relationship_id])
        for event_id in figure.events:
            return self.counterpart_of_event(self.events[event_id])
        return None

    def counterpart_of_entity(self, entity_id: str) -> str | None:
        """The counterpart an entity is most tied to: itself if listed, else through its
        relationships, then the events it takes part in, then what it is a member of; for a
        bloc tied to none of these, its first listed member."""
        found = self._counterpart_by_ties(entity_id)
        entity = self.entities.get(entity_id)
        if found is None and entity is not None:
            found = next((member for member in entity.members
                          if member in self.counterpart_index), None)
        return found

    def _counterpart_by_ties(self, entity_id: str) -> str | None:
        if entity_id in self.counterpart_index:
            return entity_id
        for relationship in self.relationships_of(entity_id):
            return self.counterpart_of_relationship(relationship)
        tally: Counter[str] = Counter()
        events = self.model.events
        for index in dict.fromkeys(self._taking_part.get(entity_id, ())):
            counterpart = self.counterpart_of_event(events[index])
            if counterpart is not None:
                tally[counterpart] += 1
        if tally:
            # most_common keeps first-seen order among ties, so the earliest event breaks them
            return tally.most_common(1)[0][0]
        entity = self.entities.get(entity_id)
        parent = entity.member_of if entity is not None else None
        if parent is not None and parent != entity_id and parent != self.focus_id:
            # Through the parent's own ties only: its members would be this one's siblings.
            return self._counterpart_by_ties(parent)
        return None

    def counterpart_of_theme(self, theme_id: str) -> str | None:
        tally = Counter(self.counterpart_of_relationship(r) for r in self.model.relationships
                        if theme_id in r.themes)
        return tally.most_common(1)[0][0] if tally else None

    # -- what belongs to a relationship -------------------------------------------------------

    def events_of(self, relationship_id: str) -> list[Event]:
        found = self._events_of_relationship.get(relationship_id)
        if found is None:
            events = self.model.events
            found = [events[index] for index in self._of_relationship.get(relationship_id, ())]
            self._events_of_relationship[relationship_id] = found
        return found

    def figures_of(self, relationship_id: str) -> list[Figure]:
        return self._figures_of_relationship.get(relationship_id, [])

    def themes_of(self, relationship: Relationship) -> list[Theme]:
        return [self.themes[t] for t in relationship.themes]

    def people_of(self, relationship: Relationship) -> list[Entity]:
        """People who act in, or are addressed by, the relationship's events, first seen first.

        Worked out once per relationship: it walks every event of it, and Detail asks at
        every selection."""
        people = self._people_of.get(relationship.id)
        if people is None:
            seen: dict[str, Entity] = {}
            for event in self.events_of(relationship.id):
                for entity_id in (*event.actors, *event.recipients):
                    entity = self.entities[entity_id]
                    if entity.kind is EntityKind.PERSON:
                        seen.setdefault(entity_id, entity)
            people = self._people_of[relationship.id] = list(seen.values())
        return people

    def pair_names(self, relationship: Relationship) -> tuple[str, str]:
        first, second = relationship.pair
        return self.entities[first].name, self.entities[second].name

    # -- the timeline -------------------------------------------------------------------------

    def event_indices_of(self, entity_id: str) -> tuple[int, ...]:
        """Indices into model.events of the events an entity's Detail lists: those of its
        relationships, in date order, each once. (Not every event it acts in or is addressed
        by: the timeline's emphasis, "selected only" and lanes agree with Detail.)"""
        found = self._event_indices_of.get(entity_id)
        if found is None:
            parts = [self._of_relationship.get(r.id, ()) for r in self.relationships_of(entity_id)]
            parts = [part for part in parts if part]
            if len(parts) == 1:
                found = tuple(dict.fromkeys(parts[0]))  # in order, each once
            else:
                found = tuple(sorted(set().union(*parts)))
            self._event_indices_of[entity_id] = found
        return found
