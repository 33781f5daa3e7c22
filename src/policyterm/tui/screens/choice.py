"""A dialog of items to choose from: enter goes to one, escape closes."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList

Choice = TypeVar("Choice")

# n and N go on through the last search's hits from a dialog one of them opened (a theme, the
# article, its text): the app's own n and N do not reach past a modal screen.
HIT_STEPS: list[BindingType] = [
    Binding("n", "app.step_hit(1)", "Next hit", show=False),
    Binding("N", "app.step_hit(-1)", "Previous hit", show=False),
]


class ChoiceScreen(ModalScreen[Choice | None], Generic[Choice]):
    """Its OptionList's options have ids "0", "1", ...: indexes into `choices`. It opens on
    the first; enter dismisses the dialog with the chosen one, escape with None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close"),
        Binding("j", "cursor('down')", "Next", show=False),
        Binding("k", "cursor('up')", "Previous", show=False),
        *HIT_STEPS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[Choice] = []

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        choices.focus()
        choices.action_first()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        if message.option.id is not None:
            self.dismiss(self.choices[int(message.option.id)])

    def action_cursor(self, direction: str) -> None:
        getattr(self.query_one(OptionList), f"action_cursor_{direction}")()
