"""The decision in plain Chinese for screens: what it means and what to do next."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue

HEADLINES = {
    "handle": "可以办理",
    "incomplete": "还需补充材料（一次性告知）",
    "redirect": "请到以下地点办理（去哪办、找谁办）",
    "escalate": "已登记，由专人协调答复",
    "grey_zone": "已登记，由领导研判后答复",
}
ESCALATION_NAMES = {
    "window_head": "窗口负责人",
    "consultation_desk": "综合咨询服务台",
    "fallback_window": "办不成事反映窗口",
}
REPORT_NAMES = {"unit_leader": "单位分管领导", "main_leader": "单位主要领导"}
PROVISIONAL = "预计（以国务院公布安排为准）"


def headline(decision: Mapping[str, Any]) -> str:
    """One line: the outcome in plain words, with the notice clause."""
    clause = decision["clause"]
    suffix = "" if clause == "none" else f"（窗口无否决权 {clause}）"
    return HEADLINES[decision["outcome"]] + suffix


def due_text(decision: Mapping[str, Any], calendar: WorkingCalendar) -> str:
    """`2026-12-04（星期五）前答复，自 2026-11-30 起算 5 个工作日`, provisional marked."""
    due = date.fromisoformat(decision["reply_due"])
    start = date.fromisoformat(decision["counting_starts"])
    text = (
        f"{calendar.describe(due)}前答复您"
        f"（自 {calendar.describe(start)} 起算 {decision['working_days']} 个工作日）"
    )
    return text + (f"，{PROVISIONAL}" if decision["reply_due_provisional"] else "")


def explain(
    decision: Mapping[str, Any],
    catalogue: Catalogue,
    calendar: WorkingCalendar,
    case_number: str | None = None,
) -> list[str]:
    """Lines explaining a decision to an applicant (Rich markup allowed)."""
    outcome = decision["outcome"]
    go = decision.get("go_to") or {}
    matter = catalogue.matters.get((decision.get("matter") or {}).get("id", ""))
    lines: list[str] = []
    if matter:
        lines.append(f"事项：{matter.name}")
    if case_number:
        lines.append(f"案件编号：[b]{case_number}[/b]（查询进度时使用）")
    place = [
        f"  单位：{go.get('unit', '')}",
        f"  窗口：{go.get('window', '')}",
        f"  地址：{go.get('address', '')}",
        f"  电话：{go.get('phone', '')}",
        f"  时间：{go.get('hours', '')}",
    ]
    if outcome == "handle":
        lines.append(f"请到 [b]{go.get('window', '')}[/b] 办理。")
    elif outcome == "incomplete":
        missing = decision["missing"]
        lines.append(f"您还需要准备以下 {len(missing)} 项，一次告诉您全部：")
        for i, item in enumerate(missing, 1):
            lines.append(f"  {i}. {item['text']}")
            lines.append(f"     办法：{item['remedy']}")
        lines.append(f"准备齐全后请到 {go.get('window', '')} 办理。")
    elif outcome == "redirect":
        lines.append("这件事不在这里办理，请到：")
        lines += place
        if go.get("responsible_unit"):
            lines.append(f"  主管部门：{go['responsible_unit']}")
    else:
        target = ESCALATION_NAMES.get(decision.get("escalate_to") or "", "")
        if outcome == "escalate":
            lines.append(f"您的诉求已登记，由{target or '综合咨询服务台'}牵头协调承办单位。")
        else:
            lines.append("这件事目前法规没有明确规定，已登记，不会直接回绝您。")
        if decision.get("report_to"):
            lines.append(
                f"已报{REPORT_NAMES[decision['report_to']]}研判（{decision['report_by']} 当日报告）。"
            )
        if decision.get("consultation"):
            lines.append("属重大、疑难事项，必要时启动专项会商。")
        if decision.get("coordinate_with"):
            names = "、".join(catalogue.units[u].name for u in decision["coordinate_with"])
            lines.append(f"将征询以下单位意见：{names}。")
        if decision.get("reply_due"):
            lines.append(f"答复期限：{due_text(decision, calendar)}。")
        lines.append(f"答复人所在位置：{go.get('window', '')}，电话 {go.get('phone', '')}")
    if matter and outcome in ("handle", "incomplete", "redirect"):
        lines.append("需要带的材料：")
        for item in matter.materials:
            lines.append(f"  · {item.name}（{item.form} {item.count} 份）")
        lines.append(f"收费：{matter.fee.text}　承诺时限：{_limit(matter.promised_days)}")
    return lines


def _limit(days: int) -> str:
    return "当场办结" if days == 0 else f"{days} 个工作日"


STATE_NAMES = {
    "registered": "已登记，等待研判",
    "assessed": "已研判，正在办理",
    "reported": "已上报领导",
    "consultation": "专项会商中",
    "replied": "已答复",
    "closed": "已办结",
    "veto_requested": "窗口已请示，待负责人审批",
    "veto_head_approved": "窗口负责人已审批，待单位审核",
    "veto_unit_reviewed": "单位已审核，待报备",
    "veto_filed": "已向业务科室报备",
    "veto_tracked": "业务科室跟踪中",
    "veto_final": "已有最终结果",
}
