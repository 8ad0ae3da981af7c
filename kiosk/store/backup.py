"""`kiosk db backup` / `restore`: a locked, hashed copy of the case store and its verified return."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from kiosk.domain.ports import StoreError
from kiosk.store.atomic_storage import ensure_directory, fsync_directory, is_temp_file, read_json
from kiosk.store.partitions import FILE_NAME, MONTH_DIR
from kiosk.store.verify import META_FILE

MANIFEST = "manifest.json"
BACKUP_FORMAT = "kiosk-case-backup"
BACKUP_VERSION = 1
LOCK_FILE = "store.lock"


class BackupError(StoreError):
    """A backup is incomplete or does not match its manifest; nothing was restored."""


class RestoreRefused(StoreError):
    """The target already holds a store and overwriting was not asked for."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore copied.

    Attributes:
        path: The backup (or restored store) directory.
        files: Store files copied, ``store.json`` included.
        cases: Case records in the chunk files.
    """

    path: Path
    files: int
    cases: int


def store_files(root: Path) -> list[Path]:
    """The files that make up a store: ``store.json`` and the chunk files, relative, sorted.

    Args:
        root: The store directory.

    Returns:
        Relative paths; locks, temp files and anything else are left out.
    """
    files = [Path(META_FILE)] if (root / META_FILE).is_file() else []
    cases = root / "cases"
    if cases.is_dir():
        for month in sorted(os.listdir(cases)):
            if MONTH_DIR.match(month) and (cases / month).is_dir():
                names = sorted(os.listdir(cases / month))
                files += [
                    Path("cases", month, name)
                    for name in names
                    if FILE_NAME.match(name) and not is_temp_file(name)
                ]
    return files


def backup(root: Path, dest: Path, *, lock_timeout: float = 30.0) -> BackupResult:
    """Copy a store to a new directory while holding its writers' lock, with a manifest.

    Writers wait while the files are read (every read is of a complete file, and no add or
    update runs meanwhile), so the copy is one consistent moment of the store. The copy is
    written to a temporary sibling of ``dest``, made durable, checked against its manifest and
    only then renamed to ``dest``.

    Args:
        root: The store directory.
        dest: The backup directory to create; it must not exist.
        lock_timeout: Seconds to wait for a writer to finish.

    Returns:
        What was copied.

    Raises:
        FileExistsError: ``dest`` exists.
        StoreError: ``root`` is not a store, or its lock could not be taken.
        BackupError: The copy does not match what was read.
    """
    root, dest = Path(root), Path(dest)
    if dest.exists():
        raise FileExistsError(f"备份目标已存在：{dest}")
    if not (root / META_FILE).is_file():
        raise StoreError(f"不是案件存储目录：{root}")
    temp = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    ensure_directory(temp)
    try:
        try:
            with FileLock(root / LOCK_FILE, timeout=lock_timeout):
                contents = {rel: (root / rel).read_bytes() for rel in store_files(root)}
        except Timeout as error:
            raise StoreError(f"案件存储正被占用，{lock_timeout:g} 秒内未能备份：{root}") from error
        manifest = _manifest(contents)
        for rel, payload in contents.items():
            _write_durably(temp / rel, payload)
        _write_durably(temp / MANIFEST, _encode(manifest))
        result = check_backup(temp)
        os.rename(temp, dest)
        fsync_directory(dest.parent)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return BackupResult(dest, result.files, result.cases)


def check_backup(src: Path) -> BackupResult:
    """Check a backup against its manifest: every file present, intact, and no other.

    Args:
        src: The backup directory.

    Returns:
        What it holds.

    Raises:
        BackupError: Missing or unreadable manifest, a missing, changed or extra file.
    """
    src = Path(src)
    try:
        manifest = read_json(src / MANIFEST)
    except StoreError as error:
        raise BackupError(f"备份清单损坏：{src / MANIFEST}") from error
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != BACKUP_FORMAT
        or manifest.get("version") != BACKUP_VERSION
        or not isinstance(manifest.get("files"), dict)
    ):
        raise BackupError(f"不是本程序的备份（缺少或无法识别 {MANIFEST}）：{src}")
    listed: dict[str, Any] = manifest["files"]
    present = {str(rel) for rel in store_files(src)}
    if META_FILE not in listed:
        raise BackupError(f"备份清单中没有 {META_FILE}：{src}")
    extra = sorted(present - set(listed))
    if extra:
        raise BackupError(f"备份中有清单外的文件：{extra[0]}")
    missing = sorted(set(listed) - present)
    if missing:
        raise BackupError(f"备份缺少文件：{missing[0]}")
    for rel, entry in listed.items():
        if not isinstance(entry, dict) or _digest((src / rel).read_bytes()) != entry.get("sha256"):
            raise BackupError(f"备份文件与清单不符（已损坏或被改动）：{rel}")
    cases = manifest.get("cases")
    return BackupResult(src, len(listed), cases if isinstance(cases, int) else 0)


def restore(src: Path, root: Path, *, force: bool = False) -> BackupResult:
    """Restore a backup into a store directory after checking it against its manifest.

    The files are copied into a temporary sibling of ``root`` and renamed into place; with
    ``force`` an existing store is first renamed aside (``ROOT.before-restore-TIME``), never
    deleted. Stop every kiosk using the store before a forced restore.

    Args:
        src: The backup directory.
        root: The store directory to create (or replace with ``force``).
        force: Replace a non-empty ``root``.

    Returns:
        What was restored.

    Raises:
        BackupError: The backup does not match its manifest (nothing is changed).
        RestoreRefused: ``root`` is not empty and ``force`` is False.
    """
    src, root = Path(src), Path(root)
    checked = check_backup(src)
    occupied = root.exists() and any(root.iterdir())
    if occupied and not force:
        raise RestoreRefused(f"目标目录不是空的，未做任何修改（确需覆盖请加 --force）：{root}")
    temp = root.with_name(f".{root.name}.restoring-{os.getpid()}")
    shutil.rmtree(temp, ignore_errors=True)
    try:
        for rel in store_files(src):
            _write_durably(temp / rel, (src / rel).read_bytes())
        if root.exists():
            if occupied:
                stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
                os.rename(root, root.with_name(f"{root.name}.before-restore-{stamp}"))
            else:
                root.rmdir()
        os.rename(temp, root)
        fsync_directory(root.parent)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return BackupResult(root, checked.files, checked.cases)


def _manifest(contents: dict[Path, bytes]) -> dict[str, Any]:
    """The manifest of a backup: format, time, case count and each file's size and hash."""
    cases = 0
    for rel, payload in contents.items():
        if rel.parts[0] == "cases":
            with contextlib.suppress(ValueError, AttributeError, KeyError, TypeError):
                cases += len(json.loads(payload.decode("utf-8"))["cases"])
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cases": cases,
        "files": {
            rel.as_posix(): {"sha256": _digest(payload), "size": len(payload)}
            for rel, payload in contents.items()
        },
    }


def _digest(payload: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(payload).hexdigest()


def _encode(data: Any) -> bytes:
    """Readable UTF-8 JSON."""
    return f"{json.dumps(data, ensure_ascii=False, indent=1)}\n".encode()


def _write_durably(path: Path, payload: bytes) -> None:
    """Write a new file and fsync it and its directory."""
    ensure_directory(path.parent)
    with open(path, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    fsync_directory(path.parent)
