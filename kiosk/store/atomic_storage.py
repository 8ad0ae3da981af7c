"""Crash-safe JSON files: atomic replace with fsync, strict reads that never repair anything."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from tinydb import Storage

from kiosk.domain.ports import CorruptStoreError, StoreError

TEMP_SUFFIX = ".tmp"
# One encoder for all documents: json.dumps(..., ensure_ascii=False) builds a new one per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def fsync_directory(directory: Path) -> None:
    """Flush a directory entry table so a rename or a new file inside it survives power loss.

    Args:
        directory: The directory whose entries must be durable.
    """
    if os.name == "nt":  # Windows cannot open a directory to fsync it; NTFS journals renames
        return
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_directory(directory: Path) -> None:
    """Create a directory and its missing parents, each made durable in its own parent.

    Args:
        directory: The directory that must exist.
    """
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process may have won the race
            path.mkdir()
        fsync_directory(path.parent)


def is_temp_file(name: str) -> bool:
    """Whether a file name is one of our temporary files (hidden, ``.tmp`` suffix).

    Args:
        name: A bare file name.

    Returns:
        True for names made by :func:`write_atomically`.
    """
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def write_atomically(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves either the old or the new file.

    The bytes go to a temporary file in the same directory (a rename is only atomic within one
    file system), are flushed and fsynced, renamed over the target, and the directory is fsynced
    so the rename itself is durable.

    Args:
        path: The file to create or replace.
        payload: The complete new content.

    Raises:
        StoreError: The file could not be written; the previous content is untouched.
    """
    # A unique name: two writers that do not share our lock must not clobber each other's temp.
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        ensure_directory(path.parent)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
        fsync_directory(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StoreError(f"案件存储文件写入失败，原文件未改动：{path}（{error}）") from error


def read_json(path: Path) -> Any | None:
    """Parse a JSON file strictly.

    Args:
        path: The file to read.

    Returns:
        The parsed value, or None when the file does not exist.

    Raises:
        CorruptStoreError: The file is empty, not UTF-8 or not valid JSON.
        StoreError: The file exists but cannot be read (permissions, I/O error).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"案件存储文件无法读取：{path}（{error}）") from error
    # We never write an empty file, so an empty one was truncated by something else.
    if not raw:
        raise CorruptStoreError(str(path), "文件为空")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CorruptStoreError(str(path), f"不是 UTF-8 编码：{error.reason}") from error
    except json.JSONDecodeError as error:
        reason = f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列，{error.msg}"
        raise CorruptStoreError(str(path), reason) from error


def dump_tables(data: dict[str, dict[str, Any]]) -> bytes:
    """Serialise TinyDB tables as UTF-8 JSON with one document per line.

    One document per line keeps a damaged file repairable by hand in any text editor, and
    ``ensure_ascii=False`` keeps Chinese readable instead of ``\\uXXXX`` escapes.

    Args:
        data: TinyDB's state: table name -> document id -> document.

    Returns:
        The encoded file content.
    """
    tables = []
    for name, table in data.items():
        docs = ",\n".join(
            f"{_ENCODE(str(doc_id))}: {_ENCODE(doc)}" for doc_id, doc in table.items()
        )
        tables.append(f"{_ENCODE(name)}: {{\n{docs}\n}}")
    return ("{" + ",\n".join(tables) + "}\n").encode("utf-8")


def check_tables(path: Path, data: Any) -> dict[str, dict[str, Any]]:
    """Check that parsed JSON has TinyDB's shape: tables of documents keyed by numeric ids.

    Args:
        path: The file the data came from (named in the error).
        data: The parsed JSON.

    Returns:
        The same data, typed.

    Raises:
        CorruptStoreError: The data does not have that shape.
    """
    if not isinstance(data, dict):
        raise CorruptStoreError(str(path), "结构不符：顶层不是对象")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptStoreError(str(path), f"结构不符：表 {name} 不是对象")
        for doc_id, doc in table.items():
            # TinyDB writes str(int): anything else ("01", "١") would not be found again by id.
            canonical = doc_id.isascii() and doc_id.isdigit() and doc_id == str(int(doc_id))
            if not canonical or not isinstance(doc, dict):
                raise CorruptStoreError(str(path), f"结构不符：表 {name} 的记录 {doc_id}")
    return data


class AtomicJSONStorage(Storage):
    """A TinyDB storage whose every write is atomic and durable, and whose reads never repair.

    Unlike TinyDB's ``JSONStorage`` it keeps no file open, never creates or truncates the file
    on open (so a damaged file stays byte-identical for the person who repairs it) and writes
    through :func:`write_atomically`. It does no locking: callers serialise writers themselves.
    """

    def __init__(self, path: str | os.PathLike[str], *, remember: bool = False) -> None:
        """Create a storage for one file.

        Args:
            path: The JSON file; it and its directories are only created by the first write.
            remember: Keep the data last read or written and serve later reads from memory,
                so one operation parses the file once (TinyDB reads again before each write).
                Meant for a storage used for one short operation: it then works on a single
                snapshot; a writer must also hold the writers' lock so that the snapshot is
                still the file's content when it writes.
        """
        super().__init__()
        self.path = Path(path)
        self._remember = remember
        self._memory: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        """Read the whole database.

        Returns:
            TinyDB's state, or None when the file does not exist yet.

        Raises:
            CorruptStoreError: The file is empty, not JSON, or not shaped like a TinyDB file.
        """
        if self._memory is not None:
            return self._memory
        data = read_json(self.path)
        if data is None:
            return None
        tables = check_tables(self.path, data)
        if self._remember:
            self._memory = tables
        return tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Atomically and durably replace the file with ``data``.

        Args:
            data: TinyDB's complete state.

        Raises:
            StoreError: The write failed; the file on disk still holds the previous content.
        """
        # TinyDB mutates the dict it read before writing it back; forget it until the write
        # has succeeded so a failed write cannot leave memory ahead of the disk.
        self._memory = None
        write_atomically(self.path, dump_tables(data))
        if self._remember:
            self._memory = data
