"""Statistics over hand-built cases: counts, on-time replies, overdue, veto reasons, the chart."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiosk.domain.cases import Case, CaseState, TimelineEntry
from kiosk.domain.catalogue import Catalogue, Centre, Fee, Matter, Unit, Window
from kiosk.domain.statistics import (
    NO_REASON,
    bar_chart,
    compute_statistics,
    reply_date,
    text_width,
    veto_reason,
)

WINDOWS = {"id_card": "D02", "licence": "B01"}
START, END, AS_OF = date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 10)


def _matter(matter_id: str, name: str, unit: str, window: str) -> Matter:
    return Matter(
        id=matter_id,
        name=name,
        code=matter_id.upper(),
        category="个人",
        unit=unit,
        kind="承诺件",
        statutory_days=20,
        promised_days=5,
        fee=Fee(0),
        legal_basis=(),
        phone="",
        conditions=(),
        materials=(),
        guide="",
        forms=(),
        windows=(window,),
    )


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    centre = Centre(
        "hj", "汉江市政务服务中心", "HJ", "兴安大道88号", "0915-3210000", "0915-3210012",
        "12345", "9:00-17:30", "17:30",
    )  # fmt: skip
    units = {
        "police": Unit("police", "汉江市公安局", "0915-1"),
        "market": Unit("market", "汉江市市场监督管理局", "0915-2"),
        "approval": Unit("approval", "汉江市行政审批服务局", "0915-3"),
    }
    windows = {
        "D02": Window("D02", "32", "居民身份证窗口", "police", "二楼", "D区"),
        "B01": Window("B01", "12", "市场准入窗口", "market", "一楼", "B区"),
        "A01": Window(
            "A01", "1", "综合咨询服务台", "approval", "一楼", "A区", role="consultation_desk"
        ),
    }
    matters = {
        "id_card": _matter("id_card", "居民身份证补领", "police", "D02"),
        "licence": _matter("licence", "营业执照变更", "market", "B01"),
    }
    return Catalogue(centre, units, windows, {}, matters)


def _case(
    number: str,
    created: str,
    outcome: str,
    *,
    matter: str | None = None,
    at_window: str | None = None,
    due: str | None = None,
    state: CaseState = CaseState.REGISTERED,
    timeline: tuple[tuple[str, str, str], ...] = (),
    decision: dict[str, Any] | None = None,
) -> Case:
    return Case(
        created_at=f"{created}T10:30:00+08:00",
        outcome=outcome,
        request={"matter": matter, "at_window": at_window},
        decision={
            "outcome": outcome,
            "reply_due": due,
            "go_to": {"window_id": WINDOWS[matter]} if matter else None,
            **(decision or {}),
        },
        number=number,
        state=state,
        timeline=[
            TimelineEntry(at=f"{at}T15:00:00+08:00", actor="s1", role="clerk", action=a, note=n)
            for at, a, n in timeline
        ],
    )


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    veto = "本人未到场，不能代办"
    return [
        # replied on the due day: on time
        _case("HJ-20261102-0001", "2026-11-02", "grey_zone", matter="id_card", due="2026-11-09",
              state=CaseState.REPLIED, timeline=(("2026-11-09", "答复", "已答复"),)),
        # replied a day late
        _case("HJ-20261103-0001", "2026-11-03", "grey_zone", matter="licence", due="2026-11-10",
              state=CaseState.CLOSED, timeline=(("2026-11-11", "reply", ""),)),
        # open and past due on AS_OF: overdue, counts as owed and not on time
        _case("HJ-20261110-0001", "2026-11-10", "escalate", at_window="A01", due="2026-11-17"),
        # open, due after AS_OF: neither overdue nor owed yet
        _case("HJ-20261130-0001", "2026-11-30", "escalate", at_window="A01", due="2026-12-14"),
        # vetoes: two with the same reason, one blank
        _case("HJ-20261112-0001", "2026-11-12", "incomplete", matter="id_card",
              state=CaseState.VETO_FILED, timeline=(("2026-11-12", "request_veto", veto),)),
        _case("HJ-20261113-0001", "2026-11-13", "incomplete", matter="id_card",
              state=CaseState.VETO_REQUESTED, timeline=(("2026-11-13", "request_veto", veto + " "),)),
        _case("HJ-20261114-0001", "2026-11-14", "redirect", matter="licence",
              state=CaseState.VETO_REQUESTED, timeline=(("2026-11-14", "request_veto", ""),)),
        # no matter, no window: named from the decision's go_to
        _case("HJ-20261120-0001", "2026-11-20", "grey_zone",
              decision={"go_to": {"unit": "江北派出所", "window": "户籍民警"}}),
        # outside the period on both sides
        _case("HJ-20261031-0001", "2026-10-31", "grey_zone", matter="id_card", due="2026-11-05"),
        _case("HJ-20261201-0001", "2026-12-01", "grey_zone", matter="id_card", due="2026-12-02"),
    ]  # fmt: skip


def test_only_cases_of_the_period_are_counted(cases: list[Case], catalogue: Catalogue) -> None:
    stats = compute_statistics(cases, catalogue, START, END, AS_OF)
    assert stats.total == 8
    assert [r.number for r in stats.rows][0] == "HJ-20261102-0001"
    assert all(START <= r.day <= END for r in stats.rows)


def test_counts_by_unit_window_matter_outcome(cases: list[Case], catalogue: Catalogue) -> None:
    stats = compute_statistics(cases, catalogue, START, END, AS_OF)
    assert dict(stats.by_unit) == {
        "汉江市公安局": 3,
        "汉江市市场监督管理局": 2,
        "汉江市行政审批服务局": 2,
        "江北派出所": 1,
    }
    assert stats.by_unit[0] == ("汉江市公安局", 3)
    assert dict(stats.by_window) == {
        "32号窗口 居民身份证窗口": 3,
        "12号窗口 市场准入窗口": 2,
        "1号窗口 综合咨询服务台": 2,
        "户籍民警": 1,
    }
    assert dict(stats.by_matter) == {
        "居民身份证补领": 3,
        "营业执照变更": 2,
        "（无对应事项）": 3,
    }
    assert dict(stats.by_outcome) == {"模糊地带": 3, "协调答复": 2, "一次性告知": 2, "引导办理": 1}
    assert sum(n for _, n in stats.by_state) == 8
    assert dict(stats.by_state)["否决待审批"] == 2


def test_on_time_rate_and_overdue(cases: list[Case], catalogue: Catalogue) -> None:
    stats = compute_statistics(cases, catalogue, START, END, AS_OF)
    assert stats.replied == 2
    assert stats.replied_on_time == 1
    assert stats.reply_owed == 3  # on time, late, and the open one past its due date
    assert stats.on_time_rate == pytest.approx(1 / 3)
    assert stats.overdue == 1
    rows = {r.number: r for r in stats.rows}
    assert rows["HJ-20261102-0001"].on_time is True
    assert rows["HJ-20261103-0001"].on_time is False
    assert rows["HJ-20261110-0001"].overdue and rows["HJ-20261110-0001"].on_time is False
    assert rows["HJ-20261130-0001"].on_time is None and not rows["HJ-20261130-0001"].overdue
    assert ("按期答复率", "33.3%") in stats.summary()


def test_overdue_depends_on_the_day_asked(cases: list[Case], catalogue: Catalogue) -> None:
    assert compute_statistics(cases, catalogue, START, END, date(2026, 11, 17)).overdue == 0
    assert compute_statistics(cases, catalogue, START, END, date(2026, 11, 18)).overdue == 1
    assert compute_statistics(cases, catalogue, START, END, date(2026, 12, 15)).overdue == 2


def test_veto_reasons(cases: list[Case], catalogue: Catalogue) -> None:
    stats = compute_statistics(cases, catalogue, START, END, AS_OF)
    assert stats.vetoes == 3
    assert stats.by_reason == (("本人未到场，不能代办", 2), (NO_REASON, 1))


def test_the_workflow_record_is_read_before_the_timeline() -> None:
    case = _case("HJ-20261102-0009", "2026-11-02", "grey_zone", due="2026-11-09",
                 timeline=(("2026-11-20", "reply", ""), ("2026-11-02", "request_veto", "请示否决：旧理由")))  # fmt: skip
    assert reply_date(case) == date(2026, 11, 20)
    assert veto_reason(case) == "旧理由"
    case.workflow = {"reply": {"date": "2026-11-08"}, "veto": {"reasons": "新理由"}}
    assert reply_date(case) == date(2026, 11, 8)
    assert veto_reason(case) == "新理由"
    case.workflow = {"reply": {"date": "not a date"}, "returned_vetoes": [{"reasons": "新理由"}]}
    assert reply_date(case) == date(2026, 11, 20)
    assert veto_reason(case) is None  # sent back by the window head: no standing request


def test_a_filed_veto_is_not_overdue(catalogue: Catalogue) -> None:
    filed = _case("HJ-20261102-0009", "2026-11-02", "grey_zone", due="2026-11-09",
                  state=CaseState.VETO_FILED)  # fmt: skip
    waiting = _case("HJ-20261102-0010", "2026-11-02", "grey_zone", due="2026-11-09",
                    state=CaseState.VETO_HEAD_APPROVED)  # fmt: skip
    stats = compute_statistics([filed, waiting], catalogue, START, END, AS_OF)
    assert [r.overdue for r in stats.rows] == [False, True]


def test_empty_period_and_bad_range(catalogue: Catalogue) -> None:
    stats = compute_statistics([], catalogue, START, END, AS_OF)
    assert stats.total == 0 and stats.on_time_rate is None
    assert ("按期答复率", "—") in stats.summary()
    with pytest.raises(ValueError, match="统计期间"):
        compute_statistics([], catalogue, END, START, AS_OF)


def test_text_width_counts_cjk_as_two() -> None:
    assert text_width("abc") == 3
    assert text_width("汉江ab") == 6
    assert text_width("（１）") == 6


def test_bar_chart_lines_have_the_exact_width() -> None:
    pairs = [
        ("汉江市公安局", 12),
        ("市场监管局", 6),
        ("x", 0),
        ("汉江市行政审批服务局（综合窗口）", 3),
    ]
    lines = bar_chart(pairs, 40)
    assert len(lines) == 4
    assert all(text_width(line) == 40 for line in lines)
    assert lines[0].endswith(" 12") and lines[2].endswith(" 0")
    assert abs(lines[0].count("█") - 2 * lines[1].count("█")) <= 1
    assert "█" not in lines[2]
    assert "…" in lines[3]  # the long label was cut
    bars = {text_width(line[: line.find("█")]) for line in (lines[0], lines[1], lines[3])}
    assert len(bars) == 1  # labels padded to a common width, bars start in one column


def test_bar_chart_edge_cases() -> None:
    assert bar_chart([], 30) == []
    assert all(text_width(line) == 20 for line in bar_chart([("a", 0), ("b", 0)], 20))
    assert text_width(bar_chart([("比例", 0.5)], 12)[0]) == 12
    with pytest.raises(ValueError):
        bar_chart([("a", -1)], 20)
    with pytest.raises(ValueError):
        bar_chart([("a", 1)], 5)
