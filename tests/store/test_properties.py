"""Property: any sequence of adds and updates leaves both repositories showing the same cases."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.cases import Case, CaseState, TimelineEntry
from kiosk.domain.ports import CaseNotFoundError, CaseRepository
from kiosk.store import InMemoryCaseRepository, TinyDbCaseRepository

DAYS = [date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1), date(2027, 1, 1)]
# Chinese, ASCII, quotes, backslashes, newlines, astral characters: what JSON must carry.
TEXT = st.text(alphabet=st.sampled_from("张三李四测试灰色地带 abc\"'\\\n\t/😀\u3000"), max_size=12)
JSON_LEAF = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False) | TEXT
)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)

add_op = st.tuples(
    st.just("add"),
    st.sampled_from(DAYS),
    st.sampled_from(["+08:00", "-05:00", "+00:00"]),
    st.sampled_from(["HJ", "AK"]),
    st.dictionaries(TEXT, JSON, max_size=3),
)
update_op = st.tuples(
    st.just("update"),
    st.integers(0, 50),  # which earlier case (modulo how many there are)
    st.sampled_from(list(CaseState)),
    TEXT,
    st.dictionaries(TEXT, JSON, max_size=3),
)
unknown_op = st.tuples(st.just("unknown"), st.sampled_from(DAYS), st.integers(1, 99))
OPERATIONS = st.lists(st.one_of(add_op, update_op, unknown_op), max_size=25)


def _apply(repo: CaseRepository, operations: list[tuple[Any, ...]]) -> list[Any]:
    """Run the operations; return what each one returned or raised, for comparison."""
    outcomes: list[Any] = []
    added: list[str] = []
    for op in operations:
        if op[0] == "add":
            _, day, offset, centre, request = op
            case = Case(
                created_at=f"{day.isoformat()}T09:15:00{offset}",
                outcome="grey_zone",
                request=request,
                decision={"outcome": "grey_zone"},
                applicant={"name": "张三"},
            )
            added.append(repo.add(case, centre).number)
            outcomes.append(added[-1])
        elif op[0] == "update" and added:
            _, which, state, note, decision = op
            case = repo.get(added[which % len(added)])
            case.state = state
            case.decision = decision
            case.record(
                TimelineEntry(at=case.created_at, actor="李四", role="窗口", action="改", note=note)
            )
            repo.update(case)
            outcomes.append(("updated", case.number))
        elif op[0] == "unknown":
            _, day, seq = op
            number = f"ZZ-{day:%Y%m%d}-{seq:04d}"
            try:
                repo.update(Case("2026-11-27T09:00:00+08:00", "x", {}, {}, number=number))
            except CaseNotFoundError:
                outcomes.append(("not found", number))
    return outcomes


def _visible(repo: CaseRepository) -> dict[str, Any]:
    """Everything a caller can observe."""
    everything = [case.to_dict() for case in repo.list()]
    return {
        "all": everything,
        "count": repo.count(),
        "by_get": [repo.get(case["number"]).to_dict() for case in everything],
        "ranges": [
            [case.number for case in repo.list(since, until)]
            for since, until in [(DAYS[1], DAYS[2]), (None, DAYS[0]), (DAYS[3], None)]
        ],
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_tinydb_and_memory_repositories_agree(operations: list[tuple[Any, ...]]) -> None:
    memory = InMemoryCaseRepository()
    with tempfile.TemporaryDirectory() as directory:
        tiny = TinyDbCaseRepository(Path(directory) / "store", chunk_size=3)

        assert _apply(tiny, operations) == _apply(memory, operations)
        assert _visible(tiny) == _visible(memory)
        assert _visible(TinyDbCaseRepository(Path(directory) / "store")) == _visible(memory)
