"""KioskApp: the Textual application (applicant mode for now)."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from kiosk.domain.catalogue import Catalogue


class KioskApp(App[None]):
    """The kiosk shell: centre name and the consultation/supervision phones."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, catalogue: Catalogue) -> None:
        """Receive the services the screens need (attributes down, messages up)."""
        super().__init__()
        self.catalogue = catalogue

    def compose(self) -> ComposeResult:
        """Lay out the home screen."""
        centre = self.catalogue.centre
        yield Static(f"[b]{centre.name}[/b]\n\n窗口无否决权：您的每一件事都有去处。", id="title")
        yield Static(
            f"咨询电话 {centre.consultation_phone}　监督电话 {centre.supervision_phone}",
            id="phones",
        )
        yield Footer()


def run_app(services: Any) -> int:
    """Run the app with services from the composition root."""
    KioskApp(services.catalogue).run()
    return 0
