"""Backups: consistent while a writer runs, checked against their manifest, restored and verified."""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kiosk.cli_db import run_db
from kiosk.domain.cases import TimelineEntry
from kiosk.store import TinyDbCaseRepository
from kiosk.store.backup import (
    MANIFEST,
    BackupError,
    RestoreRefused,
    backup,
    check_backup,
    restore,
)
from kiosk.store.verify import scan_store
from tests.store.conftest import Spawn
from tests.store.kill_harness import kill_and_collect, wait_ready
from tests.store.support import chunk_files, digests, on_day


@pytest.fixture
def small_store(tiny: TinyDbCaseRepository) -> Path:
    """Seven cases over two days."""
    for index in range(7):
        tiny.add(on_day(f"2026-11-{20 + index % 2}", request={"n": index}), "HJ")
    return tiny.root


def test_backup_while_a_writer_runs_restores_and_verifies(tmp_path: Path, spawn: Spawn) -> None:
    root = tmp_path / "store"
    writer = spawn(root, "--chunk-size", "5", "--days", "2", "--update-every", "3")
    wait_ready(writer)
    time.sleep(0.15)
    taken = backup(root, tmp_path / "backup")
    time.sleep(0.05)
    acknowledged = kill_and_collect(writer)
    assert taken.cases > 0 and taken.files == len(chunk_files(tmp_path / "backup")) + 1

    restored = tmp_path / "fresh" / "store"
    done = restore(tmp_path / "backup", restored)
    assert (done.files, done.cases) == (taken.files, taken.cases)
    report = scan_store(restored)
    assert report.problems == [] and report.cases == taken.cases
    repo, live = TinyDbCaseRepository(restored), TinyDbCaseRepository(root)
    assert repo.count() == taken.cases <= live.count()
    # The copy is one moment of the store: a prefix of what the writer acknowledged, unchanged
    # except for updates made after the copy.
    numbers = [case.number for case in repo.list()]
    assert set(numbers) <= set(acknowledged) | {c.number for c in live.list()}
    for case in repo.list():
        now = live.get(case.number).to_dict()
        then = case.to_dict()
        assert then["request"] == now["request"]
        assert now["timeline"][: len(then["timeline"])] == then["timeline"]


def test_backup_refuses_an_existing_destination(small_store: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(FileExistsError):
        backup(small_store, tmp_path / "taken")


def test_backup_leaves_the_store_and_no_partial_directory(
    small_store: Path, tmp_path: Path
) -> None:
    before = digests(small_store)
    backup(small_store, tmp_path / "b")
    assert digests(small_store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b", "store"]
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text("utf-8"))
    assert manifest["cases"] == 7 and "store.json" in manifest["files"]


def _corrupt_chunk(backup_dir: Path) -> None:
    path = chunk_files(backup_dir)[0]
    path.write_text(path.read_text("utf-8").replace("2026", "2025", 1), "utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        _corrupt_chunk,
        lambda b: chunk_files(b)[-1].unlink(),
        lambda b: (b / "cases" / "2026-11" / "20261122-HJ-0000.json").write_text("{}"),
        lambda b: (b / MANIFEST).write_text("{", "utf-8"),
        lambda b: (b / MANIFEST).unlink(),
    ],
    ids=["changed", "missing", "extra", "bad-manifest", "no-manifest"],
)
def test_a_damaged_backup_is_refused(small_store: Path, tmp_path: Path, damage: Any) -> None:
    backup(small_store, tmp_path / "b")
    damage(tmp_path / "b")
    with pytest.raises(BackupError):
        check_backup(tmp_path / "b")
    with pytest.raises(BackupError):
        restore(tmp_path / "b", tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_restore_refuses_a_non_empty_store_unless_forced(small_store: Path, tmp_path: Path) -> None:
    backup(small_store, tmp_path / "b")
    other = tmp_path / "other"
    TinyDbCaseRepository(other).add(on_day("2026-11-25"), "AK")
    before = digests(other)
    with pytest.raises(RestoreRefused):
        restore(tmp_path / "b", other)
    assert digests(other) == before
    restore(tmp_path / "b", other, force=True)
    assert TinyDbCaseRepository(other).count() == 7
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("other.before-restore-")]
    assert len(aside) == 1 and digests(aside[0]) == before


def test_restore_into_an_empty_existing_directory(small_store: Path, tmp_path: Path) -> None:
    backup(small_store, tmp_path / "b")
    (tmp_path / "empty").mkdir()
    assert restore(tmp_path / "b", tmp_path / "empty").cases == 7


def _run(state: Path, command: str, *args: Any, **options: Any) -> int:
    services: Any = SimpleNamespace(state_dir=state)
    namespace = SimpleNamespace(db_command=command, force=False, **options)
    return run_db(services, namespace)  # type: ignore[arg-type]


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state"
    repo = TinyDbCaseRepository(state / "cases")
    entry = TimelineEntry(
        at="2026-11-27T10:30:00+08:00", actor="窗口一", role="clerk", action="登记"
    )
    repo.add(on_day("2026-11-27", timeline=[entry]), "HJ")
    assert _run(state, "verify") == 0
    assert "1 件案件" in capsys.readouterr().out
    assert _run(state, "backup", dest=tmp_path / "b") == 0
    assert _run(state, "backup", dest=tmp_path / "b") == 2
    assert _run(state, "restore", src=tmp_path / "nowhere") == 2
    assert _run(state, "restore", src=tmp_path / "b") == 3
    assert _run(tmp_path / "new", "restore", src=tmp_path / "b") == 0
    _corrupt_chunk(tmp_path / "b")
    assert _run(tmp_path / "newer", "restore", src=tmp_path / "b") == 1
    assert _run(tmp_path / "missing", "verify") == 3
    path = chunk_files(state / "cases")[0]
    path.write_text(path.read_text("utf-8").replace("登记", "删除"), "utf-8")
    assert _run(state, "verify") == 1
    assert "第 1 条办理记录" in capsys.readouterr().out
