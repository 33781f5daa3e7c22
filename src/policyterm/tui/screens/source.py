"""The cited paragraphs of the article's text: what an item rests on, read in place.

Opened from a citation (Detail's `Sources` line, an event's ¶, the `s` key) with the item's
date phrase marked where the paragraph says it, or from a search hit in the text with the
query's words marked. Below the text, everything that cites those paragraphs; enter goes
there. The source is anyone's text file: it goes in as Content, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from policyterm.core.folding import find_spans
from policyterm.core.search import Entry
from policyterm.core.source import Source, phrase_spans
from policyterm.tui.screens.choice import ChoiceScreen


def paragraph_content(number: int, source: Source, phrase: str | None,
                      terms: Sequence[str]) -> Content:
    """`¶N` and the paragraph, the phrase marked bold and reversed, search terms reversed."""
    text = source.paragraphs.get(number)
    label = Content.styled(f"¶{number}  ", "bold")
    if text is None:
        return label + Content.styled(f"{source.name} has no paragraph {number}",
                                      "italic dim")
    body = Content(text)
    for start, end in find_spans(text, list(terms)):
        body = body.stylize("reverse", start, end)
    for start, end in phrase_spans(text, phrase) if phrase else ():
        body = body.stylize("bold reverse", start, end)
    return label + body


class SourceScreen(ChoiceScreen[Entry]):
    """Paragraphs of the source; below them, what cites them (enter goes there)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("s", "dismiss", "Close")]

    def __init__(self, title: str, source: Source, numbers: Sequence[int],
                 cited_by: Sequence[Entry], *, phrase: str | None = None,
                 terms: Sequence[str] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.source = source
        self.numbers = sorted(set(numbers))
        self.choices = list(cited_by)
        self.phrase = phrase
        self.terms = list(terms)

    def compose(self) -> ComposeResult:
        with Vertical(id="source-dialog", classes="overview") as dialog:
            dialog.border_title = Content(self.title_text)
            dialog.border_subtitle = Content(f"{self.source.name} · enter goes · esc closes")
            with VerticalScroll(id="source-text"):
                for number in self.numbers:
                    yield Static(paragraph_content(number, self.source, self.phrase,
                                                   self.terms), classes="paragraph")
            options: list[Option] = []
            for kind, entries in groupby(enumerate(self.choices), lambda hit: hit[1].kind):
                group = list(entries)
                options.append(Option(Content.styled(f"Cited by · {kind.value} ({len(group)})",
                                                     "bold"), disabled=True))
                options += [Option(Content.assemble(entry.label,
                                                    (f"  {entry.leads_to}", "dim italic")),
                                   id=str(index)) for index, entry in group]
            if not self.choices:
                options.append(Option(Content.styled("Nothing in the model cites this.",
                                                     "italic dim"), disabled=True))
            yield OptionList(*options, id="source-cited")
        yield Footer()  # its own keys, not the explorer's

    def show_source(self, source: Source) -> None:
        """The source was read again (its file changed): the same paragraphs, as it now
        says them."""
        self.source = source
        for number, paragraph in zip(self.numbers, self.query(".paragraph").results(Static),
                                     strict=True):
            paragraph.update(paragraph_content(number, source, self.phrase, self.terms))
