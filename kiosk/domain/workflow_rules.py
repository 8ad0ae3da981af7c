"""Who may do what to a case, in which state: the action table behind CaseWorkflow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.domain.cases import Case, CaseError, CaseState
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.staff import ROLE_NAMES, Role, Session

# States in which a case still waits for its reply (its deadline is watched).
PENDING = frozenset(
    {
        CaseState.REGISTERED,
        CaseState.REPORTED,
        CaseState.ASSESSED,
        CaseState.CONSULTATION,
        CaseState.VETO_REQUESTED,
        CaseState.VETO_HEAD_APPROVED,
        CaseState.VETO_UNIT_REVIEWED,
    }
)
# States from which work goes on normally (and a veto may be requested).
WORKING = frozenset(
    {CaseState.REGISTERED, CaseState.REPORTED, CaseState.ASSESSED, CaseState.CONSULTATION}
)
FINISHED = frozenset({CaseState.CLOSED, CaseState.VETO_FINAL})
# Who answers an escalated case, by decision["escalate_to"]. The consultation desk is staffed
# by guide (导办) staff, and the fallback window (办不成事反映窗口) stands behind it, so both may act.
ESCALATION_ROLES: dict[str, frozenset[Role]] = {
    "window_head": frozenset({Role.WINDOW_HEAD}),
    "fallback_window": frozenset({Role.FALLBACK_WINDOW}),
    "consultation_desk": frozenset({Role.FALLBACK_WINDOW, Role.GUIDE}),
}


class PermissionDenied(CaseError):
    """The signed-in role may not take this action on this case."""


@dataclass(frozen=True)
class Action:
    """An action a screen may offer: its id, its Chinese label and the fields it needs."""

    id: str
    label: str
    fields: tuple[str, ...] = ()
    optional: tuple[str, ...] = ("note",)


@dataclass(frozen=True)
class Context:
    """What an action needs besides the case and the person."""

    catalogue: Catalogue
    today: date


# (case) -> None when the action applies, else why not (Chinese).
Applies = Callable[[Case], str | None]
Permits = Callable[[Session, Case, Catalogue], bool]
# (case, session, fields, context) -> (new state or None, timeline note); mutates case.workflow.
Apply = Callable[[Case, Session, dict[str, Any], Context], tuple[CaseState | None, str]]


@dataclass(frozen=True)
class Rule:
    """One action: when it applies, who may take it, what it does."""

    action: Action
    applies: Applies
    permits: Permits
    apply: Apply
    escalate_fields: tuple[str, ...] | None = None  # other required fields on escalated cases

    def action_for(self, case: Case) -> Action:
        """The action as offered for this case (required fields may depend on the outcome)."""
        if self.escalate_fields is not None and case.outcome == "escalate":
            return Action(self.action.id, self.action.label, self.escalate_fields)
        return self.action


def case_unit(case: Case, catalogue: Catalogue) -> str | None:
    """The unit responsible for a case: that of the window it was made at, else of its matter."""
    window = catalogue.windows.get(case.request.get("at_window") or "")
    if window is not None:
        return window.unit
    matter = catalogue.matters.get(case.matter_id or "")
    return matter.unit if matter is not None else None


def is_major(case: Case) -> bool:
    """A major or difficult grey-zone case: the main leader must be told the same day."""
    return case.decision.get("report_to") == "main_leader"


def has_alarm(case: Case) -> bool:
    """A major case shows an alarm until the main leader acknowledges the report."""
    return is_major(case) and not case.workflow.get("report_acknowledged")


def pending_opinions(case: Case) -> list[str]:
    """Units named in coordinate_with that have not yet given their opinion."""
    given = case.workflow.get("opinions", {})
    return [unit for unit in case.decision.get("coordinate_with") or [] if unit not in given]


def _same_unit(session: Session, case: Case, catalogue: Catalogue) -> bool:
    unit = case_unit(case, catalogue)
    return unit is None or session.unit == unit


def _roles(*roles: Role, same_unit: bool = True) -> Permits:
    def permits(session: Session, case: Case, catalogue: Catalogue) -> bool:
        if session.role not in roles:
            return False
        return not same_unit or _same_unit(session, case, catalogue)

    return permits


def _text(fields: dict[str, Any], name: str) -> str:
    return str(fields.get(name) or "").strip()


def _names(value: Any) -> list[str]:
    """A list of names from a list or a text separated by 、，, or spaces."""
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "")
    for separator in "、，,;；":
        text = text.replace(separator, " ")
    return text.split()


# ---- grey zone and escalation ----------------------------------------------------------------


def _grey_or_escalate(states: frozenset[CaseState]) -> Applies:
    def applies(case: Case) -> str | None:
        if case.outcome not in ("grey_zone", "escalate"):
            return "只有模糊地带或需协调的案件有此操作"
        return None if case.state in states else f"案件当前状态（{case.state}）不能进行此操作"

    return applies


def _grey(states: frozenset[CaseState], check: Applies | None = None) -> Applies:
    def applies(case: Case) -> str | None:
        if case.outcome != "grey_zone":
            return "只有模糊地带案件有此操作"
        if case.state not in states:
            return f"案件当前状态（{case.state}）不能进行此操作"
        return check(case) if check else None

    return applies


def _handler(session: Session, case: Case, catalogue: Catalogue) -> bool:
    """Who assesses and replies: the leaders of the unit (grey zone) or the escalation target."""
    if case.outcome == "escalate":
        roles = ESCALATION_ROLES.get(case.decision.get("escalate_to") or "", frozenset())
        if session.role not in roles:
            return False
        return session.role != Role.WINDOW_HEAD or _same_unit(session, case, catalogue)
    return _roles(Role.UNIT_LEADER, Role.MAIN_LEADER)(session, case, catalogue)


def _assess(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    note = _text(fields, "note")
    case.workflow["assessment"] = {"by": session.who, "on": ctx.today.isoformat(), "note": note}
    return CaseState.ASSESSED, note


def _acknowledge(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    case.workflow["report_acknowledged"] = {"by": session.who, "on": ctx.today.isoformat()}
    new = CaseState.REPORTED if case.state == CaseState.REGISTERED else None
    return new, _text(fields, "note") or "已知悉重大疑难事项报告"


def _consultation(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    participants = _names(fields.get("participants"))
    conclusion = _text(fields, "conclusion")
    case.workflow.setdefault("consultations", []).append(
        {"on": ctx.today.isoformat(), "participants": participants, "conclusion": conclusion}
    )
    new = None if case.state == CaseState.CONSULTATION else CaseState.CONSULTATION
    return new, f"专项会商（{'、'.join(participants)}）：{conclusion}"


def _opinion_permits(session: Session, case: Case, catalogue: Catalogue) -> bool:
    if session.role == Role.WINDOW_HEAD:
        return _same_unit(session, case, catalogue)
    return session.role in (Role.UNIT_LEADER, Role.CLERK) and session.unit in pending_opinions(case)


def _opinion(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    unit = _text(fields, "unit")
    if session.role != Role.WINDOW_HEAD and unit != session.unit:
        raise PermissionDenied(f"{session.role_name}只能登记本单位的意见")
    if unit not in pending_opinions(case):
        raise CaseError(f"单位 {unit} 不在待征询意见的单位之列")
    opinion = _text(fields, "opinion")
    case.workflow.setdefault("opinions", {})[unit] = {
        "opinion": opinion,
        "by": session.who,
        "on": ctx.today.isoformat(),
    }
    name = ctx.catalogue.units[unit].name if unit in ctx.catalogue.units else unit
    return None, f"{name}意见：{opinion}"


def _can_reply(case: Case) -> str | None:
    if case.outcome == "grey_zone" and has_alarm(case):
        return "重大疑难事项须先由主要领导知悉后才能答复"
    missing = pending_opinions(case)
    if missing:
        return f"还需征询这些单位的意见：{'、'.join(missing)}"
    return None


def _reply_permits(session: Session, case: Case, catalogue: Catalogue) -> bool:
    if case.outcome == "escalate":
        return _handler(session, case, catalogue)
    return _roles(Role.UNIT_LEADER, Role.MAIN_LEADER, Role.WINDOW_HEAD)(session, case, catalogue)


def _reply(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    raw = _text(fields, "reply_date")
    try:
        day = date.fromisoformat(raw) if raw else ctx.today
    except ValueError:
        raise CaseError(f"答复日期格式不正确：{raw}") from None
    if day > ctx.today or day < case.day:
        raise CaseError(f"答复日期 {day} 不能早于登记日或晚于今天")
    due = case.reply_due
    on_time = None if due is None else day <= date.fromisoformat(due)
    reply: dict[str, Any] = {
        "text": _text(fields, "text"),
        "date": day.isoformat(),
        "by_id": session.staff_id,
        "by": session.who,
        "due": due,
        "on_time": on_time,
    }
    note = reply["text"]
    if case.outcome == "escalate":
        units = _names(fields.get("units"))
        unknown = [u for u in units if u not in ctx.catalogue.units]
        if unknown:
            raise CaseError(f"未知单位：{'、'.join(unknown)}")
        reply["units"] = units
        note = f"联合{'、'.join(ctx.catalogue.units[u].name for u in units)}答复：{note}"
    case.workflow["reply"] = reply
    timing = "" if on_time is None else ("（按时）" if on_time else "（逾期）")
    return CaseState.REPLIED, f"{note}{timing}"


def _close_applies(case: Case) -> str | None:
    if case.state == CaseState.REPLIED:
        return None
    if case.state == CaseState.REGISTERED and case.outcome in ("incomplete", "redirect"):
        return None
    return f"案件当前状态（{case.state}）不能办结"


def _close_permits(session: Session, case: Case, catalogue: Catalogue) -> bool:
    if session.role == Role.BUSINESS_SECTION:
        return True
    if case.state == CaseState.REPLIED:
        return case.workflow.get("reply", {}).get("by_id") == session.staff_id
    return _roles(Role.CLERK, Role.WINDOW_HEAD)(session, case, catalogue)


def _close(case: Case, session: Session, fields: dict[str, Any], ctx: Context) -> Any:
    case.workflow["closed"] = {"by": session.who, "on": ctx.today.isoformat()}
    return CaseState.CLOSED, _text(fields, "note")


RULES_GREY: tuple[Rule, ...] = (
    Rule(
        Action("assess", "研判", ("note",), ()),
        _grey_or_escalate(frozenset({CaseState.REGISTERED, CaseState.REPORTED})),
        _handler,
        _assess,
    ),
    Rule(
        Action("acknowledge_report", "知悉重大事项报告"),
        _grey(WORKING, lambda c: None if has_alarm(c) else "没有待知悉的重大事项报告"),
        _roles(Role.MAIN_LEADER),
        _acknowledge,
    ),
    Rule(
        Action("record_consultation", "登记专项会商", ("participants", "conclusion")),
        _grey(WORKING),
        _roles(Role.MAIN_LEADER, Role.UNIT_LEADER),
        _consultation,
    ),
    Rule(
        Action("record_opinion", "登记相关单位意见", ("unit", "opinion")),
        _grey(WORKING, lambda c: None if pending_opinions(c) else "没有待征询意见的单位"),
        _opinion_permits,
        _opinion,
    ),
    Rule(
        Action("reply", "答复申请人", ("text",), ("reply_date", "note")),
        lambda c: (
            _grey_or_escalate(frozenset({CaseState.ASSESSED, CaseState.CONSULTATION}))(c)
            or _can_reply(c)
        ),
        _reply_permits,
        _reply,
        escalate_fields=("text", "units"),
    ),
    Rule(Action("close", "办结"), _close_applies, _close_permits, _close),
)


def check_fields(action: Action, fields: dict[str, Any]) -> dict[str, Any]:
    """Keep the known fields; every required one must be non-empty.

    Raises:
        CaseError: A required field is missing or empty, or an unknown field is given.
    """
    unknown = sorted(set(fields) - set(action.fields) - set(action.optional))
    if unknown:
        raise CaseError(f"“{action.label}”没有这些栏目：{'、'.join(unknown)}")
    empty = [name for name in action.fields if not _names(fields.get(name))]
    if empty:
        raise CaseError(f"“{action.label}”必须填写：{'、'.join(empty)}")
    return dict(fields)


def denied(session: Session, action: Action, case: Case) -> PermissionDenied:
    """The refusal for a role that may not take an action."""
    return PermissionDenied(
        f"{ROLE_NAMES[session.role]}{session.name}无权对案件 {case.number} 进行“{action.label}”"
    )
