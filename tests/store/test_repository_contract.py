"""The CaseRepository contract, run against the in-memory and the TinyDB repository alike."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from kiosk.domain.cases import CaseState, TimelineEntry
from kiosk.domain.ports import CaseNotFoundError, CaseRepository
from tests.store.conftest import Backend
from tests.store.support import make_case, on_day

ENTRY = TimelineEntry(at="2026-11-27T11:00:00+08:00", actor="李四", role="评估员", action="评估")


def numbers(repo: CaseRepository, since: date | None = None, until: date | None = None) -> list:
    """Numbers listed for a range, in listed order."""
    return [case.number for case in repo.list(since, until)]


def test_add_numbers_per_centre_and_day(repo: CaseRepository) -> None:
    first = repo.add(make_case(), "HJ")
    second = repo.add(make_case(), "HJ")
    other_day = repo.add(on_day("2026-11-28"), "HJ")
    other_centre = repo.add(make_case(), "AK")
    third = repo.add(make_case(), "HJ")

    assert first.number == "HJ-20261127-0001"
    assert second.number == "HJ-20261127-0002"
    assert other_day.number == "HJ-20261128-0001"
    assert other_centre.number == "AK-20261127-0001"
    assert third.number == "HJ-20261127-0003"


def test_add_sets_the_number_on_the_same_case_and_returns_it(repo: CaseRepository) -> None:
    case = make_case()

    returned = repo.add(case, "HJ")

    assert returned is case
    assert case.number == "HJ-20261127-0001"


def test_add_replaces_a_number_the_case_already_had(repo: CaseRepository) -> None:
    case = make_case(number="XX-20000101-0042")

    repo.add(case, "HJ")

    assert case.number == "HJ-20261127-0001"
    with pytest.raises(CaseNotFoundError):
        repo.get("XX-20000101-0042")


def test_day_is_the_local_date_of_created_at(repo: CaseRepository) -> None:
    # 23:30 at -05:00 is already the next day in UTC; the number keeps the local date.
    case = repo.add(make_case("2026-11-27T23:30:00-05:00"), "HJ")

    assert case.number == "HJ-20261127-0001"
    assert numbers(repo, date(2026, 11, 27), date(2026, 11, 27)) == [case.number]


def test_added_case_is_durable_and_reads_back_equal(backend: Backend) -> None:
    case = backend.repo.add(make_case(timeline=[ENTRY]), "HJ")

    stored = backend.reopen().get(case.number)

    assert stored.to_dict() == case.to_dict()
    assert stored.applicant["name"] == "张三"
    assert stored.request["description"] == "测试"
    assert stored.timeline == [ENTRY]
    assert stored.state is CaseState.REGISTERED


def test_get_returns_fresh_objects(repo: CaseRepository) -> None:
    case = repo.add(make_case(), "HJ")

    first = repo.get(case.number)
    first.request["description"] = "改过"
    first.record(ENTRY)

    assert repo.get(case.number).to_dict() == case.to_dict()
    assert repo.get(case.number) is not repo.get(case.number)


def test_changes_to_the_callers_case_need_update(repo: CaseRepository) -> None:
    case = repo.add(make_case(), "HJ")

    case.request["description"] = "没有保存"
    case.record(ENTRY)

    stored = repo.get(case.number)
    assert stored.request["description"] == "测试"
    assert stored.timeline == []


@pytest.mark.parametrize(
    "number",
    [
        "HJ-20261127-0099",
        "HJ-20261128-0001",
        "AK-20261127-0001",
        "HJ-20261127-00001",  # parses to sequence 1, but is not that case's number
        "nonsense",
        "",
        "HJ-2026-1",
    ],
)
def test_get_unknown_number_raises(repo: CaseRepository, number: str) -> None:
    repo.add(make_case(), "HJ")

    with pytest.raises(CaseNotFoundError):
        repo.get(number)


def test_update_replaces_the_stored_case(backend: Backend) -> None:
    repo = backend.repo
    case = repo.add(make_case(), "HJ")
    neighbour = repo.add(make_case(), "HJ")

    case.move_to(CaseState.ASSESSED, ENTRY)
    case.request = {"matter": "m-001"}  # a replacement, not a merge: "description" goes
    repo.update(case)

    stored = backend.reopen().get(case.number)
    assert stored.state is CaseState.ASSESSED
    assert stored.timeline == [ENTRY]
    assert stored.request == {"matter": "m-001"}
    assert backend.reopen().get(neighbour.number).to_dict() == neighbour.to_dict()


def test_update_can_be_repeated(repo: CaseRepository) -> None:
    case = repo.add(make_case(), "HJ")
    for step in range(3):
        case.record(TimelineEntry(at=ENTRY.at, actor="李四", role="窗口", action=f"第{step}步"))
        repo.update(case)

    assert [e.action for e in repo.get(case.number).timeline] == ["第0步", "第1步", "第2步"]
    assert repo.count() == 1


@pytest.mark.parametrize(
    "number", ["HJ-20261127-0002", "HJ-20261201-0001", "HJ-20261127-00001", "", "bad"]
)
def test_update_unknown_number_raises_and_stores_nothing(repo: CaseRepository, number: str) -> None:
    repo.add(make_case(), "HJ")
    stranger = make_case(number=number)

    with pytest.raises(CaseNotFoundError):
        repo.update(stranger)

    assert repo.count() == 1
    assert numbers(repo) == ["HJ-20261127-0001"]
    assert repo.get("HJ-20261127-0001").number == "HJ-20261127-0001"


def test_list_orders_by_day_then_sequence_then_centre(repo: CaseRepository) -> None:
    repo.add(on_day("2026-11-28"), "HJ")
    repo.add(on_day("2026-11-27"), "HJ")
    repo.add(on_day("2026-11-27"), "AK")
    repo.add(on_day("2026-11-27"), "HJ")
    repo.add(on_day("2026-11-26"), "HJ")

    assert numbers(repo) == [
        "HJ-20261126-0001",
        "AK-20261127-0001",
        "HJ-20261127-0001",
        "HJ-20261127-0002",
        "HJ-20261128-0001",
    ]


def test_list_range_is_inclusive_with_open_ends(repo: CaseRepository) -> None:
    for day in ["2026-10-31", "2026-11-01", "2026-11-15", "2026-11-30", "2026-12-01"]:
        repo.add(on_day(day), "HJ")
    nov1, nov30 = date(2026, 11, 1), date(2026, 11, 30)

    assert numbers(repo, nov1, nov30) == [
        "HJ-20261101-0001",
        "HJ-20261115-0001",
        "HJ-20261130-0001",
    ]
    assert numbers(repo, since=nov30) == ["HJ-20261130-0001", "HJ-20261201-0001"]
    assert numbers(repo, until=nov1) == ["HJ-20261031-0001", "HJ-20261101-0001"]
    assert numbers(repo, date(2026, 11, 2), date(2026, 11, 14)) == []
    assert numbers(repo, nov30, nov1) == []
    assert len(numbers(repo)) == 5


def test_list_crosses_years(repo: CaseRepository) -> None:
    repo.add(on_day("2027-01-01"), "HJ")
    repo.add(on_day("2026-12-31"), "HJ")

    assert numbers(repo, date(2026, 12, 31), date(2027, 1, 1)) == [
        "HJ-20261231-0001",
        "HJ-20270101-0001",
    ]


def test_count_is_exact_across_chunks_days_and_centres(backend: Backend) -> None:
    repo = backend.repo
    assert repo.count() == 0
    for _ in range(9):  # more than two chunks of the TinyDB test store
        repo.add(make_case(), "HJ")
    repo.add(make_case(), "AK")
    repo.add(on_day("2026-12-01"), "HJ")

    assert repo.count() == 11
    assert backend.reopen().count() == 11
    assert len(numbers(backend.reopen())) == 11


def test_malformed_centre_code_is_rejected_before_storing(repo: CaseRepository) -> None:
    for code in ["hj", "H", "HJ-1", "", "ABCDEFGHI"]:
        with pytest.raises(ValueError):
            repo.add(make_case(), code)

    assert repo.count() == 0


def test_malformed_created_at_is_rejected(repo: CaseRepository) -> None:
    with pytest.raises(ValueError):
        repo.add(make_case("27/11/2026"), "HJ")

    assert repo.count() == 0


@pytest.mark.parametrize(
    ("request_data", "error"),
    [({"facts": {1, 2}}, TypeError), ({"description": "\ud800"}, UnicodeEncodeError)],
)
def test_data_json_cannot_hold_is_rejected_without_storing(
    repo: CaseRepository, request_data: dict, error: type[Exception]
) -> None:
    with pytest.raises(error):
        repo.add(make_case(request=request_data), "HJ")

    assert repo.count() == 0
    assert repo.add(make_case(), "HJ").number == "HJ-20261127-0001"


def test_threads_get_distinct_numbers(repo: CaseRepository) -> None:
    added: list[str] = []

    def writer() -> None:
        for _ in range(10):
            added.append(repo.add(make_case(), "HJ").number)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(added) == [f"HJ-20261127-{seq:04d}" for seq in range(1, 41)]
    assert repo.count() == 40
