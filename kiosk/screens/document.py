"""A handling guide or sample form rendered from Markdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import MarkdownViewer

from kiosk.domain.services import KioskContext
from kiosk.screens.base import ApplicantScreen


class DocumentScreen(ApplicantScreen[None]):
    """Shows one Markdown document; Esc goes back."""

    DEFAULT_CSS = """
    DocumentScreen MarkdownViewer { height: 1fr; }
    """

    def __init__(self, ctx: KioskContext, title: str, reference: str) -> None:
        """Show the document `reference` (relative to guides/)."""
        super().__init__(ctx)
        self.TITLE_TEXT = f"{title}（↑↓ 翻阅，Esc 返回）"
        self.reference = reference

    def compose(self) -> ComposeResult:
        """The document."""
        yield from self.compose_title()
        try:
            text = self.ctx.read_document(self.reference)
        except OSError:
            text = "# 暂时无法显示\n\n请到综合咨询服务台索取纸质版。"
        yield MarkdownViewer(text, show_table_of_contents=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Focus the document so arrows scroll it."""
        self.query_one(MarkdownViewer).focus()
