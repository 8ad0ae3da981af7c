"""Ask for a name and phone number before registering a case, with a clear message on bad input."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from kiosk.domain.masking import valid_phone
from kiosk.screens.base import ApplicantScreen

PHONE_HELP = "请填写 11 位手机号，或带区号的固定电话（如 0915-3210000）"


class ContactScreen(ApplicantScreen[dict]):
    """Dismisses with {"name": ..., "phone": ...} once both are valid."""

    TITLE_TEXT = "登记联系方式"

    DEFAULT_CSS = """
    ContactScreen {
        & Input { margin: 0 1; width: 40; }
        & Label { padding: 0 1; }
        & #error { color: $error; padding: 0 1; height: auto; }
        & Button { margin: 1 1 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        """Name, phone, error line, button."""
        yield from self.compose_title()
        yield Static(
            "工作人员会按这个电话联系您、答复您。号码只用于本次答复，屏幕和回执上都会隐去中间几位。",
            classes="hint",
        )
        yield Label("姓名（可用拼音或称呼，如 zhang xiansheng）")
        yield Input(id="name", max_length=20)
        yield Label("联系电话")
        yield Input(id="phone", max_length=13, restrict=r"[0-9\-]*")
        yield Static("", id="error")
        yield Button("确认登记", id="ok", variant="primary")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start with the name."""
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name moves to the phone; in the phone submits."""
        event.stop()
        if event.input.id == "name":
            self.query_one("#phone", Input).focus()
        else:
            self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Submit."""
        event.stop()
        self._submit()

    def _submit(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        phone = self.query_one("#phone", Input).value.strip()
        error = self.query_one("#error", Static)
        if not name:
            error.update("请填写姓名或称呼")
            self.query_one("#name", Input).focus()
        elif not valid_phone(phone):
            error.update(f"电话号码“{phone}”不正确：{PHONE_HELP}")
            self.query_one("#phone", Input).focus()
        else:
            self.dismiss({"name": name, "phone": phone})
