"""`kiosk db verify`: check every chunk file, every case's hash chain and the numbering."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.domain.cases import format_case_number
from kiosk.domain.chain import check_chain
from kiosk.domain.ports import StoreError
from kiosk.store.atomic_storage import check_tables, read_json
from kiosk.store.partitions import TABLE, Layout, Partition, check_table_names
from kiosk.store.records import record_problem

META_FILE = "store.json"
_KINDS = {
    "edited": "内容被改动，或其前一条被删除",
    "reordered": "顺序被调换",
    "missing": "缺少哈希（在已加链的记录之后被插入）",
}


@dataclass(frozen=True)
class Problem:
    """One finding of a store check.

    Attributes:
        where: The case number or file concerned.
        message: What is wrong, in Chinese.
        serious: False for a notice that is not damage (e.g. an old case without a chain).
    """

    where: str
    message: str
    serious: bool = True

    def __str__(self) -> str:
        """The one-line form staff read."""
        return f"{self.where}：{self.message}"


@dataclass
class Report:
    """The outcome of :func:`scan_store`.

    Attributes:
        files: Chunk files read.
        cases: Case records checked.
        chained: Cases whose timeline carries a hash chain.
        problems: Findings, serious ones and notices.
    """

    files: int = 0
    cases: int = 0
    chained: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no serious problem was found."""
        return not any(problem.serious for problem in self.problems)


def verify_store(root: Path) -> list[Problem]:
    """Check a whole store; see :func:`scan_store`.

    Args:
        root: The store directory.

    Returns:
        The findings; serious ones are damage, the others notices.
    """
    return scan_store(root).problems


def scan_store(root: Path) -> Report:
    """Walk every partition of a store without the lock and without changing anything.

    Checks that every chunk file parses and holds cases filed under their own numbers, that
    each case's timeline hash chain is intact (naming the entry that breaks it) and that the
    sequence numbers of each centre and day have no gaps (a deleted case or chunk file).

    Args:
        root: The store directory.

    Returns:
        A report with figures and findings.

    Raises:
        StoreError: ``root`` is not a case store.
    """
    meta_path = Path(root) / META_FILE
    meta = read_json(meta_path)
    if not isinstance(meta, dict) or not isinstance(meta.get("chunk_size"), int):
        raise StoreError(f"不是案件存储目录（缺少或无法识别 {META_FILE}）：{root}")
    layout = Layout(Path(root) / "cases", meta["chunk_size"])
    report = Report()
    numbers: dict[tuple[str, date], set[int]] = defaultdict(set)
    for month_dir in layout.month_dirs(None, None):
        for partition in layout.partitions_in(month_dir):
            report.files += 1
            docs = _chunk_documents(layout, partition, report)
            for seq, doc in sorted(docs.items()):
                numbers[(partition.centre, partition.day)].add(seq)
                _check_case(layout, partition, seq, doc, report)
    for (centre, day), seqs in sorted(numbers.items()):
        for gap in sorted(set(range(1, max(seqs) + 1)) - seqs):
            number = format_case_number(centre, day, gap)
            report.problems.append(Problem(number, "案件缺失（编号不连续，可能被删除）"))
    return report


def _chunk_documents(layout: Layout, partition: Partition, report: Report) -> dict[int, Any]:
    """The documents of one chunk file by sequence, or none when the file is damaged."""
    path = layout.path(partition)
    try:
        tables = check_tables(path, read_json(path) or {})
        check_table_names(path, tables)
    except StoreError as error:
        report.problems.append(Problem(str(path), f"文件无法读取：{error}"))
        return {}
    docs: dict[int, Any] = {}
    first = layout.first_sequence(partition)
    for key, doc in tables[TABLE].items():
        seq = int(key)
        if not first <= seq < first + layout.chunk_size:
            report.problems.append(Problem(str(path), f"记录 {seq} 不在本分块范围内"))
            continue
        docs[seq] = doc
    return docs


def _check_case(layout: Layout, partition: Partition, seq: int, doc: Any, report: Report) -> None:
    """Check one stored case record and its chain."""
    report.cases += 1
    number = format_case_number(partition.centre, partition.day, seq)
    problem = record_problem(doc)
    if problem is None and doc["number"] != number:
        problem = f"记录中的编号 {doc['number']} 与位置不符"
    if problem is not None:
        report.problems.append(Problem(number, f"记录损坏：{problem}"))
        return
    breaks = check_chain(number, doc["created_at"], doc["timeline"])
    if breaks is None:
        report.problems.append(Problem(number, "旧记录，办理记录未加哈希链，无法校验", False))
        return
    report.chained += 1
    for found in breaks:
        message = f"第 {found.index + 1} 条办理记录{_KINDS[found.kind]}"
        report.problems.append(Problem(number, message))
