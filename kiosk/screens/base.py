"""The frame shared by applicant screens: a title line, the phones footer, Esc to go back."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from kiosk.domain.services import KioskContext
from kiosk.widgets.phone_footer import PhoneFooter

ResultT = TypeVar("ResultT")


class ApplicantScreen(Screen[ResultT], Generic[ResultT]):
    """A screen an applicant sees: always shows where to call; Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回", show=True),
    ]

    DEFAULT_CSS = """
    ApplicantScreen {
        layout: vertical;
        & > .title {
            height: 1;
            width: 100%;
            background: $primary;
            color: $text;
            text-style: bold;
            padding: 0 1;
            &:ansi { background: ansi_blue; color: ansi_bright_white; }
        }
        & > .hint { height: auto; color: $text-muted; padding: 0 1; }
    }
    """

    TITLE_TEXT = ""

    def __init__(self, ctx: KioskContext) -> None:
        """Keep the services the screen needs."""
        super().__init__()
        self.ctx = ctx

    def compose_title(self) -> ComposeResult:
        """The title line."""
        yield Static(f"{self.ctx.catalogue.centre.name} · {self.TITLE_TEXT}", classes="title")

    def compose_footer(self) -> ComposeResult:
        """The phones footer."""
        yield PhoneFooter(self.ctx.catalogue.centre)

    def action_back(self) -> None:
        """Leave this screen without a result."""
        self.dismiss(None)
