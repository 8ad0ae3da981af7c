"""The outcome in plain Chinese, with the case registered first and a receipt to print."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from kiosk.domain.cases import Case, CaseError
from kiosk.domain.explain import explain, headline
from kiosk.domain.ports import PrinterError, Slip, StoreError
from kiosk.domain.services import Classification, KioskContext
from kiosk.screens.base import ApplicantScreen


class OutcomeScreen(ApplicantScreen[None]):
    """Shows a decision; registers its case (if any) before anything can be printed."""

    TITLE_TEXT = "办理结果"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "print", "打印回执"),
        Binding("g", "guide", "办事指南"),
        Binding("f", "form", "申请样表"),
        Binding("h", "back", "返回首页"),
    ]

    DEFAULT_CSS = """
    OutcomeScreen {
        & #headline { padding: 0 1; text-style: bold; color: $accent; }
        & VerticalScroll { height: 1fr; padding: 0 1; }
        & #status { padding: 0 1; height: auto; }
        & Horizontal { height: 3; }
        & Button { margin: 0 1 0 0; min-width: 12; }
    }
    """

    def __init__(
        self,
        ctx: KioskContext,
        classification: Classification,
        applicant: dict[str, str] | None = None,
        register: Callable[[Classification, dict[str, str]], Case] | None = None,
    ) -> None:
        """Show one classification; `applicant` is the contact; `register` stores its case.

        `register` defaults to the kiosk's own registration; window intake passes the
        workflow's, which checks the staff member's role.
        """
        super().__init__(ctx)
        self.register = register or (lambda c, a: ctx.cases.register(c, a))
        self.classification = classification
        self.applicant = applicant or {}
        self.case: Case | None = None
        self.slip_text = ""

    @property
    def decision(self) -> dict:
        """The decision shown."""
        return self.classification.decision

    def compose(self) -> ComposeResult:
        """Headline, explanation, status line, actions."""
        yield from self.compose_title()
        yield Static(headline(self.decision), id="headline")
        with VerticalScroll(id="body"):
            yield Static(self._body(), id="explain")
        yield Static("", id="status")
        with Horizontal():
            yield Button("P 打印回执", id="print", variant="primary")
            if self.decision["guide"]:
                yield Button("G 办事指南", id="guide")
                yield Button("F 申请样表", id="form")
            yield Button("H 返回首页", id="home")
        yield from self.compose_footer()

    def _body(self) -> str:
        number = self.case.number if self.case else None
        return "\n".join(explain(self.decision, self.ctx.catalogue, self.ctx.calendar, number))

    def on_mount(self) -> None:
        """Register the case first (durable before any receipt), then allow printing."""
        self.query_one("#print", Button).focus()
        if self.classification.needs_case:
            self.query_one("#print", Button).disabled = True
            self.query_one("#status", Static).update("正在登记，请稍候……")
            self.register_case()

    @work(thread=True, exclusive=True, group="store")
    def register_case(self) -> None:
        """Store the case in a worker thread (disk I/O with fsync)."""
        try:
            case = self.register(self.classification, self.applicant)
        except (StoreError, CaseError) as error:
            self.app.call_from_thread(self._registration_failed, str(error))
            return
        self.app.call_from_thread(self._registered, case)

    def _registered(self, case: Case) -> None:
        self.case = case
        self.query_one("#explain", Static).update(self._body())
        self.query_one("#status", Static).update(f"已登记，案件编号 {case.number}。按 P 打印回执。")
        button = self.query_one("#print", Button)
        button.disabled = False
        button.focus()

    def _registration_failed(self, message: str) -> None:
        self.query_one("#status", Static).update(
            f"[b]登记失败[/b]：{message}。请到综合咨询服务台由工作人员为您登记。"
        )

    def slip(self) -> Slip:
        """The receipt content for this outcome."""
        return Slip(
            decision=self.decision,
            printed_at=self.ctx.clock().isoformat(timespec="seconds"),
            case_number=self.case.number if self.case else None,
            applicant_name=self.applicant.get("name", ""),
            applicant_phone=self.applicant.get("phone", ""),
        )

    def action_print(self) -> None:
        """Print the receipt (never before the case is stored)."""
        if self.classification.needs_case and self.case is None:
            return
        self.query_one("#status", Static).update("正在打印……")
        self.print_slip(self.slip())

    @work(thread=True, exclusive=True, group="printer")
    def print_slip(self, slip: Slip) -> None:
        """Print in a worker thread; a printer fault shows the slip on screen."""
        try:
            self.ctx.printer.print(slip)
        except PrinterError as error:
            text = self.ctx.printer.render(slip)
            self.app.call_from_thread(self._print_failed, str(error), text)
            return
        self.app.call_from_thread(self._printed)

    def _printed(self) -> None:
        self.query_one("#status", Static).update("回执已打印，请取走。")

    def _print_failed(self, message: str, text: str) -> None:
        self.slip_text = text
        self.query_one("#status", Static).update(
            f"打印机故障（{message}），回执已保存待补打。请拍照或抄下以下内容："
        )
        self.query_one("#explain", Static).update(self._body() + "\n\n" + text)

    def action_guide(self) -> None:
        """Show the handling guide."""
        if self.decision["guide"]:
            from kiosk.screens.document import DocumentScreen

            self.app.push_screen(DocumentScreen(self.ctx, "办事指南", self.decision["guide"]))

    def action_form(self) -> None:
        """Show the sample filled form."""
        if self.decision["forms"]:
            from kiosk.screens.document import DocumentScreen

            self.app.push_screen(DocumentScreen(self.ctx, "申请样表", self.decision["forms"][0]))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons mirror the key bindings."""
        event.stop()
        {
            "print": self.action_print,
            "guide": self.action_guide,
            "form": self.action_form,
            "home": self.action_back,
        }[str(event.button.id)]()
