"""The business section's statistics: filings, replies on time, overdue, with bar charts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.domain.ports import StoreError
from kiosk.domain.services import KioskContext
from kiosk.domain.statistics import Statistics, bar_chart, compute_statistics
from kiosk.screens.base import ApplicantScreen

PERIODS = [("1", "近 7 天", 7), ("2", "近 30 天", 30), ("3", "近 365 天", 365)]
CHART_WIDTH = 72  # fits 80 columns with the padding


class StatisticsScreen(ApplicantScreen[None]):
    """Summary and charts over a period; the same figures `kiosk report` exports."""

    TITLE_TEXT = "统计分析（1 近7天 2 近30天 3 近一年，Esc 返回）"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"period({days})", label, show=False) for key, label, days in PERIODS
    ]

    DEFAULT_CSS = """
    StatisticsScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """

    def __init__(self, ctx: KioskContext, session: Any) -> None:
        """Statistics for a signed-in leader or the business section."""
        super().__init__(ctx)
        self.session = session
        self.days = 30

    def compose(self) -> ComposeResult:
        """The report body."""
        yield from self.compose_title()
        with VerticalScroll():
            yield Static("正在统计……", id="report")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        """Count the default period."""
        self.query_one(VerticalScroll).focus()
        self.action_period(self.days)

    def action_period(self, days: int) -> None:
        """Count another period."""
        self.days = days
        self.count(days)

    @work(thread=True, exclusive=True, group="statistics")
    def count(self, days: int) -> None:
        """Read the cases in a worker thread (the store is on disk)."""
        today = self.ctx.clock().date()
        start = today - timedelta(days=days - 1)
        try:
            cases = self.ctx.cases.repository.list(since=start, until=today)
            stats = compute_statistics(cases, self.ctx.catalogue, start, today, today)
        except StoreError as error:
            self.app.call_from_thread(
                self.query_one("#report", Static).update, f"无法统计：{error}"
            )
            return
        self.app.call_from_thread(
            self.query_one("#report", Static).update, self.render_report(stats, today)
        )

    @staticmethod
    def render_report(stats: Statistics, today: date) -> str:
        """The report as text with Rich markup."""
        lines = [f"[b]{label}[/b]：{value}" for label, value in stats.summary()]
        for title, table in (
            ("按单位", stats.by_unit),
            ("按结果", stats.by_outcome),
            ("按窗口", stats.by_window),
            ("否决理由", stats.by_reason),
        ):
            lines.append("")
            lines.append(f"[b]{title}[/b]")
            chart = bar_chart([(label, float(count)) for label, count in table[:10]], CHART_WIDTH)
            lines += chart or ["（无）"]
        return "\n".join(
            line.replace("[", r"\[") if not line.startswith("[b]") else line for line in lines
        )
