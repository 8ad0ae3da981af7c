"""Stateful property test: random actions by random roles never reach a veto state unchained."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from kiosk.domain.cases import CaseError, CaseState
from kiosk.domain.workflow import ACTION_LABELS, CaseWorkflow
from kiosk.store import InMemoryCaseRepository
from tests.unit.workflow_support import EVERYONE, add_case, make_workflow

FIELDS: dict[str, Any] = {
    "note": "n",
    "participants": "甲、乙",
    "conclusion": "c",
    "opinion": "o",
    "text": "t",
    "units": "market",
    "reason": "r",
    "legal_basis": "b",
    "facts": "f",
    "remarks": "m",
    "progress": "p",
    "result": "x",
}
UNITS = ["market", "hrss", "tax"]
CHAIN = [
    ("request_veto", "clerk"),
    ("head_approve", "window_head"),
    ("unit_review", "unit_leader"),
    ("file", "business_section"),
]
REACHED: set[CaseState] = set()  # veto states the runs reached (checked at the end)
FILED = {CaseState.VETO_FILED, CaseState.VETO_TRACKED, CaseState.VETO_FINAL}
CASES = st.fixed_dictionaries(
    {
        "outcome": st.sampled_from(["grey_zone", "escalate", "incomplete", "redirect"]),
        "report_to": st.sampled_from(["unit_leader", "main_leader"]),
        "coordinate_with": st.lists(st.sampled_from(UNITS), unique=True, max_size=2),
        "escalate_to": st.sampled_from(["window_head", "consultation_desk", "fallback_window"]),
        "at_window": st.sampled_from([None, "B01", "C01"]),
    }
)


def chain_is_complete(case: Any) -> bool:
    """The last veto request is followed, in order, by the approval, review and filing."""
    entries = [(e.action, e.role) for e in case.timeline]
    starts = [i for i, entry in enumerate(entries) if entry == CHAIN[0]]
    if not starts:
        return False
    rest = iter(entries[starts[-1] :])
    return all(step in rest for step in CHAIN)  # subsequence, in order


class VetoMachine(RuleBasedStateMachine):
    """Drive the workflow with any action by anyone on any case."""

    demo: Any = None  # the demo centre, set by the test

    def __init__(self) -> None:
        super().__init__()
        self.repo = InMemoryCaseRepository()
        self.flow: CaseWorkflow = make_workflow(self.demo, self.repo)
        self.numbers: list[str] = []

    @initialize()
    def start(self) -> None:
        self.numbers.append(add_case(self.repo).number)

    @rule(spec=CASES)
    def register(self, spec: dict[str, Any]) -> None:
        if len(self.numbers) < 4:
            self.numbers.append(add_case(self.repo, **spec).number)

    @rule(
        data=st.data(),
        action=st.sampled_from(sorted(ACTION_LABELS)),
        who=st.sampled_from(EVERYONE),
        offered=st.booleans(),
    )
    def act(self, data: st.DataObject, action: str, who: Any, offered: bool) -> None:
        number = data.draw(st.sampled_from(self.numbers))
        case = self.repo.get(number)
        available = {a.id: a for a in self.flow.actions_for(who, case)}
        if offered and available:  # half the time, pick something the screen would offer
            action = data.draw(st.sampled_from(sorted(available)))
        fields = {name: FIELDS[name] for name in ("note", *FIELDS) if name in FIELDS}
        if action in available:
            wanted = available[action]
            fields = {n: FIELDS[n] for n in wanted.fields + wanted.optional if n in FIELDS}
            if action == "record_opinion":
                fields["unit"] = who.unit
        before = case.to_dict()
        try:
            self.flow.perform(who, number, action, **fields)
        except CaseError:
            assert self.repo.get(number).to_dict() == before
            return
        after = self.repo.get(number)
        assert action in available, f"{who.role} did {action} without it being offered"
        assert len(after.timeline) == len(before["timeline"]) + 1

    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        """Someone who has something to do does it (keeps runs moving along the chains)."""
        number = data.draw(st.sampled_from(self.numbers))
        case = self.repo.get(number)
        busy = [who for who in EVERYONE if self.flow.actions_for(who, case)]
        if busy:
            self.act(data, "", data.draw(st.sampled_from(busy)), True)

    @invariant()
    def veto_needs_the_whole_chain(self) -> None:
        for case in self.repo.list():
            if case.state in FILED:
                REACHED.add(case.state)
                assert chain_is_complete(case), case.timeline

    @invariant()
    def only_a_clerk_requests(self) -> None:
        for case in self.repo.list():
            for entry in case.timeline:
                if entry.action in dict(CHAIN):
                    assert entry.role == dict(CHAIN)[entry.action]


def test_veto_invariant(demo: Any) -> None:
    VetoMachine.demo = demo
    run_state_machine_as_test(
        VetoMachine,
        settings=settings(
            max_examples=150,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert REACHED & FILED  # the runs did walk the whole chain, not only refusals


def test_chain_check_itself() -> None:
    class Entry:
        def __init__(self, action: str, role: str) -> None:
            self.action, self.role = action, role

    class Fake:
        def __init__(self, steps: list[tuple[str, str]]) -> None:
            self.timeline = [Entry(*s) for s in steps]

    assert chain_is_complete(Fake(CHAIN))
    assert not chain_is_complete(Fake([CHAIN[1], CHAIN[0], CHAIN[2], CHAIN[3]]))
    assert not chain_is_complete(Fake(CHAIN[:3]))
    assert not chain_is_complete(Fake([*CHAIN[:2], ("head_return", "window_head"), *CHAIN[:1]]))
