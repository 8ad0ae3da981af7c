"""CaseWorkflow: the only way staff change cases; permissions are checked here, not in screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.domain.calendar import WorkingCalendar
from kiosk.domain.cases import Case, CaseError, TimelineEntry
from kiosk.domain.catalogue import Catalogue
from kiosk.domain.ports import CaseRepository
from kiosk.domain.services import CaseService, Classification, ClassificationService
from kiosk.domain.staff import Role, Session
from kiosk.domain.workflow_rules import (
    FINISHED,
    PENDING,
    RULES_GREY,
    Action,
    Context,
    PermissionDenied,
    Rule,
    case_unit,
    check_fields,
    denied,
    has_alarm,
    is_major,
    pending_opinions,
)
from kiosk.domain.workflow_veto import RULES_VETO, veto_form_fields

__all__ = [
    "ACTION_LABELS",
    "Action",
    "CaseWorkflow",
    "PermissionDenied",
    "Queues",
    "action_label",
    "case_unit",
    "has_alarm",
    "is_major",
    "pending_opinions",
    "veto_form_fields",
]

RULES: dict[str, Rule] = {rule.action.id: rule for rule in RULES_GREY + RULES_VETO}
ACTION_LABELS: dict[str, str] = {rule_id: rule.action.label for rule_id, rule in RULES.items()}
# Actions that are a person's own choice, not a duty: they do not put a case in anyone's queue.
OPTIONAL_ACTIONS = frozenset({"request_veto", "record_consultation"})
# Actions that are a decision this person owes: the "waiting for my decision" queue.
DECISIONS = frozenset(
    {
        "assess",
        "acknowledge_report",
        "record_opinion",
        "reply",
        "head_approve",
        "head_return",
        "unit_review",
        "file",
    }
)
# Who may take requests at a window or desk (window intake).
FRONT_DESK = frozenset({Role.CLERK, Role.WINDOW_HEAD, Role.FALLBACK_WINDOW, Role.GUIDE, Role.PROXY})


def action_label(action: str) -> str:
    """The Chinese label of a timeline action id (other entries, like 登记, are shown as is)."""
    return ACTION_LABELS.get(action, action)


@dataclass
class Queues:
    """One person's work lists; each holds cases oldest first."""

    mine: list[Case] = field(default_factory=list)
    due_today: list[Case] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)
    waiting_for_me: list[Case] = field(default_factory=list)
    approaching: list[Case] = field(default_factory=list)


class CaseWorkflow:
    """Staff actions on cases, each checked, recorded in the timeline and saved."""

    def __init__(
        self,
        repository: CaseRepository,
        catalogue: Catalogue,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
        approaching_days: int = 1,
        horizon_days: int = 400,
    ) -> None:
        """Wire the workflow.

        Args:
            repository: Where cases live.
            catalogue: The centre pack (units, windows, matters).
            calendar: Working days, for "approaching its due date".
            clock: The current time (timezone-aware).
            approaching_days: Working days before the due date a case is flagged.
            horizon_days: How far back the queues look for open cases.
        """
        self.repository = repository
        self.catalogue = catalogue
        self.calendar = calendar
        self._clock = clock
        self.approaching_days = approaching_days
        self.horizon_days = horizon_days

    def actions_for(self, session: Session, case: Case) -> list[Action]:
        """The actions this person may take on this case now (and nothing else).

        Args:
            session: The signed-in staff member.
            case: The case as shown.

        Returns:
            The actions, in workflow order.
        """
        return [
            rule.action_for(case)
            for rule in RULES.values()
            if rule.applies(case) is None and rule.permits(session, case, self.catalogue)
        ]

    def perform(self, session: Session, number: str, action_id: str, **fields: Any) -> Case:
        """Take an action on a stored case, record it and save it.

        Args:
            session: The signed-in staff member.
            number: The case number.
            action_id: One of the ids listed by :meth:`actions_for`.
            **fields: The action's fields (see ``Action.fields`` and ``Action.optional``).

        Returns:
            The case as saved.

        Raises:
            PermissionDenied: This role (or person) may not take the action on this case.
            CaseError: The action does not exist, does not apply in the case's state, or a
                field is missing or wrong. Nothing is saved then.
            CaseNotFoundError: No case has this number.
        """
        case = self.repository.get(number)  # a fresh copy: a refusal below changes nothing
        rule = RULES.get(action_id)
        if rule is None:
            raise CaseError(f"未知操作：{action_id}")
        action = rule.action_for(case)
        why_not = rule.applies(case)
        if why_not is not None:
            raise CaseError(f"案件 {case.number} 不能“{action.label}”：{why_not}")
        if not rule.permits(session, case, self.catalogue):
            raise denied(session, action, case)
        values = check_fields(action, fields)
        now = self._clock()
        new_state, note = rule.apply(case, session, values, Context(self.catalogue, now.date()))
        extra = str(values.get("note") or "").strip()
        if extra and extra != note:
            note = f"{note}（{extra}）" if note else extra
        entry = TimelineEntry(
            at=now.isoformat(timespec="seconds"),
            actor=session.who,
            role=str(session.role),
            action=action.id,
            note=note,
        )
        if new_state is None or new_state == case.state:
            case.record(entry)
        else:
            case.move_to(new_state, entry)
        self.repository.update(case)
        return case

    def intake(
        self,
        session: Session,
        request_data: dict[str, Any],
        classification_service: ClassificationService,
        applicant: dict[str, str] | None = None,
    ) -> tuple[Classification, Case | None]:
        """Classify a request made at this person's window; register a case unless `handle`.

        Args:
            session: The clerk (or other front-desk staff) taking the request.
            request_data: The request as for ``kiosk classify`` (``at_window`` is overwritten).
            classification_service: The classifier service.
            applicant: The applicant's name and phone, if given.

        Returns:
            The classification and the registered case (None for a plain `handle`).

        Raises:
            PermissionDenied: The role does not take requests.
            RequestError: The request data is malformed.
        """
        self.check_intake(session)
        data = dict(request_data)
        data["at_window"] = session.window
        classification = classification_service.classify(data)
        if not classification.needs_case:
            return classification, None
        return classification, self.register_intake(session, classification, applicant)

    def check_intake(self, session: Session) -> None:
        """Raise PermissionDenied unless this person takes requests at a window or desk."""
        if session.role not in FRONT_DESK:
            raise PermissionDenied(f"{session.role_name}不在窗口受理申请")

    def register_intake(
        self,
        session: Session,
        classification: Classification,
        applicant: dict[str, str] | None = None,
    ) -> Case:
        """Register the case of a request this person took (the screens' path to intake)."""
        self.check_intake(session)
        service = CaseService(self.repository, self.catalogue, self._clock)
        return service.register(classification, applicant, session.who, str(session.role))

    def queues(self, session: Session, today: date | None = None) -> Queues:
        """This person's work lists.

        ``mine`` holds open cases the person must act on (and, for a clerk, every open case taken
        at their window); ``waiting_for_me`` those needing their decision. The deadline lists
        hold cases still waiting for their reply: among the person's own, plus every overdue case
        of their unit for a unit leader, and every overdue case for the business section.

        Args:
            session: The signed-in staff member.
            today: The day to judge deadlines by (default: the clock's).

        Returns:
            The queues.
        """
        today = today or self._clock().date()
        limit = today
        for _ in range(self.approaching_days):
            limit = self.calendar.next_working_day(limit + timedelta(days=1))
        queues = Queues()
        since = today - timedelta(days=self.horizon_days)
        for case in self.repository.list(since=since):
            if case.state in FINISHED:
                continue
            ids = {a.id for a in self.actions_for(session, case)}
            own = bool(ids - OPTIONAL_ACTIONS) or (
                session.role == Role.CLERK
                and session.window is not None
                and case.request.get("at_window") == session.window
            )
            if own:
                queues.mine.append(case)
            if ids & DECISIONS:
                queues.waiting_for_me.append(case)
            due = case.reply_due
            if due is None or case.state not in PENDING:
                continue
            due_day = date.fromisoformat(due)
            if due_day < today and (own or self._flag_overdue(session, case)):
                queues.overdue.append(case)
            elif own and due_day == today:
                queues.due_today.append(case)
            elif own and due_day <= limit:
                queues.approaching.append(case)
        return queues

    def _flag_overdue(self, session: Session, case: Case) -> bool:
        if session.role == Role.BUSINESS_SECTION:
            return True
        return session.role == Role.UNIT_LEADER and case_unit(case, self.catalogue) == session.unit
