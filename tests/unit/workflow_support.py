"""Helpers for the workflow tests: sessions for every role and cases built from decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.domain.cases import Case, TimelineEntry
from kiosk.domain.staff import Role, Session
from kiosk.domain.workflow import CaseWorkflow
from kiosk.store import InMemoryCaseRepository
from tests.conftest import FIXED_NOW

MATTER = "enterprise_establishment_registration"  # unit market, window B01


def session(role: Role, unit: str = "market", window: str | None = "B01", sid: str = "") -> Session:
    """A signed-in person of a role."""
    return Session(
        staff_id=sid or f"{role}-{unit}-{window}",
        name=f"{role}名",
        role=role,
        unit=unit,
        window=window if role in (Role.CLERK, Role.WINDOW_HEAD) else None,
        signed_in_at=FIXED_NOW.isoformat(),
    )


CLERK = session(Role.CLERK)
HEAD = session(Role.WINDOW_HEAD)
LEADER = session(Role.UNIT_LEADER)
MAIN = session(Role.MAIN_LEADER)
BUSINESS = session(Role.BUSINESS_SECTION, unit="approval")
FALLBACK = session(Role.FALLBACK_WINDOW, unit="approval")
GUIDE = session(Role.GUIDE, unit="approval")
OTHER_CLERK = session(Role.CLERK, unit="hrss", window="C01")
OTHER_HEAD = session(Role.WINDOW_HEAD, unit="hrss", window="C01")
OTHER_LEADER = session(Role.UNIT_LEADER, unit="hrss")
HRSS_CLERK = OTHER_CLERK
ADMIN = session(Role.ADMIN, unit="approval")
EVERYONE = [
    CLERK,
    HEAD,
    LEADER,
    MAIN,
    BUSINESS,
    FALLBACK,
    GUIDE,
    OTHER_CLERK,
    OTHER_HEAD,
    OTHER_LEADER,
    ADMIN,
    session(Role.PROXY, unit="approval"),
    session(Role.RULES_MAINTAINER, unit="approval"),
]


def decision(outcome: str = "grey_zone", **overrides: Any) -> dict[str, Any]:
    """A decision as build_decision makes it (only the keys the workflow reads matter)."""
    base: dict[str, Any] = {
        "outcome": outcome,
        "matter": {"id": MATTER, "name": "企业设立登记"},
        "escalate_to": None,
        "report_to": "unit_leader" if outcome == "grey_zone" else None,
        "consultation": False,
        "coordinate_with": [],
        "reply_due": "2026-12-04",
    }
    base.update(overrides)
    return base


def add_case(
    repo: InMemoryCaseRepository,
    outcome: str = "grey_zone",
    matter: str | None = MATTER,
    at_window: str | None = None,
    now: datetime = FIXED_NOW,
    **overrides: Any,
) -> Case:
    """Register a case directly in the repository."""
    at = now.isoformat(timespec="seconds")
    case = Case(
        created_at=at,
        outcome=outcome,
        request={"matter": matter, "at_window": at_window},
        decision=decision(outcome, **overrides),
        applicant={"name": "张三明", "phone": "13812345678"},
    )
    case.record(TimelineEntry(at=at, actor="自助终端", role="applicant", action="登记"))
    return repo.add(case, "HJ")


def make_workflow(
    demo: Any, repo: InMemoryCaseRepository, now: datetime = FIXED_NOW
) -> CaseWorkflow:
    """A workflow over the demo centre with a fixed clock."""
    return CaseWorkflow(repo, demo.catalogue, demo.calendar, lambda: now)
