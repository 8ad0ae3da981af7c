"""AtomicJSONStorage and the atomic write underneath: durable, atomic, readable, never repairing."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from kiosk.domain.ports import CorruptStoreError, StoreError
from kiosk.store import TinyDbCaseRepository
from kiosk.store.atomic_storage import (
    AtomicJSONStorage,
    ensure_directory,
    is_temp_file,
    write_atomically,
)
from tests.store.support import chunk_files, digests, make_case

DATA = {"cases": {"1": {"name": "张三", "note": "测试 “引号” \\ 反斜杠"}, "2": {"n": [1, 2]}}}


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "db.json"

    AtomicJSONStorage(path).write(DATA)

    assert AtomicJSONStorage(path).read() == DATA


def test_file_is_utf8_json_with_raw_chinese_and_one_document_per_line(tmp_path: Path) -> None:
    path = tmp_path / "db.json"

    AtomicJSONStorage(path).write(DATA)

    raw = path.read_bytes()
    assert "张三".encode() in raw
    assert b"\\u" not in raw
    assert json.loads(raw.decode("utf-8")) == DATA
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == 4  # table opener, two documents, closer
    assert json.loads(lines[1].split(": ", 1)[1].rstrip(",")) == DATA["cases"]["1"]


def test_no_temp_files_are_left_behind(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)

    for n in range(20):
        storage.write({"cases": {str(i): {"i": i} for i in range(1, n + 2)}})

    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_repository_leaves_no_temp_files(tiny: TinyDbCaseRepository, store_root: Path) -> None:
    for _ in range(10):
        case = tiny.add(make_case(), "HJ")
        tiny.update(case)

    names = [p.name for p in store_root.rglob("*")]
    assert not [name for name in names if is_temp_file(name) or "tmp" in name]
    for path in chunk_files(store_root):
        raw = path.read_bytes()
        assert "张三".encode() in raw and b"\\u" not in raw
        json.loads(raw.decode("utf-8"))


def test_reading_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "db.json"

    assert AtomicJSONStorage(path).read() is None
    assert not path.parent.exists()


def test_write_fsyncs_the_file_and_then_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[bool] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    (tmp_path / "db.json").write_text("{}")

    write_atomically(tmp_path / "db.json", b'{"cases": {}}')

    assert synced == [False, True]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to name fds")
def test_new_directories_are_made_durable_in_their_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)

    ensure_directory(tmp_path / "x" / "y")

    assert synced == [str(tmp_path), str(tmp_path / "x")]


@pytest.mark.parametrize("failing", ["replace", "fsync", "write"])
def test_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write(DATA)
    before = path.read_bytes()

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)

    with pytest.raises(StoreError, match="写入失败") as caught:
        storage.write({"cases": {}})

    assert str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_failed_add_leaves_the_store_byte_identical(
    tiny: TinyDbCaseRepository, store_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tiny.add(make_case(), "HJ")
    before = digests(store_root)

    def broken(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(StoreError):
        tiny.add(make_case(), "HJ")
    monkeypatch.undo()

    assert digests(store_root) == before
    assert tiny.add(make_case(), "HJ").number == "HJ-20261127-0002"
    assert tiny.get(kept.number).to_dict() == kept.to_dict()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "文件为空"),
        (b'{"cases": {"1": {', "不是有效的 JSON"),
        (b"\xff\xfe garbage", "不是 UTF-8"),
        (b"[1, 2]", "顶层不是对象"),
        (b'{"cases": [1]}', "不是对象"),
        (b'{"cases": {"one": {}}}', "记录 one"),
        (b'{"cases": {"01": {}}}', "记录 01"),
        (b'{"cases": {"1": 5}}', "记录 1"),
    ],
)
def test_unreadable_files_raise_corrupt_and_stay_untouched(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(content)

    with pytest.raises(CorruptStoreError, match=reason) as caught:
        AtomicJSONStorage(path).read()
    with pytest.raises(CorruptStoreError):
        TinyDB(path, storage=AtomicJSONStorage).table("cases").insert({"x": 1})

    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]


def test_works_as_a_plain_tinydb_storage(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"name": "张三", "age": 30})
    db.insert({"name": "李四", "age": 40})
    db.update({"age": 31}, Query().name == "张三")
    db.remove(Query().name == "李四")

    again = TinyDB(path, storage=AtomicJSONStorage)

    assert again.all() == [{"name": "张三", "age": 31}]


def test_remember_serves_reads_from_memory_until_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    AtomicJSONStorage(path).write(DATA)
    storage = AtomicJSONStorage(path, remember=True)
    assert storage.read() == DATA

    path.write_text('{"cases": {}}')  # unseen: the caller promised nobody else writes
    assert storage.read() == DATA

    def broken(*_args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(StoreError):
        storage.write({"cases": {"9": {}}})

    assert storage.read() == {"cases": {}}  # forgotten, so read from disk again


def test_unwritable_location_is_a_store_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "cases").write_text("a file where a directory should be")
    path = tmp_path / "cases" / "2026-11" / "db.json"

    with pytest.raises(StoreError, match="写入失败") as caught:
        AtomicJSONStorage(path).write(DATA)

    assert str(path) in str(caught.value)
