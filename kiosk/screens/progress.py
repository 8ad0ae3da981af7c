"""查询进度: case number plus the phone's last four digits; never another person's data."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from kiosk.domain.explain import STATE_NAMES, due_text, headline
from kiosk.domain.masking import mask_name
from kiosk.domain.ports import StoreError
from kiosk.screens.base import ApplicantScreen


class ProgressScreen(ApplicantScreen[None]):
    """Look up one's own case."""

    TITLE_TEXT = "查询进度"

    DEFAULT_CSS = """
    ProgressScreen {
        & Input { margin: 0 1; width: 30; }
        & Label { padding: 0 1; }
        & #result { padding: 1 1; height: auto; }
        & Button { margin: 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        """Case number, last four digits, result."""
        yield from self.compose_title()
        yield Label("案件编号（回执上的编号，如 HJ-20261127-0007）")
        yield Input(id="number", max_length=24, restrict=r"[A-Za-z0-9\-]*")
        yield Label("登记电话的后四位")
        yield Input(id="last4", max_length=4, restrict=r"[0-9]*")
        yield Button("查询", id="go", variant="primary")
        yield Static("", id="result")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start with the number."""
        self.query_one("#number", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on, then looks up."""
        event.stop()
        if event.input.id == "number":
            self.query_one("#last4", Input).focus()
        else:
            self.look_up()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Look up."""
        event.stop()
        self.look_up()

    def look_up(self) -> None:
        """Show the case's state and due date if number and digits match."""
        number = self.query_one("#number", Input).value
        last4 = self.query_one("#last4", Input).value
        result = self.query_one("#result", Static)
        try:
            case = self.ctx.find_case(number, last4)
        except StoreError:
            result.update("系统暂时无法查询，请到综合咨询服务台查询。")
            return
        if case is None:
            result.update("没有查到：请核对案件编号和电话后四位。")
            return
        lines = [
            f"案件编号：{case.number}",
            f"登记人：{mask_name(case.applicant.get('name', ''))}",
            f"结果：{headline(case.decision)}",
            f"进度：{STATE_NAMES.get(str(case.state), str(case.state))}",
        ]
        if case.decision.get("reply_due"):
            lines.append(f"答复期限：{due_text(case.decision, self.ctx.calendar)}")
        result.update("\n".join(lines))
