"""Staff sign-in with staff id and PIN; the way from applicant mode into the staff desk."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from kiosk.screens.base import ApplicantScreen


class SignInScreen(ApplicantScreen[Any]):
    """Dismisses with the signed-in session, or None."""

    TITLE_TEXT = "工作人员登录"

    DEFAULT_CSS = """
    SignInScreen {
        & Input { margin: 0 1; width: 30; }
        & Label { padding: 0 1; }
        & #error { color: $error; padding: 0 1; height: auto; }
        & Button { margin: 1 1 0 1; }
    }
    """

    def compose(self) -> ComposeResult:
        """Staff id, PIN, error line."""
        yield from self.compose_title()
        yield Static("仅限中心工作人员。Esc 返回群众首页。", classes="hint")
        yield Label("工号")
        yield Input(id="staff", max_length=20, restrict=r"[A-Za-z0-9_\-]*")
        yield Label("密码（PIN）")
        yield Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*")
        yield Static("", id="error")
        yield Button("登录", id="ok", variant="primary")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start with the staff id."""
        self.query_one("#staff", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the id moves to the PIN; in the PIN signs in."""
        event.stop()
        if event.input.id == "staff":
            self.query_one("#pin", Input).focus()
        else:
            self.sign_in()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Sign in."""
        event.stop()
        self.sign_in()

    def sign_in(self) -> None:
        """Check the PIN through the domain's auth service (lockout lives there)."""
        auth = self.ctx.auth
        pin = self.query_one("#pin", Input)
        if auth is None:
            self.query_one("#error", Static).update("本终端未启用工作人员登录")
            return
        from kiosk.domain.staff import SignInError

        try:
            session = auth.sign_in(self.query_one("#staff", Input).value.strip(), pin.value)
        except SignInError as error:
            pin.value = ""
            self.query_one("#error", Static).update(str(error))
            pin.focus()
            return
        self.dismiss(session)
