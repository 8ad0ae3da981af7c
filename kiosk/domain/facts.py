"""The fact vocabulary rules may test, and how a request becomes facts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.domain.catalogue import Catalogue, Matter, Window
from kiosk.domain.request import Request


@dataclass(frozen=True)
class FactSpec:
    """One fact a rule can test: its type, what ids it refers to, and a Chinese description."""

    name: str
    type: type
    description: str
    refers_to: str = ""  # matters | units | windows | kinds | window_roles | legal_basis
    choices: tuple[str, ...] = ()


FACTS: dict[str, FactSpec] = {
    spec.name: spec
    for spec in (
        FactSpec("matter", str, "事项编号（找不到事项时为空）", "matters"),
        FactSpec("matter_known", bool, "申请人是否找到了目录中的事项"),
        FactSpec("matter_unit", str, "事项所属单位编号", "units"),
        FactSpec("matter_handled_here", bool, "事项是否在本中心窗口受理"),
        FactSpec("matter_kind", str, "办件类型", "kinds", ("即办件", "承诺件", "")),
        FactSpec("at_window", str, "提出申请的窗口编号（自助机或咨询台为空）", "windows"),
        FactSpec("at_kiosk", bool, "是否在自助机上提出（不在窗口）"),
        FactSpec(
            "window_role",
            str,
            "提出申请的窗口类型",
            "window_roles",
            ("service", "consultation_desk", "fallback_window", ""),
        ),
        FactSpec("window_handles_matter", bool, "提出申请的窗口是否受理该事项"),
        FactSpec("all_conditions_met", bool, "受理条件是否全部满足（不确定视为未满足）"),
        FactSpec("unmet_count", int, "未满足（含不确定）的受理条件个数"),
        FactSpec("legal_basis", str, "法律依据是否明确", "legal_basis", ("clear", "unclear")),
        FactSpec("major", bool, "是否重大、疑难事项"),
        FactSpec("department_count", int, "需要征询意见的其他单位个数"),
        FactSpec("has_description", bool, "申请人是否描述了诉求"),
    )
}


def place_facts(matter: Matter | None, window: Window | None) -> dict[str, Any]:
    """The facts fixed by which matter is asked about and where (kiosk when window is None)."""
    return {
        "matter": matter.id if matter else "",
        "matter_known": matter is not None,
        "matter_unit": matter.unit if matter else "",
        "matter_handled_here": bool(matter and matter.handled_here),
        "matter_kind": matter.kind if matter else "",
        "at_window": window.id if window else "",
        "at_kiosk": window is None,
        "window_role": window.role if window else "",
        "window_handles_matter": bool(matter and window and window.id in matter.windows),
    }


def derive_facts(request: Request, catalogue: Catalogue) -> dict[str, Any]:
    """Turn a validated request into the flat facts the rules test.

    Unanswered conditions count as not met: the one-time notice must list everything.
    """
    matter = catalogue.matters.get(request.matter) if request.matter else None
    window = catalogue.windows.get(request.at_window) if request.at_window else None
    unmet = (
        [c for c in matter.conditions if request.conditions.get(c.id) is not True] if matter else []
    )
    return {
        **place_facts(matter, window),
        "all_conditions_met": not unmet,
        "unmet_count": len(unmet),
        "legal_basis": request.legal_basis,
        "major": request.major,
        "department_count": len(request.departments),
        "has_description": bool(request.description),
    }


def check_fact_types(facts: dict[str, Any]) -> None:
    """Refuse facts of the wrong type: durable_rules lets any string pass a numeric test."""
    for name, spec in FACTS.items():
        value = facts.get(name)
        # bool is an int subclass; an int fact must not accept True.
        if type(value) is not spec.type:
            raise TypeError(f"fact {name} must be {spec.type.__name__}, got {value!r}")
