"""CaseWorkflow: every transition, and who may and may not take each action."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import yaml

from kiosk.domain.cases import CaseError, CaseState
from kiosk.domain.staff import Role
from kiosk.domain.workflow import (
    CaseWorkflow,
    PermissionDenied,
    action_label,
    has_alarm,
    veto_form_fields,
)
from kiosk.store import InMemoryCaseRepository
from tests.conftest import BUNDLED_DATA, FIXED_NOW
from tests.unit.workflow_support import (
    BUSINESS,
    CLERK,
    EVERYONE,
    FALLBACK,
    GUIDE,
    HEAD,
    LEADER,
    MAIN,
    OTHER_CLERK,
    OTHER_HEAD,
    OTHER_LEADER,
    add_case,
    make_workflow,
    session,
)


@pytest.fixture
def repo() -> InMemoryCaseRepository:
    return InMemoryCaseRepository()


@pytest.fixture
def flow(demo: Any, repo: InMemoryCaseRepository) -> CaseWorkflow:
    return make_workflow(demo, repo)


def ids(flow: CaseWorkflow, who: Any, number: str, repo: InMemoryCaseRepository) -> set[str]:
    return {a.id for a in flow.actions_for(who, repo.get(number))}


def assert_refused(
    flow: CaseWorkflow, repo: InMemoryCaseRepository, who: Any, number: str, action: str, **f: Any
) -> None:
    before = repo.get(number).to_dict()
    with pytest.raises(CaseError):
        flow.perform(who, number, action, **f)
    assert repo.get(number).to_dict() == before


def test_standard_grey_zone_path(flow: CaseWorkflow, repo: InMemoryCaseRepository) -> None:
    number = add_case(repo).number
    assert ids(flow, LEADER, number, repo) == {"assess", "record_consultation"}
    assert ids(flow, CLERK, number, repo) == {"request_veto"}
    for who in (CLERK, HEAD, BUSINESS, OTHER_LEADER, FALLBACK, GUIDE):
        with pytest.raises(PermissionDenied):
            flow.perform(who, number, "assess", note="x")
    case = flow.perform(LEADER, number, "assess", note="可参照类似事项办理")
    assert case.state == CaseState.ASSESSED
    assert_refused(flow, repo, LEADER, number, "assess", note="again")
    case = flow.perform(HEAD, number, "reply", text="可以办理，请补充说明")
    assert case.state == CaseState.REPLIED
    assert case.workflow["reply"]["date"] == "2026-11-27"
    assert case.workflow["reply"]["on_time"] is True
    last = case.timeline[-1]
    assert (last.action, last.role, last.actor) == ("reply", "window_head", HEAD.who)
    assert action_label(last.action) == "答复申请人"
    assert ids(flow, BUSINESS, number, repo) == {"close"}
    assert ids(flow, HEAD, number, repo) == {"close"}  # the one who replied
    assert ids(flow, LEADER, number, repo) == set()
    with pytest.raises(PermissionDenied):
        flow.perform(LEADER, number, "close")
    assert flow.perform(BUSINESS, number, "close", note="已答复").state == CaseState.CLOSED
    assert [e.action for e in repo.get(number).timeline] == ["登记", "assess", "reply", "close"]


def test_reply_needs_assessment_and_required_fields(
    flow: CaseWorkflow, repo: InMemoryCaseRepository
) -> None:
    number = add_case(repo).number
    assert_refused(flow, repo, LEADER, number, "reply", text="x")
    flow.perform(LEADER, number, "assess", note="n")
    assert_refused(flow, repo, LEADER, number, "reply", text="  ")
    assert_refused(flow, repo, LEADER, number, "reply", text="x", colour="red")
    assert_refused(flow, repo, LEADER, number, "reply", text="x", reply_date="2026-13-01")
    assert_refused(flow, repo, LEADER, number, "reply", text="x", reply_date="2026-11-30")
    assert_refused(flow, repo, LEADER, number, "fly")


def test_late_reply_is_recorded_as_late(demo: Any, repo: InMemoryCaseRepository) -> None:
    number = add_case(repo).number
    make_workflow(demo, repo).perform(LEADER, number, "assess", note="n")
    later = make_workflow(demo, repo, FIXED_NOW + timedelta(days=10))
    case = later.perform(LEADER, number, "reply", text="答复")
    assert case.workflow["reply"]["on_time"] is False
    assert "逾期" in case.timeline[-1].note
    on_time = later.perform(LEADER, add_case(repo).number, "assess", note="n")
    case = later.perform(LEADER, on_time.number, "reply", text="t", reply_date="2026-12-04")
    assert case.workflow["reply"]["on_time"] is True


def test_major_case_alarm_until_main_leader_acknowledges(
    flow: CaseWorkflow, repo: InMemoryCaseRepository
) -> None:
    number = add_case(repo, report_to="main_leader", consultation=True).number
    assert has_alarm(repo.get(number))
    assert "acknowledge_report" in ids(flow, MAIN, number, repo)
    for who in (LEADER, HEAD, BUSINESS, session(Role.MAIN_LEADER, unit="hrss")):
        assert "acknowledge_report" not in ids(flow, who, number, repo)
        with pytest.raises(PermissionDenied):
            flow.perform(who, number, "acknowledge_report")
    flow.perform(LEADER, number, "assess", note="重大疑难")
    assert_refused(flow, repo, LEADER, number, "reply", text="x")  # not acknowledged yet
    case = flow.perform(MAIN, number, "acknowledge_report")
    assert not has_alarm(case) and case.state == CaseState.ASSESSED
    assert "acknowledge_report" not in ids(flow, MAIN, number, repo)
    case = flow.perform(
        MAIN, number, "record_consultation", participants="王局长、李科长", conclusion="可办"
    )
    assert case.state == CaseState.CONSULTATION
    assert case.workflow["consultations"][0]["participants"] == ["王局长", "李科长"]
    case = flow.perform(
        LEADER, number, "record_consultation", participants=["甲"], conclusion="再议"
    )
    assert case.state == CaseState.CONSULTATION and len(case.workflow["consultations"]) == 2
    with pytest.raises(PermissionDenied):
        flow.perform(HEAD, number, "record_consultation", participants="甲", conclusion="c")
    assert flow.perform(MAIN, number, "reply", text="可办").state == CaseState.REPLIED


def test_acknowledge_first_moves_registered_to_reported(
    flow: CaseWorkflow, repo: InMemoryCaseRepository
) -> None:
    number = add_case(repo, report_to="main_leader").number
    assert flow.perform(MAIN, number, "acknowledge_report").state == CaseState.REPORTED
    assert flow.perform(MAIN, number, "assess", note="n").state == CaseState.ASSESSED


def test_cross_department_opinions_before_reply(
    flow: CaseWorkflow, repo: InMemoryCaseRepository
) -> None:
    number = add_case(repo, coordinate_with=["hrss", "tax"]).number
    flow.perform(LEADER, number, "assess", note="征询人社、税务意见")
    assert_refused(flow, repo, LEADER, number, "reply", text="x")
    assert "record_opinion" in ids(flow, OTHER_CLERK, number, repo)
    assert "record_opinion" in ids(flow, OTHER_LEADER, number, repo)
    assert "record_opinion" not in ids(flow, CLERK, number, repo)  # market is not consulted
    with pytest.raises(PermissionDenied):
        flow.perform(OTHER_CLERK, number, "record_opinion", unit="tax", opinion="冒名")
    flow.perform(OTHER_CLERK, number, "record_opinion", unit="hrss", opinion="无异议")
    assert "record_opinion" not in ids(flow, OTHER_LEADER, number, repo)  # hrss has answered
    assert_refused(flow, repo, HEAD, number, "record_opinion", unit="hrss", opinion="again")
    case = flow.perform(HEAD, number, "record_opinion", unit="tax", opinion="同意（电话征询）")
    assert set(case.workflow["opinions"]) == {"hrss", "tax"}
    assert flow.perform(LEADER, number, "reply", text="综合意见答复").state == CaseState.REPLIED


@pytest.mark.parametrize(
    ("target", "allowed", "refused"),
    [
        ("window_head", [HEAD], [OTHER_HEAD, FALLBACK, GUIDE, LEADER, CLERK]),
        ("fallback_window", [FALLBACK], [HEAD, GUIDE, LEADER, BUSINESS]),
        ("consultation_desk", [FALLBACK, GUIDE], [HEAD, LEADER, CLERK, MAIN]),
    ],
)
def test_escalated_case_answered_by_its_target(
    flow: CaseWorkflow, repo: InMemoryCaseRepository, target: str, allowed: list, refused: list
) -> None:
    for who in allowed:
        number = add_case(repo, "escalate", at_window="B01", escalate_to=target).number
        for other in refused:
            with pytest.raises(PermissionDenied):
                flow.perform(other, number, "assess", note="n")
        assert ids(flow, who, number, repo) == {"assess"}
        flow.perform(who, number, "assess", note="牵头协调")
        assert {a.id: a.fields for a in flow.actions_for(who, repo.get(number))} == {
            "reply": ("text", "units")
        }
        assert_refused(flow, repo, who, number, "reply", text="x", units="nowhere")
        case = flow.perform(who, number, "reply", text="联合答复", units="market、tax")
        assert case.workflow["reply"]["units"] == ["market", "tax"]
        assert "汉江市市场监督管理局" in case.timeline[-1].note
        assert flow.perform(who, number, "close").state == CaseState.CLOSED


def test_incomplete_case_closed_by_clerk_or_business(
    flow: CaseWorkflow, repo: InMemoryCaseRepository
) -> None:
    number = add_case(repo, "incomplete").number
    assert ids(flow, CLERK, number, repo) == {"close", "request_veto"}
    assert ids(flow, LEADER, number, repo) == set()
    with pytest.raises(PermissionDenied):
        flow.perform(OTHER_CLERK, number, "close")
    assert flow.perform(CLERK, number, "close", note="已补齐").state == CaseState.CLOSED


VETO = {
    "reason": "不符合法定条件",
    "legal_basis": "《市场主体登记管理条例》第十条",
    "facts": "经营范围属禁止类",
}


def test_full_veto_chain_and_form(
    flow: CaseWorkflow, repo: InMemoryCaseRepository, demo: Any
) -> None:
    number = add_case(repo, at_window="B01").number
    for who in EVERYONE:
        if who is not CLERK:
            assert not {"request_veto", "refuse"} & ids(flow, who, number, repo)
    assert ids(flow, CLERK, number, repo) == {"request_veto"}  # no refuse action at all
    for who in (HEAD, LEADER, MAIN, BUSINESS):
        with pytest.raises(PermissionDenied):
            flow.perform(who, number, "request_veto", **VETO)
    with pytest.raises(PermissionDenied):
        flow.perform(OTHER_CLERK, number, "request_veto", **VETO)
    assert_refused(flow, repo, CLERK, number, "request_veto", reason="r", facts="f")
    assert flow.perform(CLERK, number, "request_veto", **VETO).state == CaseState.VETO_REQUESTED
    steps = [
        ("head_approve", HEAD, {"opinion": "同意否决"}, CaseState.VETO_HEAD_APPROVED),
        ("unit_review", LEADER, {"opinion": "审核同意"}, CaseState.VETO_UNIT_REVIEWED),
        ("file", BUSINESS, {"remarks": "已报备"}, CaseState.VETO_FILED),
        ("track", BUSINESS, {"progress": "已联系申请人"}, CaseState.VETO_TRACKED),
        ("track", BUSINESS, {"progress": "申请人改报其他事项"}, CaseState.VETO_TRACKED),
        ("final_result", BUSINESS, {"result": "已引导改办"}, CaseState.VETO_FINAL),
    ]
    proper = {action: (who, fields) for action, who, fields, _state in steps}
    chain = ["head_approve", "unit_review", "file", "final_result"]
    for action, who, fields, state in steps:
        for other in EVERYONE:
            if other is not who and action in {"head_approve", "unit_review", "file"}:
                with pytest.raises(CaseError):
                    flow.perform(other, number, action, **fields)
        later = chain[chain.index(action) + 1 :] if action in chain else []
        for skipped in later:  # no step can be skipped, even by the role that may take it
            assert_refused(flow, repo, proper[skipped][0], number, skipped, **proper[skipped][1])
        assert action in ids(flow, who, number, repo)
        assert flow.perform(who, number, action, **fields).state == state
    case = repo.get(number)
    fields = veto_form_fields(case, demo.catalogue)
    template = yaml.safe_load((BUNDLED_DATA / "receipts" / "filing_form.yaml").read_text("utf-8"))
    assert set(fields) == {item["key"] for item in template["fields"]}
    assert fields["reporting_unit"] == "汉江市市场监督管理局"
    assert fields["window"] == "11号 企业开办综合窗口"
    assert fields["clerk"] == CLERK.name and fields["applicant"] == "张三明"
    assert fields["contact"] == "13812345678" and fields["matter"] == "企业设立登记"
    assert fields["accepted_on"] == "2026-11-27" and fields["facts"] == VETO["facts"]
    assert VETO["legal_basis"] in fields["reasons"] and VETO["reason"] in fields["reasons"]
    assert fields["window_head_opinion"] == "同意否决"
    assert fields["unit_review_opinion"] == "审核同意"
    assert "已引导改办" in fields["progress"] and "已联系申请人" in fields["progress"]
    assert fields["remarks"] == "已报备"
    assert flow.actions_for(BUSINESS, case) == []


def test_head_return_sends_request_back(
    flow: CaseWorkflow, repo: InMemoryCaseRepository, demo: Any
) -> None:
    number = add_case(repo).number
    flow.perform(LEADER, number, "assess", note="n")
    flow.perform(CLERK, number, "request_veto", **VETO)
    with pytest.raises(PermissionDenied):
        flow.perform(OTHER_HEAD, number, "head_return", opinion="x")
    with pytest.raises(PermissionDenied):
        flow.perform(session(Role.WINDOW_HEAD, window="B02"), number, "head_return", opinion="x")
    case = flow.perform(HEAD, number, "head_return", opinion="再想办法")
    assert case.state == CaseState.ASSESSED
    assert case.workflow["returned_vetoes"][0]["opinion"] == "再想办法"
    with pytest.raises(CaseError):
        veto_form_fields(case, demo.catalogue)
    assert flow.perform(LEADER, number, "reply", text="可办").state == CaseState.REPLIED


def test_veto_form_before_review_leaves_blanks(
    flow: CaseWorkflow, repo: InMemoryCaseRepository, demo: Any
) -> None:
    number = add_case(repo).number
    case = flow.perform(CLERK, number, "request_veto", **VETO)
    fields = veto_form_fields(case, demo.catalogue)
    assert fields["window_head_opinion"] == fields["unit_review_opinion"] == ""
    assert fields["date"] == "2026-11-27"


def test_queues(demo: Any, repo: InMemoryCaseRepository) -> None:
    flow = CaseWorkflow(repo, demo.catalogue, demo.calendar, lambda: FIXED_NOW)
    fresh = add_case(repo, at_window="B01").number  # due 2026-12-04
    due_today = add_case(repo, reply_due="2026-11-27").number
    approaching = add_case(repo, reply_due="2026-11-30").number  # next working day (Monday)
    later = add_case(repo, reply_due="2026-12-01").number
    overdue = add_case(repo, reply_due="2026-11-20").number
    other_unit = add_case(
        repo, matter="social_security_card_application", reply_due="2026-11-20"
    ).number
    major = add_case(repo, report_to="main_leader").number
    q = flow.queues(LEADER, date(2026, 11, 27))
    numbers = lambda cases: [c.number for c in cases]  # noqa: E731
    assert set(numbers(q.mine)) == {fresh, due_today, approaching, later, overdue, major}
    assert numbers(q.due_today) == [due_today]
    assert numbers(q.approaching) == [approaching]
    assert numbers(q.overdue) == [overdue]
    assert set(numbers(q.waiting_for_me)) == set(numbers(q.mine))
    assert set(numbers(flow.queues(MAIN, date(2026, 11, 27)).waiting_for_me)) >= {major}
    business = flow.queues(BUSINESS, date(2026, 11, 27))
    assert business.mine == [] and set(numbers(business.overdue)) == {overdue, other_unit}
    assert numbers(flow.queues(OTHER_LEADER, date(2026, 11, 27)).overdue) == [other_unit]
    clerk = flow.queues(CLERK, date(2026, 11, 27))
    assert numbers(clerk.mine) == [fresh] and clerk.waiting_for_me == []
    wide = CaseWorkflow(repo, demo.catalogue, demo.calendar, lambda: FIXED_NOW, approaching_days=2)
    assert set(numbers(wide.queues(LEADER, date(2026, 11, 27)).approaching)) == {approaching, later}
    flow.perform(CLERK, overdue, "request_veto", **VETO)
    assert overdue in numbers(flow.queues(HEAD, date(2026, 11, 27)).waiting_for_me)


def test_intake_at_the_clerks_window(
    flow: CaseWorkflow, repo: InMemoryCaseRepository, demo: Any
) -> None:
    from kiosk.domain.services import ClassificationService
    from kiosk.engine.durable_classifier import DurableClassifier

    service = ClassificationService(
        demo.catalogue, DurableClassifier(demo.ruleset), demo.calendar, lambda: FIXED_NOW
    )
    request = {"matter": "enterprise_establishment_registration", "legal_basis": "unclear"}
    classification, case = flow.intake(CLERK, request, service, {"name": "李四", "phone": "1"})
    assert classification.request.at_window == "B01"
    assert case is not None and case.outcome == "grey_zone"
    entry = repo.get(case.number).timeline[0]
    assert (entry.actor, entry.role) == (CLERK.who, "clerk")
    with pytest.raises(PermissionDenied):
        flow.intake(LEADER, request, service)
    matter = demo.catalogue.matters["enterprise_establishment_registration"]
    handle = {"matter": matter.id, "conditions": {c.id: True for c in matter.conditions}}
    classification, none = flow.intake(CLERK, handle, service)
    assert classification.decision["outcome"] == "handle" and none is None
    assert repo.count() == 1


def test_old_records_without_workflow_load(repo: InMemoryCaseRepository) -> None:
    from kiosk.domain.cases import Case
    from kiosk.store.records import record_problem

    data = add_case(repo).to_dict()
    del data["workflow"]
    assert record_problem(data) is None
    assert Case.from_dict(data).workflow == {}
    assert record_problem({**data, "workflow": []}) is not None
