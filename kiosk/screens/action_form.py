"""Collect the fields an action needs (opinion, reason, participants...) before it is recorded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk.domain.services import KioskContext
from kiosk.screens.base import ApplicantScreen

FIELD_LABELS = {
    "note": "说明",
    "opinion": "意见",
    "reason": "否决理由",
    "legal_basis": "法律依据",
    "facts": "基本情况",
    "participants": "参会人员（用顿号或逗号分隔）",
    "conclusion": "会商结论",
    "unit": "单位编号",
    "text": "答复内容",
    "reply": "答复内容",
    "date": "日期（YYYY-MM-DD，可不填表示今天）",
    "replied_on": "答复日期（YYYY-MM-DD，可不填表示今天）",
    "progress": "跟踪情况",
    "result": "最终结果（办理情况）",
    "units": "参与答复的单位编号（用逗号分隔）",
    "remarks": "备注",
}


class ActionFormScreen(ApplicantScreen[dict]):
    """Dismisses with {field: text} when every required field is filled."""

    TITLE_TEXT = "办理"

    DEFAULT_CSS = """
    ActionFormScreen {
        & Input { margin: 0 1; }
        & Label { padding: 0 1; }
        & #error { color: $error; padding: 0 1; height: auto; }
    }
    """

    def __init__(
        self, ctx: KioskContext, title: str, fields: list[str], optional: tuple[str, ...] = ()
    ) -> None:
        """A form for one action."""
        super().__init__(ctx)
        self.TITLE_TEXT = title
        self.fields = fields
        self.optional = set(optional)

    def compose(self) -> ComposeResult:
        """One input per field."""
        yield from self.compose_title()
        with VerticalScroll():
            for name in self.fields:
                yield Label(FIELD_LABELS.get(name, name))
                yield Input(id=f"f-{name}", max_length=500)
            yield Static("", id="error")
            yield Button("确认", id="ok", variant="primary")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start with the first field."""
        inputs = self.query(Input)
        (inputs.first() if inputs else self.query_one(Button)).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field."""
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Check and return the values."""
        event.stop()
        values = {name: self.query_one(f"#f-{name}", Input).value.strip() for name in self.fields}
        missing = [
            FIELD_LABELS.get(n, n) for n, v in values.items() if not v and n not in self.optional
        ]
        if missing:
            self.query_one("#error", Static).update(f"请填写：{'、'.join(missing)}")
            return
        self.dismiss({k: v for k, v in values.items() if v})
