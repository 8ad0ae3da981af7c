"""One case: its decision, timeline (who, role, what, when) and only the actions the role may take."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static

from kiosk.domain.cases import Case, CaseError
from kiosk.domain.explain import STATE_NAMES, explain, headline
from kiosk.domain.masking import mask_name, mask_phone
from kiosk.domain.ports import PrinterError, StoreError
from kiosk.domain.services import KioskContext
from kiosk.domain.staff import ROLE_NAMES
from kiosk.domain.workflow import action_label, has_alarm
from kiosk.screens.base import ApplicantScreen
from kiosk.widgets.numbered_menu import NumberedMenu

PEOPLE: dict[str, str] = {
    "applicant": "群众",
    **{str(role): name for role, name in ROLE_NAMES.items()},
}


class CaseViewScreen(ApplicantScreen[None]):
    """Shows a case to a signed-in person and records the actions they choose."""

    TITLE_TEXT = "案件"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "print_form", "打印报备登记表", show=False),
        Binding("d", "form_pdf", "报备登记表 PDF", show=False),
        Binding("v", "reveal", "查看联系方式", show=False),
    ]

    DEFAULT_CSS = """
    CaseViewScreen {
        & VerticalScroll { height: 1fr; padding: 0 1; }
        & #alarm { color: $error; text-style: bold; padding: 0 1; height: auto; }
        & #status { padding: 0 1; height: auto; }
        & NumberedMenu { height: auto; max-height: 8; margin: 0 1; }
    }
    """

    def __init__(self, ctx: KioskContext, session: Any, number: str) -> None:
        """Open case `number` for `session`."""
        super().__init__(ctx)
        self.session = session
        self.number = number
        self.case: Case | None = None
        self.actions: list[Any] = []

    def compose(self) -> ComposeResult:
        """Case text, alarm, status and the permitted actions."""
        yield from self.compose_title()
        yield Static("", id="alarm")
        with VerticalScroll():
            yield Static("", id="body")
        yield Static("", id="status")
        yield NumberedMenu([], id="actions")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Load the case."""
        self.reload()

    def reload(self) -> None:
        """Read the case and the actions this person may take on it."""
        workflow = self.ctx.workflow
        assert workflow is not None
        try:
            self.case = self.ctx.cases.repository.get(self.number)
        except StoreError as error:
            self.query_one("#status", Static).update(f"[b]无法读取案件[/b]：{error}")
            return
        case = self.case
        self.actions = workflow.actions_for(self.session, case)
        self.query_one("#body", Static).update("\n".join(self._lines(case)))
        alarm = has_alarm(case)
        if str(case.state).startswith("veto_"):
            self.query_one("#status", Static).update("F 打印报备登记表（一式三份）　D 保存 A4 PDF")
        self.query_one("#alarm", Static).update(
            "⚠ 重大事项：须当日报告主要领导，尚未确认" if alarm else ""
        )
        menu = self.query_one(NumberedMenu)
        choices = [(a.id, a.label) for a in self.actions]
        menu.set_choices(choices or [("__none", "（您在此阶段没有可办理的操作）")])
        menu.focus()

    def _lines(self, case: Case) -> list[str]:
        decision = case.decision
        contact = case.applicant
        lines = [
            f"[b]{case.number}[/b]　{headline(decision)}",
            f"进度：{STATE_NAMES.get(str(case.state), str(case.state))}",
            f"申请人：{mask_name(contact.get('name', '')) or '未留姓名'}"
            f"　电话：{mask_phone(contact.get('phone', '')) or '未留电话'}",
        ]
        if case.request.get("description"):
            lines.append(f"诉求：{case.request['description']}")
        lines += explain(decision, self.ctx.catalogue, self.ctx.calendar)
        lines.append("")
        lines.append("[b]办理记录[/b]")
        for entry in case.timeline:
            label = action_label(entry.action)
            what = (
                entry.note
                if entry.note.startswith(label)
                else label + (f"：{entry.note}" if entry.note else "")
            )
            role = PEOPLE.get(entry.role, entry.role)
            when = entry.at[:16].replace("T", " ")
            lines.append(f"{when}  {entry.actor}（{role}） {what}")
        return lines

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Ask for the action's fields, then record it."""
        event.stop()
        action = next((a for a in self.actions if a.id == event.option.id), None)
        if action is None:
            return
        fields = list(getattr(action, "fields", ()))
        optional = tuple(getattr(action, "optional", ()))
        if not fields and not optional:
            self.perform(action.id, {})
            return
        from kiosk.screens.action_form import ActionFormScreen

        self.app.push_screen(
            ActionFormScreen(self.ctx, action.label, fields + list(optional), optional),
            lambda values: self.perform(action.id, values) if values is not None else None,
        )

    def perform(self, action_id: str, values: dict[str, str]) -> None:
        """Record the action through the workflow (permissions are checked there)."""
        workflow = self.ctx.workflow
        assert workflow is not None
        try:
            workflow.perform(self.session, self.number, action_id, **values)
        except (CaseError, ValueError, StoreError) as error:
            self.query_one("#status", Static).update(f"[b]未能办理[/b]：{error}")
            return
        self.query_one("#status", Static).update("已记录。")
        self.reload()

    def action_reveal(self) -> None:
        """Show the unmasked contact to a permitted role; the look is recorded in the timeline."""
        from kiosk.domain.privacy import reveal_contact

        try:
            contact = reveal_contact(
                self.ctx.cases.repository, self.session, self.number, self.ctx.clock
            )
        except (CaseError, StoreError) as error:
            self.query_one("#status", Static).update(f"[b]不能查看[/b]：{error}")
            return
        self.reload()
        self.query_one("#status", Static).update(
            f"联系方式（已记录查看）：{contact.get('name', '')} {contact.get('phone', '')}"
        )

    def action_print_form(self) -> None:
        """Print the 否决事项报备登记表 in triplicate (once a veto was requested)."""
        if self.case is not None and str(self.case.state).startswith("veto_"):
            self.print_form()

    def action_form_pdf(self) -> None:
        """Write the filing form as an A4 PDF for signing."""
        if (
            self.case is not None
            and str(self.case.state).startswith("veto_")
            and self.ctx.filing_pdf
        ):
            self.form_pdf()

    @work(thread=True, exclusive=True, group="pdf")
    def form_pdf(self) -> None:
        """Write the PDF in a worker thread."""
        from kiosk.domain.workflow import veto_form_fields

        assert self.case is not None and self.ctx.filing_pdf is not None
        path = self.ctx.filing_pdf(
            self.case.number, veto_form_fields(self.case, self.ctx.catalogue)
        )
        self.app.call_from_thread(
            self.query_one("#status", Static).update, f"报备登记表 PDF 已保存：{path}"
        )

    @work(thread=True, exclusive=True, group="printer")
    def print_form(self) -> None:
        """Print in a worker thread."""
        from kiosk.domain.workflow import veto_form_fields

        assert self.case is not None
        fields = veto_form_fields(self.case, self.ctx.catalogue)
        try:
            self.ctx.printer.print_filing_form(fields)
        except PrinterError as error:
            self.app.call_from_thread(
                self.query_one("#status", Static).update, f"打印机故障：{error}，已保存待补打"
            )
            return
        self.app.call_from_thread(
            self.query_one("#status", Static).update, "报备登记表已打印（一式三份）"
        )
