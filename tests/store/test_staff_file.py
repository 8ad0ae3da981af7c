"""The JSON staff file: durable, readable, never overwritten when corrupt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.domain.ports import CorruptStoreError
from kiosk.domain.staff import Role, StaffMember
from kiosk.store import JsonStaffRepository


def member(staff_id: str, name: str = "王小红") -> StaffMember:
    return StaffMember(staff_id, name, Role.CLERK, "market", "B01", "scrypt$16$8$1$00$00")


def test_missing_file_is_empty(tmp_path: Path) -> None:
    repo = JsonStaffRepository(tmp_path / "state" / "staff.json")
    assert repo.list() == [] and repo.get("c1") is None


def test_save_get_list_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state" / "staff.json"
    repo = JsonStaffRepository(path)
    repo.save(member("c2"))
    repo.save(member("c1"))
    repo.save(member("c2", "李四"))
    again = JsonStaffRepository(path)
    assert [m.id for m in again.list()] == ["c1", "c2"]
    assert again.get("c2") == member("c2", "李四")
    text = path.read_text("utf-8")
    assert "王小红" in text and "\\u" not in text
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"format": "kiosk-staff", "version": 1}',
        b'{"format": "kiosk-staff", "version": 9, "staff": []}',
        b'{"format": "kiosk-staff", "version": 1, "staff": [{"id": "x"}]}',
    ],
)
def test_corrupt_file_is_reported_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "staff.json"
    path.write_bytes(content)
    repo = JsonStaffRepository(path)
    with pytest.raises(CorruptStoreError) as error:
        repo.get("c1")
    assert str(path) in str(error.value)
    with pytest.raises(CorruptStoreError):
        repo.save(member("c1"))
    assert path.read_bytes() == content


def test_duplicate_ids_are_corruption(tmp_path: Path) -> None:
    path = tmp_path / "staff.json"
    entry = member("c1").to_dict()
    document = {"format": "kiosk-staff", "version": 1, "staff": [entry, entry]}
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    with pytest.raises(CorruptStoreError, match="重复"):
        JsonStaffRepository(path).list()
