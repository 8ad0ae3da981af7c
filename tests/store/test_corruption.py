"""Damaged store files are reported with their path and never overwritten or repaired."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kiosk.domain.ports import CorruptStoreError, StoreError
from kiosk.store import TinyDbCaseRepository
from tests.store.conftest import TEST_CHUNK_SIZE
from tests.store.support import digests, make_case, on_day

DAY = date(2026, 11, 27)


def _truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _json_edit(edit: Callable[[dict], object]) -> Callable[[bytes], bytes]:
    """A corruption that is still valid JSON: parse, edit, dump."""

    def apply(raw: bytes) -> bytes:
        data = json.loads(raw)
        edited = edit(data)
        return json.dumps(data if edited is None else edited, ensure_ascii=False).encode()

    return apply


def _drop_field(data: dict) -> None:
    del data["cases"]["5"]["state"]


def _unknown_state(data: dict) -> None:
    data["cases"]["5"]["state"] = "lost"


def _wrong_number(data: dict) -> None:
    data["cases"]["5"]["number"] = "HJ-20261127-0001"


def _gap(data: dict) -> None:
    data["cases"]["7"] = data["cases"].pop("6")


def _stray_id(data: dict) -> None:
    data["cases"]["2"] = data["cases"]["5"]


def _extra_table(data: dict) -> None:
    data["_default"] = {}


def _bad_timeline(data: dict) -> None:
    data["cases"]["5"]["timeline"] = [{"what": "?"}]


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "truncated": _truncate,
    "empty": lambda raw: b"",
    "garbage": lambda raw: b"\x00\x13garbage\xff",
    "gbk": lambda raw: raw.decode("utf-8").encode("gbk"),
    "hand-edited": lambda raw: raw.replace(b'"state"', b"state", 1),
    "list": _json_edit(lambda data: list(data["cases"].values())),
    "other table": _json_edit(lambda data: {"_default": data["cases"]}),
    "extra table": _json_edit(_extra_table),
    "record not object": _json_edit(lambda data: {"cases": {"5": "x", "6": "y"}}),
    "missing field": _json_edit(_drop_field),
    "unknown state": _json_edit(_unknown_state),
    "wrong number": _json_edit(_wrong_number),
    "gap in ids": _json_edit(_gap),
    "id of another chunk": _json_edit(_stray_id),
    "bad timeline": _json_edit(_bad_timeline),
}


@pytest.fixture
def damaged(
    tiny: TinyDbCaseRepository, store_root: Path, request: pytest.FixtureRequest
) -> tuple[TinyDbCaseRepository, Path]:
    """Six cases on DAY (chunks 0 and 1) plus one elsewhere; the last chunk then damaged."""
    for _ in range(6):
        tiny.add(make_case(), "HJ")
    tiny.add(on_day("2026-12-01"), "HJ")
    path = store_root / "cases" / "2026-11" / "20261127-HJ-0001.json"
    path.write_bytes(CORRUPTIONS[request.param](path.read_bytes()))
    return tiny, path


def _assert_corrupt(path: Path, action: Callable[[], object]) -> None:
    with pytest.raises(CorruptStoreError) as caught:
        action()
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    assert "未做任何修改" in str(caught.value)


@pytest.mark.parametrize("damaged", list(CORRUPTIONS), indirect=True)
def test_damaged_chunk_is_reported_and_left_byte_identical(
    damaged: tuple[TinyDbCaseRepository, Path], store_root: Path
) -> None:
    repo, path = damaged
    before = digests(store_root)
    victim = make_case(number="HJ-20261127-0005")

    _assert_corrupt(path, lambda: repo.get("HJ-20261127-0005"))
    _assert_corrupt(path, lambda: repo.update(victim))
    _assert_corrupt(path, lambda: repo.add(make_case(), "HJ"))
    _assert_corrupt(path, lambda: list(repo.list()))
    _assert_corrupt(path, lambda: list(repo.list(DAY, DAY)))
    _assert_corrupt(path, repo.count)
    _assert_corrupt(path, lambda: TinyDbCaseRepository(store_root).get("HJ-20261127-0006"))

    assert digests(store_root) == before


@pytest.mark.parametrize("damaged", ["truncated", "garbage", "list"], indirect=True)
def test_the_rest_of_the_store_keeps_working(
    damaged: tuple[TinyDbCaseRepository, Path], store_root: Path
) -> None:
    repo, path = damaged
    before = path.read_bytes()

    assert repo.get("HJ-20261127-0004").number == "HJ-20261127-0004"  # chunk 0 is intact
    assert repo.add(on_day("2026-11-28"), "HJ").number == "HJ-20261128-0001"
    assert repo.add(make_case(), "AK").number == "AK-20261127-0001"
    assert repo.add(on_day("2026-12-01"), "HJ").number == "HJ-20261201-0002"
    assert [c.number for c in repo.list(since=date(2026, 11, 28))] == [
        "HJ-20261128-0001",
        "HJ-20261201-0001",
        "HJ-20261201-0002",
    ]
    assert path.read_bytes() == before


def test_damaged_earlier_chunk_does_not_block_adding_to_the_last(
    tiny: TinyDbCaseRepository, store_root: Path
) -> None:
    for _ in range(6):
        tiny.add(make_case(), "HJ")
    first = store_root / "cases" / "2026-11" / "20261127-HJ-0000.json"
    first.write_bytes(first.read_bytes()[:-20])
    before = first.read_bytes()

    _assert_corrupt(first, lambda: tiny.get("HJ-20261127-0001"))
    assert tiny.add(make_case(), "HJ").number == "HJ-20261127-0007"
    assert first.read_bytes() == before


def test_missing_chunk_file_makes_count_fail_naming_it(
    tiny: TinyDbCaseRepository, store_root: Path
) -> None:
    for _ in range(TEST_CHUNK_SIZE * 2 + 1):
        tiny.add(make_case(), "HJ")
    missing = store_root / "cases" / "2026-11" / "20261127-HJ-0001.json"
    missing.unlink()

    _assert_corrupt(missing, tiny.count)
    assert tiny.get("HJ-20261127-0009").number == "HJ-20261127-0009"


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"[]", b'{"format": "other", "version": 1, "chunk_size": 4}', b'{"format": 1}'],
)
def test_damaged_store_description_is_reported_and_kept(store_root: Path, content: bytes) -> None:
    TinyDbCaseRepository(store_root, chunk_size=TEST_CHUNK_SIZE).add(make_case(), "HJ")
    meta = store_root / "store.json"
    meta.write_bytes(content)
    before = digests(store_root)

    _assert_corrupt(meta, lambda: TinyDbCaseRepository(store_root))

    assert digests(store_root) == before


def test_store_keeps_its_chunk_size(store_root: Path) -> None:
    TinyDbCaseRepository(store_root, chunk_size=TEST_CHUNK_SIZE)

    assert TinyDbCaseRepository(store_root).chunk_size == TEST_CHUNK_SIZE
    assert TinyDbCaseRepository(store_root, chunk_size=TEST_CHUNK_SIZE).chunk_size == 4
    with pytest.raises(StoreError, match="分块大小"):
        TinyDbCaseRepository(store_root, chunk_size=500)
