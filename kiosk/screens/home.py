"""Home: the centre's name and the large numbered choices."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static

from kiosk.screens.base import ApplicantScreen
from kiosk.widgets.numbered_menu import Choice, NumberedMenu

CHOICES: list[Choice] = [
    ("do", "我要办事"),
    ("fallback", "办不成事反映"),
    ("progress", "查询进度"),
    ("staff", "工作人员登录", 9),
]


class HomeScreen(ApplicantScreen[None]):
    """Where every applicant session starts."""

    class Chosen(Message):
        """The applicant chose an action on the home screen."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    TITLE_TEXT = "首页"

    DEFAULT_CSS = """
    HomeScreen {
        align-horizontal: center;
        & #welcome { text-align: center; padding: 1 0; width: 100%; }
        & #menu-box { width: 60; max-width: 100%; height: auto; }
        & #hours { color: $text-muted; padding: 1 1 0 1; width: 100%; }
    }
    """

    def compose(self) -> ComposeResult:
        """Centre name, welcome, menu, hours."""
        centre = self.ctx.catalogue.centre
        yield from self.compose_title()
        yield Static(
            f"[b]{centre.name}[/b]\n您的每一件事都有去处：窗口不说“不能办”。", id="welcome"
        )
        with Vertical(id="menu-box"):
            yield NumberedMenu(CHOICES, id="menu")
            yield Static("按数字键选择，或用方向键加回车，也可直接点击。", classes="hint")
        yield Static(f"办公时间：{centre.hours}", id="hours")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Focus the menu so number keys work at once."""
        self.query_one(NumberedMenu).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Report the chosen action up to the app."""
        event.stop()
        self.post_message(self.Chosen(str(event.option.id)))

    def action_back(self) -> None:
        """Home has nowhere to go back to."""
