"""The staff desk: work queues per role, window intake, sign-out."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from kiosk.domain.cases import Case
from kiosk.domain.explain import HEADLINES, STATE_NAMES
from kiosk.domain.ports import StoreError
from kiosk.domain.services import KioskContext
from kiosk.domain.workflow import has_alarm
from kiosk.screens.base import ApplicantScreen

QUEUES = [
    ("mine", "我的待办"),
    ("waiting_for_me", "待我决定"),
    ("due_today", "今日到期"),
    ("approaching", "临近到期"),
    ("overdue", "已超期"),
]


class StaffDeskScreen(ApplicantScreen[None]):
    """Queues of cases the signed-in person must act on."""

    TITLE_TEXT = "工作台"

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(i), f"show_queue({i - 1})", label, show=False)
            for i, (_, label) in enumerate(QUEUES, 1)
        ),
        Binding("n", "intake", "窗口受理"),
        Binding("r", "refresh", "刷新"),
        Binding("s", "statistics", "统计"),
        Binding("o", "sign_out", "退出登录"),
    ]

    DEFAULT_CSS = """
    StaffDeskScreen {
        & #who { padding: 0 1; text-style: bold; }
        & #tabs { padding: 0 1; height: 1; }
        & DataTable { height: 1fr; margin: 0 1; }
        & .-overdue { color: $error; }
    }
    """

    class IntakeRequested(Message):
        """The clerk wants to record a request at their window."""

    class SignedOut(Message):
        """The person signed out."""

    def __init__(self, ctx: KioskContext, session: Any) -> None:
        """The desk of one signed-in person."""
        super().__init__(ctx)
        self.session = session
        self.queue = 0
        self.queues: Any = None

    def compose(self) -> ComposeResult:
        """Who, queue tabs, the table."""
        from kiosk.domain.staff import ROLE_NAMES

        staff = self.session
        where = f" · 窗口 {staff.window}" if getattr(staff, "window", None) else ""
        yield from self.compose_title()
        yield Static(f"{staff.name} · {ROLE_NAMES.get(staff.role, staff.role)}{where}", id="who")
        yield Static("", id="tabs")
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns("编号", "事项", "结果", "进度", "答复期限", "提示")
        yield table
        yield Static(
            "数字键切换队列 · 回车打开案件 · N 窗口受理 · S 统计 · R 刷新 · O 退出", classes="hint"
        )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Load the queues."""
        self.action_refresh()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        """Coming back from a case: its state may have changed."""
        self.action_refresh()

    def action_refresh(self) -> None:
        """Reload every queue from the store (in a worker: it reads many chunk files)."""
        self.load_queues()

    @work(thread=True, exclusive=True, group="queues")
    def load_queues(self) -> None:
        """Read the queues off the UI thread, then show them."""
        workflow = self.ctx.workflow
        assert workflow is not None
        try:
            queues = workflow.queues(self.session, self.ctx.clock().date())
        except StoreError as error:
            self.app.call_from_thread(self.notify, f"无法读取案件：{error}", severity="error")
            return
        self.app.call_from_thread(self._queues_loaded, queues)

    def _queues_loaded(self, queues: Any) -> None:
        self.queues = queues
        self.action_show_queue(self.queue)

    def action_show_queue(self, index: int) -> None:
        """Show one queue."""
        self.queue = index
        tabs = []
        for i, (key, label) in enumerate(QUEUES):
            count = len(getattr(self.queues, key, []) or [])
            text = f"{i + 1} {label}({count})"
            tabs.append(f"[reverse]{text}[/reverse]" if i == index else text)
        self.query_one("#tabs", Static).update("  ".join(tabs))
        table = self.query_one(DataTable)
        table.clear()
        overdue = {c.number for c in getattr(self.queues, "overdue", [])}
        for case in getattr(self.queues, QUEUES[index][0], []) or []:
            table.add_row(*self._row(case, case.number in overdue), key=case.number)

    def _row(self, case: Case, overdue: bool) -> list[str]:
        matter = self.ctx.catalogue.matters.get(case.matter_id or "")
        flags = []
        if overdue:
            flags.append("[b red]已超期[/]")
        if has_alarm(case):
            flags.append("[b yellow]待主要领导确认[/]")
        return [
            case.number,
            (matter.name if matter else case.request.get("description", "") or "（目录外诉求）")[
                :14
            ],
            HEADLINES[case.outcome][:6],
            STATE_NAMES.get(str(case.state), str(case.state))[:8],
            case.reply_due or "",
            " ".join(flags),
        ]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Open a case."""
        from kiosk.screens.case_view import CaseViewScreen

        number = str(event.row_key.value)
        self.app.push_screen(CaseViewScreen(self.ctx, self.session, number))

    def action_statistics(self) -> None:
        """Statistics for leaders and the business section."""
        from kiosk.domain.staff import Role
        from kiosk.screens.statistics import StatisticsScreen

        if self.session.role in (
            Role.BUSINESS_SECTION,
            Role.MAIN_LEADER,
            Role.UNIT_LEADER,
            Role.ADMIN,
        ):
            self.app.push_screen(StatisticsScreen(self.ctx, self.session))
        else:
            self.notify("统计分析仅对领导和业务科室开放", severity="warning")

    def action_intake(self) -> None:
        """Start a window intake (the app runs the applicant flow with this window)."""
        self.post_message(self.IntakeRequested())

    def action_sign_out(self) -> None:
        """Back to applicant mode."""
        self.post_message(self.SignedOut())

    def action_back(self) -> None:
        """Esc signs out too: the desk is never left open."""
        self.action_sign_out()
