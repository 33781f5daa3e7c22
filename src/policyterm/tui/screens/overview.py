"""Two overviews: the article itself (`i`), and everything under one theme (a theme hit).

Model text goes in as Content, never as markup."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from policyterm.core.overview import Item, article_lines, theme_items
from policyterm.core.views import ModelView
from policyterm.tui.screens.choice import HIT_STEPS, ChoiceScreen


class ArticleScreen(ModalScreen[None]):
    """The article: title, standfirst, author, dates, focus, and what the model holds."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i", "dismiss", "Close"),
        *HIT_STEPS,
    ]

    def __init__(self, view: ModelView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        # Two columns, so a long value wraps under itself, not under the labels.
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for label, value in article_lines(self.view):
            table.add_row(Text(label), Text(value))  # Text: model text is never markup
        with Vertical(id="article-dialog", classes="overview") as dialog:
            dialog.border_title = "The article"
            dialog.border_subtitle = "esc closes"
            yield Static(table, id="article-text")
        yield Footer()  # its own keys, not the explorer's


def _prompt(item: Item) -> Table:
    """An item's line; its first column (see Item.indent) apart, so the rest wraps under
    itself. Text: model text is never markup."""
    line = Table.grid()
    line.add_column(no_wrap=True)
    line.add_column()
    line.add_row(Text(item.text[:item.indent]), Text(item.text[item.indent:]))
    return line


class ThemeScreen(ChoiceScreen[Item]):
    """Every relationship, event and figure under one theme; enter goes to one."""

    def __init__(self, view: ModelView, theme_id: str) -> None:
        super().__init__()
        self.view = view
        self.theme_id = theme_id

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for title, items in theme_items(self.view, self.theme_id):
            options.append(Option(Content.styled(f"{title} ({len(items)})", "bold"),
                                  disabled=True))
            for item in items:
                options.append(Option(_prompt(item), id=str(len(self.choices))))
                self.choices.append(item)
        with Vertical(id="theme-dialog", classes="overview") as dialog:
            dialog.border_title = Content(f"Theme: {self.view.themes[self.theme_id].name}")
            dialog.border_subtitle = "enter goes · esc closes"
            yield OptionList(*options, id="theme-items")
        yield Footer()
