"""Helpers shared by the store tests: a case factory, file digests, the worker process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.cases import Case

WORKER = Path(__file__).with_name("worker.py")
# Soak runs are deselected by default (pyproject addopts) and run by `make soak`.
soak_only = pytest.mark.slow


def make_case(created_at: str = "2026-11-27T10:30:00+08:00", **changes: Any) -> Case:
    """The issue's example case, with any field replaced.

    Args:
        created_at: ISO timestamp with offset; its date is the case's day.
        **changes: Other Case fields to override.

    Returns:
        A new unnumbered case.
    """
    fields: dict[str, Any] = {
        "created_at": created_at,
        "outcome": "grey_zone",
        "request": {"matter": None, "description": "测试"},
        "decision": {"outcome": "grey_zone", "reply_due": "2026-12-04"},
        "applicant": {"name": "张三", "phone": "13800000000"},
    }
    fields.update(changes)
    return Case(**fields)


def on_day(day: str, **changes: Any) -> Case:
    """A case created at 10:30 (+08:00) on a day given as YYYY-MM-DD.

    Args:
        day: The calendar day.
        **changes: Other Case fields to override.

    Returns:
        A new unnumbered case.
    """
    return make_case(f"{day}T10:30:00+08:00", **changes)


def digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under a directory, by relative path.

    Args:
        root: The directory.

    Returns:
        Relative path -> hex digest.
    """
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def chunk_files(root: Path) -> list[Path]:
    """The chunk files of a store, sorted.

    Args:
        root: The store directory.

    Returns:
        Paths of ``cases/*/*.json``.
    """
    return sorted((root / "cases").glob("*/*.json"))


def load_every_file(root: Path) -> int:
    """Parse every chunk file as strict UTF-8 JSON (what a crash must never break).

    Args:
        root: The store directory.

    Returns:
        The number of documents found.
    """
    total = 0
    for path in chunk_files(root):
        data = json.loads(path.read_bytes().decode("utf-8"))
        total += len(data["cases"])
    return total


def start_worker(root: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``worker.py`` writing into a store; it prints ``ready`` once the store is open.

    Args:
        root: The store directory.
        *args: Further worker options.

    Returns:
        The running process, stdout piped as text.
    """
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(root), *args],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
