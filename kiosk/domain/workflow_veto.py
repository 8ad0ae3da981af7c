"""The veto chain of notice 三(四): request, window head, unit review, filing, tracking, result."""

from __future__ import annotations

from typing import Any

from kiosk.domain.cases import Case, CaseError, CaseState
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.staff import Role, Session
from kiosk.domain.workflow_rules import (
    WORKING,
    Action,
    Applies,
    Context,
    Rule,
    _roles,
    _text,
)


def _in(*states: CaseState) -> Applies:
    def applies(case: Case) -> str | None:
        return None if case.state in states else f"案件当前状态（{case.state}）不能进行此操作"

    return applies


def _veto(case: Case) -> dict[str, Any]:
    veto: dict[str, Any] = case.workflow["veto"]
    return veto


def _head_permits(session: Session, case: Case, catalogue: Catalogue) -> bool:
    """The window head of the requesting clerk's unit (and window, when both have one)."""
    veto = case.workflow.get("veto") or {}
    if session.role != Role.WINDOW_HEAD or session.unit != veto.get("unit"):
        return False
    return not (session.window and veto.get("window")) or session.window == veto["window"]


def _unit_permits(session: Session, case: Case, catalogue: Catalogue) -> bool:
    veto = case.workflow.get("veto") or {}
    return session.role == Role.UNIT_LEADER and session.unit == veto.get("unit")


def _request(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    case.workflow["veto"] = {
        "requested_by": session.staff_id,
        "clerk": session.name,
        "unit": session.unit,
        "window": session.window,
        "requested_on": ctx.today.isoformat(),
        "from_state": str(case.state),
        "reasons": _text(fields, "reason"),
        "legal_basis": _text(fields, "legal_basis"),
        "facts": _text(fields, "facts"),
    }
    return CaseState.VETO_REQUESTED, f"请示否决：{_text(fields, 'reason')}"


def _head_approve(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    opinion = _text(fields, "opinion")
    _veto(case).update(window_head=session.who, window_head_opinion=opinion)
    return CaseState.VETO_HEAD_APPROVED, opinion


def _head_return(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    opinion = _text(fields, "opinion")
    veto = case.workflow.pop("veto")
    veto.update(returned_by=session.who, returned_on=ctx.today.isoformat(), opinion=opinion)
    case.workflow.setdefault("returned_vetoes", []).append(veto)
    return CaseState(veto["from_state"]), f"退回：{opinion}"


def _unit_review(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    opinion = _text(fields, "opinion")
    _veto(case).update(unit_reviewer=session.who, unit_review_opinion=opinion)
    return CaseState.VETO_UNIT_REVIEWED, opinion


def _file(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    remarks = _text(fields, "remarks")
    _veto(case).update(filed_by=session.who, filed_on=ctx.today.isoformat(), remarks=remarks)
    return CaseState.VETO_FILED, remarks or "否决事项报备登记表已报备"


def _track(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    progress = _text(fields, "progress")
    _veto(case).setdefault("tracking", []).append(
        {"on": ctx.today.isoformat(), "by": session.who, "progress": progress}
    )
    new = None if case.state == CaseState.VETO_TRACKED else CaseState.VETO_TRACKED
    return new, progress


def _final(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    result = _text(fields, "result")
    _veto(case)["final"] = {"on": ctx.today.isoformat(), "by": session.who, "result": result}
    return CaseState.VETO_FINAL, result


_BUSINESS = _roles(Role.BUSINESS_SECTION, same_unit=False)

RULES_VETO: tuple[Rule, ...] = (
    Rule(
        Action("request_veto", "请示否决", ("reason", "legal_basis", "facts")),
        _in(*WORKING),
        _roles(Role.CLERK),
        _request,
    ),
    Rule(
        Action("head_approve", "窗口负责人同意", ("opinion",)),
        _in(CaseState.VETO_REQUESTED),
        _head_permits,
        _head_approve,
    ),
    Rule(
        Action("head_return", "窗口负责人退回", ("opinion",)),
        _in(CaseState.VETO_REQUESTED),
        _head_permits,
        _head_return,
    ),
    Rule(
        Action("unit_review", "所属单位审核", ("opinion",)),
        _in(CaseState.VETO_HEAD_APPROVED),
        _unit_permits,
        _unit_review,
    ),
    Rule(
        Action("file", "报备登记", (), ("remarks", "note")),
        _in(CaseState.VETO_UNIT_REVIEWED),
        _BUSINESS,
        _file,
    ),
    Rule(
        Action("track", "跟踪办理情况", ("progress",)),
        _in(CaseState.VETO_FILED, CaseState.VETO_TRACKED),
        _BUSINESS,
        _track,
    ),
    Rule(
        Action("final_result", "登记最终结果", ("result",)),
        _in(CaseState.VETO_FILED, CaseState.VETO_TRACKED),
        _BUSINESS,
        _final,
    ),
)


def veto_form_fields(case: Case, catalogue: Catalogue) -> dict[str, str]:
    """The 否决事项报备登记表 of a case, keyed as ``compose_filing_form`` expects.

    Fields not reached yet (e.g. the unit's opinion before its review) are empty strings, so the
    printed form leaves room to write them by hand.

    Raises:
        CaseError: No veto has been requested for the case (or it was sent back).
    """
    veto = case.workflow.get("veto")
    if not veto:
        raise CaseError(f"案件 {case.number} 没有否决请示")
    unit = catalogue.units.get(veto.get("unit") or "")
    window = catalogue.windows.get(veto.get("window") or "")
    matter = case.decision.get("matter") or {}
    reasons = veto.get("reasons", "")
    if veto.get("legal_basis"):
        reasons = f"{reasons}\n依据：{veto['legal_basis']}"
    progress = [f"{t['on']} {t['progress']}" for t in veto.get("tracking", [])]
    if veto.get("final"):
        progress.append(f"{veto['final']['on']} 最终结果：{veto['final']['result']}")
    return {
        "case_number": case.number,
        "reporting_unit": unit.name if unit else str(veto.get("unit") or ""),
        "date": veto.get("filed_on") or veto.get("requested_on", ""),
        "window": f"{window.number}号 {window.name}" if window else "",
        "clerk": veto.get("clerk", ""),
        "applicant": case.applicant.get("name", ""),
        "contact": case.applicant.get("phone", ""),
        "matter": matter.get("name") or str(case.request.get("description") or ""),
        "accepted_on": case.day.isoformat(),
        "facts": veto.get("facts", ""),
        "reasons": reasons,
        "window_head_opinion": veto.get("window_head_opinion", ""),
        "unit_review_opinion": veto.get("unit_review_opinion", ""),
        "progress": "\n".join(progress),
        "remarks": veto.get("remarks", ""),
    }
