"""The matter's acceptance conditions as yes/no questions on one screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Static

from kiosk.domain.catalogue import Matter
from kiosk.domain.services import KioskContext
from kiosk.screens.base import ApplicantScreen
from kiosk.widgets.answer_row import UNANSWERED, AnswerRow


class QuestionsScreen(ApplicantScreen[dict]):
    """Dismisses with {condition id: True/False/None}; unanswered ones are left out."""

    TITLE_TEXT = "我要办事 · 受理条件"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "focus_previous", show=False),
        Binding("down", "focus_next", show=False),
        Binding("enter", "next_or_done", "下一题/完成", show=True),
    ]

    DEFAULT_CSS = """
    QuestionsScreen {
        & #matter { padding: 0 1; text-style: bold; }
        & VerticalScroll { height: 1fr; }
        & Button { margin: 0 1; }
    }
    """

    def __init__(self, ctx: KioskContext, matter: Matter) -> None:
        """Ask the conditions of one matter."""
        super().__init__(ctx)
        self.matter = matter

    def compose(self) -> ComposeResult:
        """Matter name, the questions, the done button."""
        yield from self.compose_title()
        yield Static(f"{self.matter.name}：请回答以下问题", id="matter")
        yield Static(
            "1 是　2 否　3 不确定（不确定的我们会告诉您怎么核实）　↑↓ 换题", classes="hint"
        )
        with VerticalScroll():
            for i, condition in enumerate(self.matter.conditions, 1):
                yield AnswerRow(i, condition.id, condition.question)
            yield Button("完成，查看办理结果", id="done", variant="primary")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start with the first question."""
        rows = self.query(AnswerRow)
        (rows.first() if rows else self.query_one(Button)).focus()

    def answers(self) -> dict[str, bool | None]:
        """The answers given so far."""
        return {
            row.condition_id: row.answer  # type: ignore[misc]
            for row in self.query(AnswerRow)
            if row.answer is not UNANSWERED
        }

    def on_answer_row_answered(self, event: AnswerRow.Answered) -> None:
        """After an answer, move on to the next question."""
        self.focus_next()

    def action_next_or_done(self) -> None:
        """Enter: next question, or finish on the button."""
        if isinstance(self.focused, Button):
            self.dismiss(self.answers())
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Finish."""
        event.stop()
        self.dismiss(self.answers())
