"""Unmasking is for permitted roles only and audited; purging keeps the statistics."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.domain.privacy import PURGE, REVEAL, purge_personal_data, reveal_contact
from kiosk.domain.services import CaseService, ClassificationService
from kiosk.domain.staff import Role, Session
from kiosk.domain.statistics import compute_statistics
from kiosk.domain.workflow import PermissionDenied
from kiosk.engine.checker import LoadedData
from kiosk.engine.durable_classifier import DurableClassifier
from kiosk.store import InMemoryCaseRepository

from ..conftest import FIXED_NOW


def clock():  # type: ignore[no-untyped-def]
    return FIXED_NOW


@pytest.fixture
def repo_with_case(demo: LoadedData):  # type: ignore[no-untyped-def]
    repo = InMemoryCaseRepository()
    service = ClassificationService(
        demo.catalogue, DurableClassifier(demo.ruleset), demo.calendar, clock
    )
    result = service.classify(
        {"matter": None, "description": "我家楼下的违建没人管", "legal_basis": "unclear"}
    )
    case = CaseService(repo, demo.catalogue, clock).register(
        result, {"name": "张小明", "phone": "13812345678"}
    )
    return repo, case


def who(role: Role) -> Session:
    return Session("s1", "某人", role, "approval", None, FIXED_NOW.isoformat())


@pytest.mark.parametrize("role", list(Role))
def test_only_permitted_roles_see_the_contact_and_each_look_is_audited(
    repo_with_case, role: Role
) -> None:  # type: ignore[no-untyped-def]
    repo, case = repo_with_case
    allowed = role not in (Role.ADMIN, Role.RULES_MAINTAINER)
    if allowed:
        assert reveal_contact(repo, who(role), case.number, clock)["phone"] == "13812345678"
        entry = repo.get(case.number).timeline[-1]
        assert entry.action == REVEAL and entry.role == str(role)
    else:
        with pytest.raises(PermissionDenied):
            reveal_contact(repo, who(role), case.number, clock)
        assert repo.get(case.number).timeline[-1].action != REVEAL


def test_purge_removes_personal_data_but_keeps_statistics(repo_with_case, demo: LoadedData) -> None:  # type: ignore[no-untyped-def]
    repo, case = repo_with_case
    day = FIXED_NOW.date()
    before = compute_statistics(repo.list(), demo.catalogue, day, day, day)
    assert purge_personal_data(repo, day, clock) == 0  # created today: kept
    assert purge_personal_data(repo, day + timedelta(days=1), clock) == 1
    purged = repo.get(case.number)
    assert purged.applicant == {} and "违建" not in str(purged.request)
    assert purged.timeline[-1].action == PURGE
    after = compute_statistics(repo.list(), demo.catalogue, day, day, day)
    assert after.total == before.total and after.by_outcome == before.by_outcome
    assert purge_personal_data(repo, date(2030, 1, 1), clock) == 0  # nothing left to purge
