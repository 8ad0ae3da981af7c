"""A search box for pinyin: digits choose a numbered result instead of being typed."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchInput(Input):
    """Input whose digit keys pick result N (pinyin never contains digits)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_results", "结果", show=False),
    ]

    class NumberPressed(Message):
        """A digit was pressed in the search box."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    class LeaveDown(Message):
        """The person pressed down: move to the results."""

    async def _on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            event.prevent_default()
            self.post_message(self.NumberPressed(int(event.character)))
            return
        await super()._on_key(event)

    def action_to_results(self) -> None:
        """Ask the screen to focus the results."""
        self.post_message(self.LeaveDown())
