"""Durable case repository: TinyDB over small atomic JSON chunk files, one file lock for writers."""

from __future__ import annotations

import builtins
import contextlib
import json
from collections.abc import Iterator, MutableMapping
from datetime import date
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.table import Document, Table

from kiosk.domain.cases import Case, format_case_number
from kiosk.domain.ports import CaseNotFoundError, CorruptStoreError, StoreError
from kiosk.store.atomic_storage import (
    AtomicJSONStorage,
    ensure_directory,
    read_json,
    write_atomically,
)
from kiosk.store.partitions import (
    TABLE,
    Layout,
    Partition,
    check_chunk,
    check_table_names,
)
from kiosk.store.records import (
    check_centre_code,
    in_range,
    number_parts,
    seal_record,
    to_record,
)

# Measured with ~1 KB cases at 150 a day (bench/store_write.py): 100 keeps one add() at about
# 1.5 ms median / 2-3 ms p99 and count() at 0.2 s for 100,000 cases; 200 made adds about 1.5x
# and count() 3x slower, since every add re-reads and rewrites its whole chunk.
DEFAULT_CHUNK_SIZE = 100
META_FILE = "store.json"
LOCK_FILE = "store.lock"
STORE_FORMAT = "kiosk-case-store"
STORE_VERSION = 1
# filelock polls for a contended lock. Its 50 ms default leaves the lock idle most of the time
# when several terminals write at once (a write holds it for 1-3 ms); 1 ms made 8 waiting
# writers burn the CPU the holder needs (8 x 500 adds on 2 cores: 17.6 s at 1 ms, 11.3 s at 10).
LOCK_POLL_SECONDS = 0.01


def _replace_with(record: dict[str, Any]) -> Any:
    """A TinyDB update operation that replaces a whole document (TinyDB's own merges keys)."""

    def transform(doc: MutableMapping[str, Any]) -> None:
        doc.clear()
        doc.update(record)

    return transform


class TinyDbCaseRepository:
    """Implements ``CaseRepository`` on disk under ``root``.

    Layout: ``store.json`` (format and chunk size), ``store.lock`` and
    ``cases/YYYY-MM/YYYYMMDD-CENTRE-CHUNK.json``. A chunk file is a TinyDB database whose
    ``cases`` table holds at most ``chunk_size`` cases keyed by their sequence number, so a
    number names exactly one small file and a write costs the same after years of history.
    Writers take a file lock; readers do not, because every write is an atomic rename.
    """

    def __init__(
        self, root: Path, *, chunk_size: int | None = None, lock_timeout: float = 30.0
    ) -> None:
        """Open (and on first use create) a store.

        Args:
            root: The store directory.
            chunk_size: Cases per chunk file for a new store; an existing store keeps its own,
                and asking for a different one is an error.
            lock_timeout: Seconds to wait for other writers before giving up.

        Raises:
            CorruptStoreError: ``store.json`` is damaged.
            StoreError: The store cannot be created, or ``chunk_size`` conflicts with it.
            ValueError: ``chunk_size`` is not positive.
        """
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"分块大小必须是正整数：{chunk_size}")
        self.root = Path(root)
        ensure_directory(self.root)
        self._lock_timeout = lock_timeout
        self._lock = FileLock(
            self.root / LOCK_FILE, timeout=lock_timeout, poll_interval=LOCK_POLL_SECONDS
        )
        self._layout = Layout(self.root / "cases", self._open_meta(chunk_size))

    @property
    def chunk_size(self) -> int:
        """Cases per chunk file in this store."""
        return self._layout.chunk_size

    def add(self, case: Case, centre_code: str) -> Case:
        """Give the case the next number of its centre and day and store it durably.

        The next sequence is derived, under the lock, from the last chunk file of that centre
        and day, so no counter elsewhere can disagree with the data after a crash.

        Args:
            case: The new case; any number it has is ignored and replaced on success.
            centre_code: Two to eight capital letters.

        Returns:
            The same case object, numbered; it is on disk when this returns.

        Raises:
            CorruptStoreError: The chunk file this case would go into is damaged (not touched).
            StoreError: The lock or the write failed.
            ValueError: Malformed centre code or ``created_at``; ``UnicodeEncodeError`` (a
                ValueError) for text UTF-8 cannot hold.
            TypeError: The case holds values JSON cannot represent.
        """
        check_centre_code(centre_code)
        day = case.day
        record = to_record(case, "")  # fails on non-JSON data before taking the lock
        with self._writing():
            existing = self._layout.partitions_of(centre_code, day)
            seq = 1
            table = None
            if existing:
                last = existing[-1]
                table = self._table(last)
                # Every record is checked, not just the ids: never append to a damaged file.
                seq = self._layout.first_sequence(last) + len(self._checked(last, table))
            target = self._layout.partition(centre_code, day, seq)
            if table is None or target != existing[-1]:
                table = self._table(target)
            self._sweep(target)
            number = format_case_number(centre_code, day, seq)
            record["number"] = number
            seal_record(record)
            table.insert(Document(record, doc_id=seq))
        case.number = number
        case.seal()
        return case

    def get(self, number: str) -> Case:
        """The case with this number, read from its one chunk file without the lock.

        Args:
            number: A case number.

        Returns:
            A fresh case object.

        Raises:
            CaseNotFoundError: No case has this number (or the number is malformed).
            CorruptStoreError: Its chunk file is damaged (not touched).
        """
        parts = number_parts(number)
        if parts is not None:
            centre, day, seq = parts
            partition = self._layout.partition(centre, day, seq)
            docs = self._checked(partition, self._table(partition))
            if seq in docs:
                return Case.from_dict(docs[seq])
        raise CaseNotFoundError(f"没有编号为 {number} 的案件")

    def update(self, case: Case) -> None:
        """Replace the stored case that has the same number, durably and under the lock.

        Args:
            case: The changed case.

        Raises:
            CaseNotFoundError: No case has this number.
            CorruptStoreError: Its chunk file is damaged (not touched).
            StoreError: The lock or the write failed.
            TypeError: The case holds values JSON cannot represent.
            UnicodeEncodeError: The case holds text UTF-8 cannot hold.
        """
        parts = number_parts(case.number)
        if parts is None:
            raise CaseNotFoundError(f"没有编号为 {case.number} 的案件，无法更新")
        centre, day, seq = parts
        case.seal()
        record = to_record(case, case.number)
        partition = self._layout.partition(centre, day, seq)
        with self._writing():
            table = self._table(partition)
            if seq not in self._checked(partition, table):
                raise CaseNotFoundError(f"没有编号为 {case.number} 的案件，无法更新")
            self._sweep(partition)
            table.update(_replace_with(record), doc_ids=[seq])

    def count(self) -> int:
        """How many cases are stored, exactly.

        Sequences are handed out one by one and never removed, so every chunk but the last of
        a centre and day is full: only that last chunk is read (and checked like any read).

        Returns:
            The number of cases.

        Raises:
            CorruptStoreError: A last chunk is damaged, or an earlier chunk file is missing.
        """
        total = 0
        for month_dir in self._layout.month_dirs(None, None):
            groups: dict[tuple[date, str], builtins.list[Partition]] = {}
            for partition in self._layout.partitions_in(month_dir):
                groups.setdefault((partition.day, partition.centre), []).append(partition)
            for chunks in groups.values():
                last = chunks[-1]
                if len(chunks) != last.chunk + 1:
                    present = {p.chunk for p in chunks}
                    gap = min(set(range(last.chunk + 1)) - present)
                    missing = self._layout.path(Partition(last.day, last.centre, gap))
                    raise CorruptStoreError(str(missing), "分块文件缺失，无法确定案件数")
                held = len(self._checked(last, self._table(last)))
                total += last.chunk * self.chunk_size + held
        return total

    def list(self, since: date | None = None, until: date | None = None) -> Iterator[Case]:
        """Cases of the days [since, until] (the day in their number), oldest first.

        Files outside the range are skipped by their names, without being opened.

        Args:
            since: First day included, or None for no lower bound.
            until: Last day included, or None for no upper bound.

        Yields:
            Fresh case objects, by day, then sequence, then centre code.

        Raises:
            CorruptStoreError: A chunk file in the range is damaged (not touched).
        """
        for month_dir in self._layout.month_dirs(since, until):
            by_day: dict[date, builtins.list[Partition]] = {}
            for partition in self._layout.partitions_in(month_dir):
                if in_range(partition.day, since, until):
                    by_day.setdefault(partition.day, []).append(partition)
            for _day, partitions in sorted(by_day.items()):
                cases = [
                    (seq, partition.centre, case)
                    for partition in partitions
                    for seq, case in self._read(partition).items()
                ]
                cases.sort(key=lambda item: (item[0], item[1]))
                for _seq, _centre, case in cases:
                    yield case

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the writers' lock, turning a timeout into a StoreError staff can read."""
        try:
            self._lock.acquire()
        except Timeout as error:
            raise StoreError(
                f"案件存储正被其他程序占用，{self._lock_timeout:g} 秒内未能写入：{self.root}"
            ) from error
        try:
            yield
        finally:
            self._lock.release()

    def _table(self, partition: Partition) -> Table:
        """The ``cases`` table of one chunk file, read at most once per operation."""
        db = TinyDB(self._layout.path(partition), storage=AtomicJSONStorage, remember=True)
        return db.table(TABLE)

    def _checked(self, partition: Partition, table: Table) -> dict[int, Document]:
        """All records of a chunk after checking the file; empty when it does not exist."""
        path = self._layout.path(partition)
        tables = table.storage.read()
        if tables is None:
            return {}
        check_table_names(path, tables)
        docs = {doc.doc_id: doc for doc in table.all()}
        check_chunk(path, self._layout, partition, docs)
        return docs

    def _read(self, partition: Partition) -> dict[int, Case]:
        """All cases of a chunk, read without the lock (a rename never shows a partial file)."""
        docs = self._checked(partition, self._table(partition))
        return {seq: Case.from_dict(doc) for seq, doc in docs.items()}

    def _sweep(self, partition: Partition) -> None:
        """Delete temp files of writers killed mid-write; we hold the lock, so none is live."""
        for temp in self._layout.temp_files(self._layout.path(partition).parent):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def _open_meta(self, chunk_size: int | None) -> int:
        """Read ``store.json``, creating it under the lock for a new store; its chunk size."""
        path = self.root / META_FILE
        meta = read_json(path)
        if meta is None:
            with self._writing():
                meta = read_json(path)  # another process may have created it meanwhile
                if meta is None:
                    meta = {
                        "format": STORE_FORMAT,
                        "version": STORE_VERSION,
                        "chunk_size": DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size,
                    }
                    payload = f"{json.dumps(meta, ensure_ascii=False)}\n".encode()
                    write_atomically(path, payload)
        if (
            not isinstance(meta, dict)
            or meta.get("format") != STORE_FORMAT
            or meta.get("version") != STORE_VERSION
            or not isinstance(meta.get("chunk_size"), int)
            or meta["chunk_size"] < 1
        ):
            raise CorruptStoreError(str(path), "不是本程序的案件存储说明文件")
        stored: int = meta["chunk_size"]
        if chunk_size is not None and chunk_size != stored:
            raise StoreError(f"案件存储 {self.root} 的分块大小为 {stored}，不能改为 {chunk_size}")
        return stored
