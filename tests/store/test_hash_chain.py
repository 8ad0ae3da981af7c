"""Tamper evidence: hash-chained timelines, and `verify_store` naming what was changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.cases import CaseState, TimelineEntry
from kiosk.domain.chain import check_chain, genesis_hash, link_hash
from kiosk.store import InMemoryCaseRepository, TinyDbCaseRepository
from kiosk.store.verify import scan_store, verify_store
from tests.store.support import chunk_files, make_case

AT = "2026-11-27T11:00:00+08:00"


def _entry(action: str, note: str = "") -> TimelineEntry:
    return TimelineEntry(at=AT, actor="窗口一", role="clerk", action=action, note=note)


@pytest.fixture
def filled(tiny: TinyDbCaseRepository) -> Path:
    """Five cases of one day, the second with a four-entry timeline."""
    for index in range(5):
        case = tiny.add(make_case(timeline=[_entry("登记")], request={"n": index}), "HJ")
        if index == 1:
            case.move_to(CaseState.ASSESSED, _entry("研判", "属于本窗口"))
            case.record(_entry("补充材料"))
            tiny.update(case)
            loaded = tiny.get(case.number)
            loaded.move_to(CaseState.REPLIED, _entry("答复"))
            tiny.update(loaded)
    return tiny.root


def _edit(root: Path, number: str, change: Any) -> None:
    """Change one stored record in its chunk file, as someone with a text editor would."""
    for path in chunk_files(root):
        data = json.loads(path.read_text("utf-8"))
        for key, record in list(data["cases"].items()):
            if record["number"] == number:
                if change(record) == "drop":
                    del data["cases"][key]
                path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
                return
    raise AssertionError(number)


def _serious(root: Path) -> list[str]:
    return [str(p) for p in verify_store(root) if p.serious]


def test_every_entry_links_to_the_one_before(filled: Path) -> None:
    case = TinyDbCaseRepository(filled).get("HJ-20261127-0002")
    assert [e.action for e in case.timeline] == ["登记", "研判", "补充材料", "答复"]
    previous = genesis_hash(case.number, case.created_at)
    for entry in case.timeline:
        assert entry.hash == link_hash(previous, entry.to_dict())
        previous = entry.hash


def test_an_intact_store_has_no_problems(filled: Path) -> None:
    report = scan_store(filled)
    assert report.problems == [] and report.ok
    assert (report.cases, report.chained) == (5, 5)


def test_an_edited_entry_is_named(filled: Path) -> None:
    _edit(filled, "HJ-20261127-0002", lambda r: r["timeline"][1].update(note="不属于本窗口"))
    assert _serious(filled) == ["HJ-20261127-0002：第 2 条办理记录内容被改动，或其前一条被删除"]


def test_an_edited_actor_is_named(filled: Path) -> None:
    _edit(filled, "HJ-20261127-0002", lambda r: r["timeline"][3].update(actor="别人"))
    assert _serious(filled) == ["HJ-20261127-0002：第 4 条办理记录内容被改动，或其前一条被删除"]


def test_a_deleted_entry_is_named(filled: Path) -> None:
    _edit(filled, "HJ-20261127-0002", lambda r: r["timeline"].pop(1))
    assert _serious(filled) == ["HJ-20261127-0002：第 2 条办理记录内容被改动，或其前一条被删除"]


def test_reordered_entries_are_named(filled: Path) -> None:
    def swap(record: dict[str, Any]) -> None:
        timeline = record["timeline"]
        timeline[1], timeline[2] = timeline[2], timeline[1]

    _edit(filled, "HJ-20261127-0002", swap)
    problems = _serious(filled)
    assert "HJ-20261127-0002：第 2 条办理记录顺序被调换" in problems
    assert "HJ-20261127-0002：第 3 条办理记录顺序被调换" in problems


def test_a_timeline_moved_to_another_case_breaks_at_its_first_entry(filled: Path) -> None:
    stolen = TinyDbCaseRepository(filled).get("HJ-20261127-0002").to_dict()["timeline"]
    _edit(filled, "HJ-20261127-0003", lambda r: r.update(timeline=stolen))
    assert _serious(filled)[0].startswith("HJ-20261127-0003：第 1 条办理记录")


def test_a_deleted_case_is_a_gap(filled: Path) -> None:
    _edit(filled, "HJ-20261127-0003", lambda _record: "drop")
    assert _serious(filled) == ["HJ-20261127-0003：案件缺失（编号不连续，可能被删除）"]


def test_an_unchained_old_record_is_a_notice_not_damage(filled: Path) -> None:
    def strip(record: dict[str, Any]) -> None:
        for entry in record["timeline"]:
            del entry["hash"]

    _edit(filled, "HJ-20261127-0004", strip)
    report = scan_store(filled)
    assert report.ok and report.chained == 4
    assert [str(p) for p in report.problems] == [
        "HJ-20261127-0004：旧记录，办理记录未加哈希链，无法校验"
    ]
    # Old records still load; the next update chains their timeline as it stands.
    repo = TinyDbCaseRepository(filled)
    old = repo.get("HJ-20261127-0004")
    assert all(not entry.hash for entry in old.timeline)
    old.record(_entry("补记"))
    repo.update(old)
    assert scan_store(filled).problems == []


def test_an_entry_slipped_in_without_hash_is_damage(filled: Path) -> None:
    extra = {"at": AT, "actor": "某人", "role": "clerk", "action": "插入"}
    _edit(filled, "HJ-20261127-0002", lambda r: r["timeline"].insert(2, extra))
    problems = _serious(filled)
    assert problems[0] == "HJ-20261127-0002：第 3 条办理记录缺少哈希（在已加链的记录之后被插入）"


def test_a_damaged_file_is_reported_and_the_rest_still_checked(filled: Path) -> None:
    chunk_files(filled)[0].write_text("{", "utf-8")
    problems = _serious(filled)
    assert any("文件无法读取" in problem for problem in problems)


def test_the_memory_repository_chains_alike() -> None:
    repo = InMemoryCaseRepository()
    case = repo.add(make_case(timeline=[_entry("登记")]), "HJ")
    case.record(_entry("研判"))
    repo.update(case)
    stored = repo.get(case.number).to_dict()
    assert check_chain(case.number, case.created_at, stored["timeline"]) == []


def test_record_chains_a_numbered_case_and_seal_changes_nothing_more() -> None:
    case = make_case(timeline=[_entry("登记")])
    assert case.timeline[0].hash == ""  # no number yet: the store chains it
    case.number = "HJ-20261127-0001"
    case.seal()
    case.record(_entry("研判"))
    hashes = [entry.hash for entry in case.timeline]
    case.seal()
    assert [entry.hash for entry in case.timeline] == hashes and all(hashes)
    assert check_chain(case.number, case.created_at, case.to_dict()["timeline"]) == []
    assert check_chain(case.number, case.created_at, []) == []
