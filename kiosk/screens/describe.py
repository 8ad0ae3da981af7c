"""Describe a need that no matter fits: pick a kind of need, optionally add a few words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static

from kiosk.domain.services import KioskContext
from kiosk.screens.base import ApplicantScreen
from kiosk.widgets.numbered_menu import NumberedMenu

NEEDS = [
    ("找不到办理的部门", "不知道该找哪个部门"),
    ("几个部门说法不一", "几个部门说法不一样"),
    ("被告知不能办", "窗口说不能办，想问为什么"),
    ("政策规定不清楚", "政策没有规定或规定不清楚"),
    ("其他诉求", "其他情况"),
]


class DescribeScreen(ApplicantScreen[dict]):
    """Dismisses with {"description": str, "unclear": bool}."""

    TITLE_TEXT = "说说您要办的事"

    DEFAULT_CSS = """
    DescribeScreen {
        & Input { margin: 0 1; }
        & NumberedMenu { margin: 0 1; }
    }
    """

    def __init__(self, ctx: KioskContext, fallback: bool = False) -> None:
        """`fallback` is True for 办不成事反映."""
        super().__init__(ctx)
        self.fallback = fallback
        if fallback:
            self.TITLE_TEXT = "办不成事反映"

    def compose(self) -> ComposeResult:
        """Optional words, then the kinds of need."""
        yield from self.compose_title()
        yield Static(
            "可以先用几个字或拼音说明（也可不填），再按数字选择最接近的情况。"
            "我们会登记下来，由专人在规定时间内答复您。",
            classes="hint",
        )
        yield Input(placeholder="简单说明（可不填）", id="words", max_length=60)
        yield NumberedMenu([(key, label) for key, label in NEEDS], id="needs")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Start at the menu: most people cannot type Chinese here."""
        self.query_one(NumberedMenu).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the words box moves to the choices."""
        event.stop()
        self.query_one(NumberedMenu).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Finish with the chosen kind and the words."""
        event.stop()
        words = self.query_one(Input).value.strip()
        kind = str(event.option.id)
        self.dismiss(
            {
                "description": f"{kind}：{words}" if words else kind,
                "unclear": kind == "政策规定不清楚",
            }
        )
