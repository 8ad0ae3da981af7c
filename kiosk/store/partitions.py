"""Where each case lives on disk: cases/YYYY-MM/YYYYMMDD-CENTRE-CHUNK.json, and their checks."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.domain.cases import format_case_number
from kiosk.domain.ports import CorruptStoreError
from kiosk.store.atomic_storage import is_temp_file
from kiosk.store.records import record_problem

TABLE = "cases"
FILE_NAME = re.compile(r"^(?P<day>\d{8})-(?P<centre>[A-Z]{2,8})-(?P<chunk>\d{4,})\.json$")
MONTH_DIR = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True, order=True)
class Partition:
    """One chunk file: the cases of one centre and day whose sequence falls in one range."""

    day: date
    centre: str
    chunk: int

    @property
    def file_name(self) -> str:
        """The file name, e.g. ``20261127-HJ-0000.json``."""
        return f"{self.day:%Y%m%d}-{self.centre}-{self.chunk:04d}.json"

    @property
    def month(self) -> str:
        """The month directory name, e.g. ``2026-11``."""
        return f"{self.day:%Y-%m}"


def parse_file_name(name: str) -> Partition | None:
    """The partition a file name stands for, or None for any other file (ignored by the store).

    Args:
        name: A bare file name.

    Returns:
        The partition, or None.
    """
    match = FILE_NAME.match(name)
    if not match:
        return None
    digits = match["day"]
    try:
        # date() rather than strptime: this runs for every file name of a month on each add.
        day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return Partition(day, match["centre"], int(match["chunk"]))


class Layout:
    """Maps case numbers to chunk files and finds chunk files by name, never by content."""

    def __init__(self, cases_dir: Path, chunk_size: int) -> None:
        """Describe the layout under a directory.

        Args:
            cases_dir: The ``cases`` directory of a store.
            chunk_size: At most this many cases per chunk file; fixed for the life of a store.
        """
        self.cases_dir = cases_dir
        self.chunk_size = chunk_size

    def partition(self, centre: str, day: date, seq: int) -> Partition:
        """The chunk that holds (or will hold) a given sequence number.

        Args:
            centre: Centre code.
            day: Day of the case.
            seq: Sequence number, from 1.

        Returns:
            The partition.
        """
        return Partition(day, centre, (seq - 1) // self.chunk_size)

    def first_sequence(self, partition: Partition) -> int:
        """The lowest sequence number a chunk can hold.

        Args:
            partition: The chunk.

        Returns:
            Its first sequence number.
        """
        return partition.chunk * self.chunk_size + 1

    def path(self, partition: Partition) -> Path:
        """The file of a chunk.

        Args:
            partition: The chunk.

        Returns:
            Its path (which may not exist yet).
        """
        return self.cases_dir / partition.month / partition.file_name

    def month_dirs(self, since: date | None, until: date | None) -> list[Path]:
        """Month directories that may hold days in [since, until], oldest first.

        Args:
            since: First day, or None.
            until: Last day, or None.

        Returns:
            The directories, chosen by name alone.
        """
        low = f"{since:%Y-%m}" if since else ""
        high = f"{until:%Y-%m}" if until else "9999-99"
        try:
            names = os.listdir(self.cases_dir)
        except FileNotFoundError:
            return []
        return [
            self.cases_dir / name
            for name in sorted(names)
            if MONTH_DIR.match(name) and low <= name <= high
        ]

    def partitions_in(self, month_dir: Path) -> list[Partition]:
        """The chunk files of one month, sorted by day, centre, chunk.

        Args:
            month_dir: A month directory.

        Returns:
            The partitions found there (other files are ignored).
        """
        try:
            names = os.listdir(month_dir)
        except FileNotFoundError:
            return []
        found = (parse_file_name(name) for name in names)
        month = month_dir.name
        kept = [p for p in found if p is not None and p.month == month]
        return sorted(kept, key=lambda p: (p.day, p.centre, p.chunk))

    def partitions_of(self, centre: str, day: date) -> list[Partition]:
        """The existing chunk files of one centre and day, in chunk order.

        Args:
            centre: Centre code.
            day: The day.

        Returns:
            The partitions, possibly none.
        """
        month_dir = self.cases_dir / f"{day:%Y-%m}"
        prefix = f"{day:%Y%m%d}-{centre}-"
        try:
            names = [name for name in os.listdir(month_dir) if name.startswith(prefix)]
        except FileNotFoundError:
            return []
        found = (parse_file_name(name) for name in names)
        month = month_dir.name
        kept = [p for p in found if p is not None and p.month == month]
        return sorted(kept, key=lambda p: (p.day, p.centre, p.chunk))

    def temp_files(self, directory: Path) -> list[Path]:
        """Temporary files left in a directory by a writer that was killed mid-write.

        Args:
            directory: A directory of the store.

        Returns:
            Their paths.
        """
        try:
            return [directory / name for name in os.listdir(directory) if is_temp_file(name)]
        except FileNotFoundError:
            return []


def check_sequences(path: Path, layout: Layout, partition: Partition, ids: Iterable[int]) -> int:
    """Check a chunk's document ids: consecutive from the chunk's first sequence, within it.

    Numbers are handed out one by one and never deleted, so any gap or stray id means the file
    was edited or damaged; trusting it could hand out a number twice.

    Args:
        path: The chunk file (named in the error).
        layout: The store layout.
        partition: The chunk.
        ids: Its document ids.

    Returns:
        How many cases the chunk holds.

    Raises:
        CorruptStoreError: The ids are not exactly first, first + 1, ... within the chunk.
    """
    ordered = sorted(ids)
    first = layout.first_sequence(partition)
    if ordered != list(range(first, first + len(ordered))) or len(ordered) > layout.chunk_size:
        span = f"{ordered[0]}-{ordered[-1]}" if ordered else "无"
        expected = f"{first}-{first + layout.chunk_size - 1}"
        raise CorruptStoreError(
            str(path), f"结构不符：记录编号 {span} 不连续或不在本分块范围 {expected} 内"
        )
    return len(ordered)


def check_table_names(path: Path, tables: Mapping[str, Any]) -> None:
    """Check that a chunk file holds exactly the ``cases`` table.

    Args:
        path: The chunk file (named in the error).
        tables: Its parsed content.

    Raises:
        CorruptStoreError: Another table, or none.
    """
    if set(tables) != {TABLE}:
        raise CorruptStoreError(str(path), f"结构不符：应只有表 {TABLE}，实为 {sorted(tables)}")


def check_chunk(
    path: Path, layout: Layout, partition: Partition, docs: Mapping[int, Mapping[str, Any]]
) -> int:
    """Check a chunk's ids and that every record is a case filed under its own number.

    Args:
        path: The chunk file (named in the error).
        layout: The store layout.
        partition: The chunk.
        docs: Document id -> stored record.

    Returns:
        How many cases the chunk holds.

    Raises:
        CorruptStoreError: Ids out of order, a record that is not a case, or a wrong number.
    """
    held = check_sequences(path, layout, partition, docs)
    # Formatting the prefix once: this runs over every record of a chunk on each add.
    prefix = format_case_number(partition.centre, partition.day, 0)[:-4]
    for seq, doc in docs.items():
        problem = record_problem(doc)
        if problem is None and doc["number"] != f"{prefix}{seq:04d}":
            problem = f"编号 {doc['number']} 与位置不符"
        if problem is not None:
            raise CorruptStoreError(str(path), f"结构不符：记录 {seq} {problem}")
    return held
