"""The statistics export, read back: CSV with a BOM and an xlsx workbook with one sheet a table."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kiosk.domain.cases import Case, CaseState, TimelineEntry
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.statistics import Statistics, compute_statistics
from kiosk.printing.report_export import DETAIL_HEADINGS, export_report, sections

REASON = "本人未到场，不能代办"


def _case(number: str, day: str, outcome: str, *, window: str, due: str | None = None,
          state: CaseState = CaseState.REGISTERED,
          timeline: tuple[tuple[str, str], ...] = ()) -> Case:  # fmt: skip
    return Case(
        created_at=f"{day}T10:30:00+08:00",
        outcome=outcome,
        request={"at_window": window},
        decision={
            "outcome": outcome,
            "reply_due": due,
            "matter": {"id": "x", "name": "居民身份证补领"},
        },
        number=number,
        state=state,
        timeline=[
            TimelineEntry(
                at=f"{at}T09:00:00+08:00", actor="s1", role="clerk", action=a, note=REASON
            )
            for at, a in timeline
        ],
    )


@pytest.fixture
def stats(catalogue: Catalogue) -> Statistics:
    cases = [
        _case("HJ-20260202-0001", "2026-02-02", "grey_zone", window="D02", due="2026-02-06",
              state=CaseState.REPLIED, timeline=(("2026-02-05", "答复"),)),
        _case("HJ-20260203-0001", "2026-02-03", "escalate", window="A01", due="2026-02-05"),
        _case("HJ-20260204-0001", "2026-02-04", "incomplete", window="D02",
              state=CaseState.VETO_FILED, timeline=(("2026-02-04", "request_veto"),)),
    ]  # fmt: skip
    return compute_statistics(
        cases, catalogue, date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 13)
    )


def _expected(stats: Statistics) -> dict[str, list[list[str]]]:
    """Every section as text, the way CSV carries it."""
    return {title: [[str(v) for v in row] for row in rows] for title, rows in sections(stats)}


def test_csv_has_a_bom_and_every_section(tmp_path: Path, stats: Statistics) -> None:
    path = export_report(stats, tmp_path / "out" / "report.csv", "csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    found: dict[str, list[list[str]]] = {}
    title = ""
    for row in rows:
        if len(row) == 1 and row[0].startswith("【"):
            title = row[0].strip("【】")
            found[title] = []
        elif row:
            found[title].append(row)
    assert found == _expected(stats)
    assert list(found) == [
        "汇总",
        "按单位",
        "按窗口",
        "按事项",
        "按结果",
        "按状态",
        "否决理由",
        "明细",
    ]
    summary = dict(found["汇总"][1:])
    assert summary["登记件数"] == "3"
    assert summary["按期答复率"] == "50.0%"
    assert summary["超期未答复件数"] == "1"
    assert found["否决理由"][1] == [REASON, "1", "1.0"]
    assert found["按单位"][1] == ["汉江市公安局（户政）", "2", "0.6667"]
    assert found["明细"][0] == list(DETAIL_HEADINGS)
    assert [r[0] for r in found["明细"][1:]] == [
        "HJ-20260202-0001",
        "HJ-20260203-0001",
        "HJ-20260204-0001",
    ]


def test_xlsx_sheets_hold_the_same_values(tmp_path: Path, stats: Statistics) -> None:
    path = export_report(stats, tmp_path / "report.xlsx", "xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == [
        "汇总",
        "按单位",
        "按窗口",
        "按事项",
        "按结果",
        "按状态",
        "否决理由",
        "明细",
    ]
    for title, rows in sections(stats):
        values = [list(row) for row in book[title].iter_rows(values_only=True)]
        assert values == [[None if v == "" else v for v in row] for row in rows], title
    windows = {row[0]: row[1] for row in book["按窗口"].iter_rows(min_row=2, values_only=True)}
    assert windows == {"32号窗口 居民身份证窗口": 2, "1号窗口 综合咨询服务台": 1}
    detail = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert detail[0][9] == "是" and detail[1][10] == "是" and detail[2][11] == REASON
    book.close()


def test_unknown_format_writes_nothing(tmp_path: Path, stats: Statistics) -> None:
    with pytest.raises(ValueError, match="不支持"):
        export_report(stats, tmp_path / "report.pdf", "pdf")
    assert list(tmp_path.iterdir()) == []


def test_export_replaces_an_old_file_and_leaves_no_temporary(
    tmp_path: Path, stats: Statistics
) -> None:
    path = tmp_path / "report.csv"
    path.write_text("old", encoding="utf-8")
    export_report(stats, path, "csv")
    assert "汇总" in path.read_text(encoding="utf-8-sig")
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]
