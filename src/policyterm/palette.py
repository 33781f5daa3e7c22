"""Command palette (ctrl+p): "Go to …" for every entity and event."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from policyterm.search import HitKind

if TYPE_CHECKING:
    from policyterm.app import PolicyApp


class GoToProvider(Provider):
    """Every entity and event as a "Go to" command, fuzzy-matched by Textual."""

    @property
    def policy_app(self) -> PolicyApp:
        from policyterm.app import PolicyApp

        assert isinstance(self.app, PolicyApp)
        return self.app

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.policy_app
        for entry in app.search_index.entries:
            if entry.kind not in (HitKind.COUNTERPART, HitKind.PERSON, HitKind.ENTITY,
                                  HitKind.EVENT):
                continue
            command = f"Go to {entry.label}"
            score = matcher.match(command)
            if score > 0:
                yield Hit(score, matcher.highlight(command), partial(app.go_to, entry),
                          text=command, help=entry.leads_to)

    async def discover(self) -> Hits:
        app = self.policy_app
        for entry in app.search_index.entries:
            if entry.kind is HitKind.COUNTERPART:
                command = f"Go to {entry.label}"
                yield DiscoveryHit(Content(command), partial(app.go_to, entry), text=command,
                                   help=entry.leads_to)
