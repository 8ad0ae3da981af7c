"""A menu of numbered choices: number keys, arrows + Enter, or a click/tap all choose."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# (id, label) numbered by position, or (id, label, number) with a fixed number key.
Choice = tuple[str, str] | tuple[str, str, int]


class NumberedMenu(OptionList):
    """An OptionList whose options carry numbers 1-9, chosen by their number key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)
    ]

    DEFAULT_CSS = """
    NumberedMenu {
        height: auto;
        max-height: 100%;
        border: round $primary;
        padding: 0 1;
    }
    """

    def __init__(self, choices: Sequence[Choice], **kwargs: object) -> None:
        """Build the menu from choices."""
        self._number_index: dict[int, int] = {}
        super().__init__(*self._build_options(choices), **kwargs)  # type: ignore[arg-type]

    def _build_options(self, choices: Sequence[Choice]) -> list[Option]:
        self._number_index = {}
        options = []
        for index, choice in enumerate(choices):
            number = choice[2] if len(choice) == 3 else index + 1
            if 1 <= number <= 9:
                self._number_index[number] = index
                label = f"{number}  {choice[1]}"
            else:
                label = f"   {choice[1]}"
            options.append(Option(label, id=choice[0]))
        return options

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Replace every option."""
        self.clear_options()
        self.add_options(self._build_options(choices))

    def action_choose(self, number: int) -> None:
        """Choose the option with this number, as Enter would."""
        index = self._number_index.get(number)
        if index is not None:
            self.highlighted = index
            self.action_select()
