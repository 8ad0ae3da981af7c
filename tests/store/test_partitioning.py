"""Partition layout: one small file per number, range listing by file name, lock and sweeping."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from filelock import FileLock

from kiosk.domain.ports import StoreError
from kiosk.store import TinyDbCaseRepository, atomic_storage
from kiosk.store.partitions import Layout, Partition, parse_file_name
from kiosk.store.tinydb_repository import DEFAULT_CHUNK_SIZE
from tests.store.support import chunk_files, make_case, on_day


@pytest.fixture
def file_log(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Records every store file read and written, by name."""
    log: dict[str, list[str]] = {"read": [], "written": []}
    real_read, real_write = atomic_storage.read_json, atomic_storage.write_atomically

    def read(path: Path) -> object:
        log["read"].append(path.name)
        return real_read(path)

    def write(path: Path, payload: bytes) -> None:
        log["written"].append(path.name)
        real_write(path, payload)

    monkeypatch.setattr(atomic_storage, "read_json", read)
    monkeypatch.setattr(atomic_storage, "write_atomically", write)
    return log


def _fill(repo: TinyDbCaseRepository) -> None:
    """10 cases on 27 Nov (chunks 0-2), 1 on 28 Nov, 2 in December, 1 of centre AK."""
    for _ in range(10):
        repo.add(make_case(), "HJ")
    repo.add(on_day("2026-11-28"), "HJ")
    repo.add(on_day("2026-12-01"), "HJ")
    repo.add(on_day("2026-12-02"), "HJ")
    repo.add(make_case(), "AK")


def test_files_are_month_directories_of_day_centre_chunk(
    tiny: TinyDbCaseRepository, store_root: Path
) -> None:
    _fill(tiny)

    assert [str(p.relative_to(store_root / "cases")) for p in chunk_files(store_root)] == [
        "2026-11/20261127-AK-0000.json",
        "2026-11/20261127-HJ-0000.json",
        "2026-11/20261127-HJ-0001.json",
        "2026-11/20261127-HJ-0002.json",
        "2026-11/20261128-HJ-0000.json",
        "2026-12/20261201-HJ-0000.json",
        "2026-12/20261202-HJ-0000.json",
    ]
    chunk = json.loads((store_root / "cases/2026-11/20261127-HJ-0001.json").read_bytes())
    assert list(chunk["cases"]) == ["5", "6", "7", "8"]
    assert json.loads((store_root / "store.json").read_bytes()) == {
        "format": "kiosk-case-store",
        "version": 1,
        "chunk_size": 4,
    }


def test_get_and_update_open_exactly_one_file(
    tiny: TinyDbCaseRepository, file_log: dict[str, list[str]]
) -> None:
    _fill(tiny)
    file_log["read"].clear()
    file_log["written"].clear()

    case = tiny.get("HJ-20261127-0006")
    assert file_log["read"] == ["20261127-HJ-0001.json"]

    case.request["description"] = "更新"
    tiny.update(case)
    assert file_log["read"] == ["20261127-HJ-0001.json"] * 2
    assert file_log["written"] == ["20261127-HJ-0001.json"]


def test_add_reads_the_last_chunk_and_writes_one_file(
    tiny: TinyDbCaseRepository, file_log: dict[str, list[str]]
) -> None:
    _fill(tiny)
    file_log["read"].clear()
    file_log["written"].clear()

    tiny.add(make_case(), "HJ")  # seq 11 joins chunk 2 (9-12)
    tiny.add(make_case(), "HJ")
    tiny.add(make_case(), "HJ")  # seq 13 starts chunk 3

    # The new chunk is only looked for (TinyDB reads before it writes) and found missing.
    assert file_log["read"] == ["20261127-HJ-0002.json"] * 3 + ["20261127-HJ-0003.json"]
    assert file_log["written"] == ["20261127-HJ-0002.json"] * 2 + ["20261127-HJ-0003.json"]


def test_list_skips_files_outside_the_range_by_name(
    tiny: TinyDbCaseRepository, file_log: dict[str, list[str]]
) -> None:
    _fill(tiny)
    file_log["read"].clear()

    listed = [c.number for c in tiny.list(date(2026, 11, 28), date(2026, 12, 1))]

    assert listed == ["HJ-20261128-0001", "HJ-20261201-0001"]
    assert file_log["read"] == ["20261128-HJ-0000.json", "20261201-HJ-0000.json"]


def test_count_reads_only_the_last_chunk_of_each_day(
    tiny: TinyDbCaseRepository, file_log: dict[str, list[str]]
) -> None:
    _fill(tiny)
    file_log["read"].clear()

    assert tiny.count() == 14
    assert sorted(file_log["read"]) == [
        "20261127-AK-0000.json",
        "20261127-HJ-0002.json",
        "20261128-HJ-0000.json",
        "20261201-HJ-0000.json",
        "20261202-HJ-0000.json",
    ]


def test_sequences_beyond_four_digits(tiny: TinyDbCaseRepository, store_root: Path) -> None:
    # Pretend 9,996 cases came before: write chunk 2499 (9997-10000) directly.
    layout = Layout(store_root / "cases", tiny.chunk_size)
    last = Partition(date(2026, 11, 27), "HJ", 2499)
    docs = {}
    for seq in range(9997, 10001):
        record = make_case(number=f"HJ-20261127-{seq}").to_dict()
        docs[str(seq)] = record
    atomic_storage.AtomicJSONStorage(layout.path(last)).write({"cases": docs})

    case = tiny.add(make_case(), "HJ")

    assert case.number == "HJ-20261127-10001"
    assert tiny.get("HJ-20261127-10001").number == case.number
    assert (store_root / "cases/2026-11/20261127-HJ-2500.json").exists()
    assert layout.partition("HJ", date(2026, 11, 27), 10001) == Partition(
        date(2026, 11, 27), "HJ", 2500
    )


def test_unrelated_files_are_ignored(tiny: TinyDbCaseRepository, store_root: Path) -> None:
    tiny.add(make_case(), "HJ")
    (store_root / "cases" / "README.txt").write_text("备份说明")
    (store_root / "cases" / "2026-11" / "notes.json").write_text("{not json")
    (store_root / "cases" / "2026-11" / "20261127-HJ-0000.json.bak").write_text("old")
    (store_root / "cases" / "old").mkdir()

    assert tiny.count() == 1
    assert [c.number for c in tiny.list()] == ["HJ-20261127-0001"]
    assert tiny.add(make_case(), "HJ").number == "HJ-20261127-0002"


def test_orphaned_temp_files_are_ignored_then_swept_by_the_next_write(
    tiny: TinyDbCaseRepository, store_root: Path
) -> None:
    case = tiny.add(make_case(), "HJ")
    month = store_root / "cases" / "2026-11"
    orphan = month / ".20261127-HJ-0000.json.4242.deadbeef.tmp"
    orphan.write_text('{"cases": {')  # what a writer killed mid-write leaves behind

    assert [c.number for c in tiny.list()] == [case.number]
    assert tiny.count() == 1

    tiny.update(case)

    assert not orphan.exists()


def test_file_names_that_are_not_dates_are_not_partitions() -> None:
    assert parse_file_name("20261127-HJ-0000.json") == Partition(date(2026, 11, 27), "HJ", 0)
    assert parse_file_name("20261327-HJ-0000.json") is None
    assert parse_file_name("20261127-hj-0000.json") is None
    assert parse_file_name("20261127-HJ-0000.json.tmp") is None


def test_writers_wait_for_the_lock_then_fail_with_a_store_error(store_root: Path) -> None:
    repo = TinyDbCaseRepository(store_root, lock_timeout=0.2)
    holder = FileLock(store_root / "store.lock")
    with holder, pytest.raises(StoreError, match="正被其他程序占用"):
        repo.add(make_case(), "HJ")

    assert repo.count() == 0
    assert repo.add(make_case(), "HJ").number == "HJ-20261127-0001"


def test_default_chunk_size_is_recorded(store_root: Path) -> None:
    assert TinyDbCaseRepository(store_root).chunk_size == DEFAULT_CHUNK_SIZE
    assert TinyDbCaseRepository(store_root).chunk_size == DEFAULT_CHUNK_SIZE


@pytest.mark.parametrize("size", [0, -3])
def test_chunk_size_must_be_positive(store_root: Path, size: int) -> None:
    with pytest.raises(ValueError):
        TinyDbCaseRepository(store_root, chunk_size=size)
