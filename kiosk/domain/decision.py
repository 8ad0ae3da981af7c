"""Turn a rule verdict into the full decision of DESIGN §3.1: places, missing items, dates."""

from __future__ import annotations

from datetime import time
from typing import Any

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.catalogue import Catalogue, Matter, Window
from kiosk.domain.ports import RuleVerdict
from kiosk.domain.request import Request

OUTCOMES = ("handle", "incomplete", "redirect", "escalate", "grey_zone")
CLAUSES = {
    "handle": "none",
    "incomplete": "二(一)",
    "redirect": "二(二)",
    "escalate": "二(二)",
    "grey_zone": "二(三)",
}
ESCALATION_TARGETS = ("window_head", "consultation_desk", "fallback_window")
REPORT_TARGETS = ("unit_leader", "main_leader")
UNSURE_NOTE = "（您选择了“不确定”，请按下列方法核实并带齐材料）"


def build_decision(
    request: Request, catalogue: Catalogue, verdict: RuleVerdict, calendar: WorkingCalendar
) -> dict[str, Any]:
    """Fill in every key of the decision contract from the verdict and the catalogue.

    Args:
        request: the validated request.
        catalogue: the centre pack.
        verdict: what the rules decided.
        calendar: the working-day calendar.

    Returns:
        The decision as JSON-ready data; every key is present.
    """
    outcome = verdict.outcome
    effects = verdict.effects
    matter = catalogue.matters.get(request.matter) if request.matter else None
    decision: dict[str, Any] = {
        "outcome": outcome,
        "clause": CLAUSES[outcome],
        "matter": {"id": matter.id, "name": matter.name} if matter else None,
        "go_to": _go_to(request, catalogue, outcome, effects, matter),
        "missing": _missing(request, matter) if outcome == "incomplete" else [],
        "guide": matter.guide if matter else None,
        "forms": list(matter.forms) if matter else [],
        "escalate_to": effects.get("escalate_to") if outcome == "escalate" else None,
        "report_to": effects.get("report_to"),
        "report_by": None,
        "consultation": bool(effects.get("consultation", False)),
        "coordinate_with": list(request.departments) if effects.get("coordinate") else [],
        "working_days": None,
        "counting_starts": None,
        "reply_due": None,
        "reply_due_provisional": False,
        "rules_fired": list(verdict.rules_fired),
        "ruleset_version": verdict.ruleset_version,
    }
    cutoff = time.fromisoformat(catalogue.centre.receipt_cutoff)
    if decision["report_to"]:
        # 当日报告 / 第一时间报告: the day the request counts as received.
        decision["report_by"] = calendar.effective_receipt(request.received_at, cutoff).isoformat()
    days = effects.get("working_days")
    if days:
        deadline = calendar.deadline(request.received_at, int(days), cutoff)
        decision["working_days"] = int(days)
        decision["counting_starts"] = deadline.counting_starts.isoformat()
        decision["reply_due"] = deadline.due.isoformat()
        decision["reply_due_provisional"] = deadline.provisional
    return decision


def _missing(request: Request, matter: Matter | None) -> list[dict[str, str]]:
    if matter is None:
        return []
    missing = []
    for condition in matter.conditions:
        answer = request.conditions.get(condition.id)
        if answer is True:
            continue
        unsure = condition.id in request.conditions and answer is None
        text = condition.missing + (UNSURE_NOTE if unsure else "")
        missing.append({"condition": condition.id, "text": text, "remedy": condition.remedy})
    return missing


def _window_place(catalogue: Catalogue, window: Window) -> dict[str, Any]:
    centre = catalogue.centre
    unit = catalogue.units[window.unit]
    return {
        "unit": unit.name,
        "window": f"{window.number}号窗口 {window.name}，{window.floor}{window.zone}",
        "window_id": window.id,
        "address": centre.address,
        "phone": window.phone or unit.phone,
        "hours": centre.hours,
    }


def _go_to(
    request: Request,
    catalogue: Catalogue,
    outcome: str,
    effects: Any,
    matter: Matter | None,
) -> dict[str, Any] | None:
    here = catalogue.windows.get(request.at_window) if request.at_window else None
    if outcome == "escalate":
        target = effects.get("escalate_to")
        if target == "window_head" and here is not None:
            place = _window_place(catalogue, here)
            place["window"] += " 窗口负责人"
            return place
        role = "fallback_window" if target == "fallback_window" else "consultation_desk"
        window = catalogue.window_for_role(role)
        return _window_place(catalogue, window) if window else None
    if matter is None:
        desk = here or catalogue.window_for_role("consultation_desk")
        return _window_place(catalogue, desk) if desk else None
    if not matter.handled_here:
        dest = catalogue.destinations[matter.destination]
        unit = catalogue.units.get(dest.unit)
        return {
            "unit": dest.name,
            "window": dest.contact,
            "window_id": None,
            "address": dest.address,
            "phone": dest.phone,
            "hours": dest.hours,
            "responsible_unit": unit.name if unit else "",
        }
    windows = catalogue.windows_of(matter)
    if here is not None and here.id in matter.windows:
        return _window_place(catalogue, here)
    if outcome == "grey_zone" and here is not None:
        return _window_place(catalogue, here)
    return _window_place(catalogue, windows[0]) if windows else None
