"""One yes/no/unsure question: keys 1/2/3 or ←/→, or a click on the answer."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

ANSWERS: list[tuple[bool | None, str]] = [(True, "是"), (False, "否"), (None, "不确定")]
UNANSWERED = "unanswered"


class AnswerRow(Widget, can_focus=True):
    """A question with three answers; `answer` is True, False, None (不确定) or UNANSWERED."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer(0)", "是", show=False),
        Binding("2", "answer(1)", "否", show=False),
        Binding("3", "answer(2)", "不确定", show=False),
        Binding("left", "cycle(-1)", show=False),
        Binding("right,space", "cycle(1)", show=False),
    ]

    DEFAULT_CSS = """
    AnswerRow {
        height: auto;
        padding: 0 1;
        &:focus { background: $boost; text-style: bold; }
        &:ansi:focus { background: ansi_bright_black; }
    }
    """

    answer: reactive[object] = reactive(UNANSWERED)

    class Answered(Message):
        """The person answered this question."""

        def __init__(self, row: AnswerRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, number: int, condition_id: str, question: str) -> None:
        """A row for one acceptance condition."""
        super().__init__(id=f"q-{condition_id}")
        self.number = number
        self.condition_id = condition_id
        self.question = question

    def render(self) -> Text:
        """Question line, then the answers with the chosen one marked."""
        text = Text(f"{self.number}. {self.question}\n   ")
        for i, (value, label) in enumerate(ANSWERS, 1):
            chosen = self.answer is not UNANSWERED and self.answer == value
            mark = "●" if chosen else "○"
            text.append(f"{mark} {i} {label}    ", style="bold reverse" if chosen else "")
        return text

    def action_answer(self, index: int) -> None:
        """Set the answer by its index (0 是, 1 否, 2 不确定)."""
        self.answer = ANSWERS[index][0]
        self.post_message(self.Answered(self))

    def action_cycle(self, step: int) -> None:
        """Move the answer left or right."""
        values = [a for a, _ in ANSWERS]
        current = values.index(self.answer) if self.answer is not UNANSWERED else -1  # type: ignore[arg-type]
        self.answer = values[(current + step) % len(values)]
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        """A tap on an answer chooses it (answers start after three columns, 12 apart)."""
        if event.y >= 1:
            index = max(0, min(2, (event.x - 4) // 12))
            self.action_answer(index)
