"""Export the business section's statistics as CSV (UTF-8 with BOM) or an xlsx workbook."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kiosk.domain.statistics import CaseRow, Statistics, text_width

FORMATS = ("csv", "xlsx")
#: The count tables: sheet name (also the CSV section title), first column heading, attribute.
TABLES = (
    ("按单位", "单位", "by_unit"),
    ("按窗口", "窗口", "by_window"),
    ("按事项", "事项", "by_matter"),
    ("按结果", "分类结果", "by_outcome"),
    ("按状态", "办理状态", "by_state"),
    ("否决理由", "否决理由", "by_reason"),
)
SUMMARY = "汇总"
DETAIL = "明细"
COUNT = "件数"
SHARE = "占比"
DETAIL_HEADINGS = (
    "案件编号",
    "登记日期",
    "单位",
    "窗口",
    "事项",
    "分类结果",
    "办理状态",
    "答复期限",
    "答复日期",
    "按期答复",
    "超期未答复",
    "否决理由",
)
Cell = str | int | float


def export_report(stats: Statistics, path: Path, format: str) -> Path:
    """Write the statistics to `path`, atomically (a temporary file renamed into place).

    CSV is one file with sections separated by a blank line: 汇总, then each count table, then
    the case detail; it is UTF-8 with a byte-order mark so that Excel shows the Chinese text.
    xlsx has one sheet per section: 汇总, 按单位, 按窗口, 按事项, 按结果, 按状态, 否决理由, 明细.

    Args:
        stats: the statistics of the period.
        path: the file to write; its folder is created when missing.
        format: `csv` or `xlsx`.

    Returns:
        The path written.

    Raises:
        ValueError: an unknown format.
    """
    if format not in FORMATS:
        raise ValueError(f"不支持的导出格式：{format}（可用：{'、'.join(FORMATS)}）")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        if format == "csv":
            _write_csv(stats, temp)
        else:
            _write_xlsx(stats, temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path


def sections(stats: Statistics) -> list[tuple[str, list[list[Cell]]]]:
    """Every section as (title, rows), the first row being the headings; what both formats hold."""
    summary: list[list[Cell]] = [["项目", "数值"]]
    summary += [[label, value] for label, value in stats.summary()]
    out: list[tuple[str, list[list[Cell]]]] = [(SUMMARY, summary)]
    for title, heading, attribute in TABLES:
        pairs: tuple[tuple[str, int], ...] = getattr(stats, attribute)
        total = sum(count for _, count in pairs)
        rows: list[list[Cell]] = [[heading, COUNT, SHARE]]
        rows += [[label, count, round(count / total, 4)] for label, count in pairs]
        out.append((title, rows))
    out.append((DETAIL, [list(DETAIL_HEADINGS), *(_detail(row) for row in stats.rows)]))
    return out


def _detail(row: CaseRow) -> list[Cell]:
    return [
        row.number,
        row.day.isoformat(),
        row.unit,
        row.window,
        row.matter,
        row.outcome,
        row.state,
        row.reply_due.isoformat() if row.reply_due else "",
        row.replied_on.isoformat() if row.replied_on else "",
        "" if row.on_time is None else ("是" if row.on_time else "否"),
        "是" if row.overdue else "",
        row.veto_reason,
    ]


def _write_csv(stats: Statistics, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        for n, (title, rows) in enumerate(sections(stats)):
            if n:
                writer.writerow([])
            writer.writerow([f"【{title}】"])
            writer.writerows(rows)
        file.flush()
        os.fsync(file.fileno())


def _write_xlsx(stats: Statistics, path: Path) -> None:
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for title, rows in sections(stats):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        if rows and rows[0][-1] == SHARE:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
                cell.number_format = "0.0%"
        _fit_columns(sheet.column_dimensions, rows)
        sheet.freeze_panes = "A2"
    book.properties.title = f"统计报表 {stats.start.isoformat()} 至 {stats.end.isoformat()}"
    book.save(path)


def _fit_columns(dimensions: Any, rows: Sequence[Sequence[Cell]]) -> None:
    widths: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), text_width(str(value)))
    for index, columns in widths.items():
        dimensions[get_column_letter(index)].width = min(60, columns + 2)
