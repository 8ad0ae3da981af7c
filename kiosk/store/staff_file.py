"""Staff account stores: a JSON file written atomically under a file lock, and an in-memory one."""

from __future__ import annotations

import builtins
import json
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from kiosk.domain.ports import CorruptStoreError, StoreError
from kiosk.domain.staff import StaffMember
from kiosk.store.atomic_storage import ensure_directory, read_json, write_atomically

STAFF_FORMAT = "kiosk-staff"
STAFF_VERSION = 1
LOCK_TIMEOUT_SECONDS = 10.0


def _parse(path: Path, data: Any) -> dict[str, StaffMember]:
    """Check the parsed file and build its members; CorruptStoreError on anything unexpected."""
    if data is None:
        return {}
    if not isinstance(data, dict) or data.get("format") != STAFF_FORMAT:
        raise CorruptStoreError(str(path), "不是工作人员账号文件")
    if data.get("version") != STAFF_VERSION:
        raise CorruptStoreError(str(path), f"不支持的版本：{data.get('version')!r}")
    staff = data.get("staff")
    if not isinstance(staff, list):
        raise CorruptStoreError(str(path), "缺少 staff 列表")
    members: dict[str, StaffMember] = {}
    for index, item in enumerate(staff, start=1):
        if not isinstance(item, dict):
            raise CorruptStoreError(str(path), f"第 {index} 条记录不是对象")
        try:
            member = StaffMember.from_dict(item)
        except ValueError as error:
            raise CorruptStoreError(str(path), f"第 {index} 条记录：{error}") from error
        if member.id in members:
            raise CorruptStoreError(str(path), f"工号 {member.id} 重复")
        members[member.id] = member
    return members


class JsonStaffRepository:
    """Implements ``StaffRepository`` in one UTF-8 JSON file (readable, editable by hand).

    Every save re-reads the file under the lock, so two terminals never lose each other's
    changes; a file that cannot be parsed is reported and never overwritten.
    """

    def __init__(self, path: str | Path, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        """Open (not create) the store; the file appears with the first save.

        Args:
            path: The JSON file, e.g. ``<state>/staff.json``.
            lock_timeout: Seconds to wait for another writer.
        """
        self.path = Path(path)
        self._lock = FileLock(str(self.path.with_name(self.path.name + ".lock")), lock_timeout)

    def get(self, staff_id: str) -> StaffMember | None:
        """The member with this id, or None.

        Raises:
            CorruptStoreError: The file cannot be parsed.
        """
        return self._read().get(staff_id)

    def list(self) -> builtins.list[StaffMember]:
        """Every member, by id.

        Raises:
            CorruptStoreError: The file cannot be parsed.
        """
        return [member for _id, member in sorted(self._read().items())]

    def save(self, member: StaffMember) -> None:
        """Add or replace a member; returns once the file is durable.

        Raises:
            CorruptStoreError: The existing file cannot be parsed (it is left untouched).
            StoreError: The lock or the write failed.
        """
        ensure_directory(self.path.parent)
        try:
            with self._lock:
                members = self._read()
                members[member.id] = member
                document = {
                    "format": STAFF_FORMAT,
                    "version": STAFF_VERSION,
                    "staff": [m.to_dict() for _id, m in sorted(members.items())],
                }
                payload = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
                write_atomically(self.path, payload.encode("utf-8"))
        except Timeout as error:
            raise StoreError(f"工作人员账号文件正被其他程序占用：{self.path}") from error

    def _read(self) -> dict[str, StaffMember]:
        return _parse(self.path, read_json(self.path))


class InMemoryStaffRepository:
    """Implements ``StaffRepository`` in a dict, for tests."""

    def __init__(self, members: builtins.list[StaffMember] | None = None) -> None:
        """Start with the given members (none by default)."""
        self._members = {m.id: m for m in members or []}
        self._lock = threading.Lock()

    def get(self, staff_id: str) -> StaffMember | None:
        """The member with this id, or None."""
        with self._lock:
            return self._members.get(staff_id)

    def save(self, member: StaffMember) -> None:
        """Add or replace a member."""
        with self._lock:
            self._members[member.id] = member

    def list(self) -> builtins.list[StaffMember]:
        """Every member, by id."""
        with self._lock:
            return [member for _id, member in sorted(self._members.items())]
