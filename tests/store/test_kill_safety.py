"""SIGKILL at any moment: every file still loads and every acknowledged case is there."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

from kiosk.domain.cases import parse_case_number
from kiosk.store import TinyDbCaseRepository
from kiosk.store.atomic_storage import is_temp_file
from tests.store import kill_harness
from tests.store.conftest import Spawn
from tests.store.kill_harness import kill_and_collect, kill_rounds, wait_ready
from tests.store.support import digests, load_every_file, soak_only


def _wait_ready(process: subprocess.Popen[str]) -> None:
    wait_ready(process)


def _kill_and_collect(process: subprocess.Popen[str]) -> list[str]:
    return kill_and_collect(process)


def _assert_consistent(root: Path, acknowledged: list[str]) -> None:
    """Every file loads, nothing acknowledged is missing, numbers are 1..n per centre and day."""
    documents = load_every_file(root)
    repo = TinyDbCaseRepository(root)
    listed = [case.number for case in repo.list()]
    assert len(listed) == len(set(listed)) == documents == repo.count()
    assert set(acknowledged) <= set(listed)
    for number in acknowledged:
        assert repo.get(number).number == number
    sequences: dict[tuple[str, object], list[int]] = defaultdict(list)
    for number in listed:
        centre, day, seq = parse_case_number(number)
        sequences[(centre, day)].append(seq)
    for seqs in sequences.values():
        assert seqs == list(range(1, len(seqs) + 1))


def test_random_sigkill_never_loses_an_acknowledged_case(tmp_path: Path, spawn: Spawn) -> None:
    """The short version of the soak: 20 kills of one writer, checked after each."""
    before = kill_harness.FIGURES["kills"]
    kill_rounds(spawn, tmp_path, kills=20, writers=1, seed=20261127, max_delay=0.12)
    assert kill_harness.FIGURES["kills"] - before == 20


def test_random_sigkill_of_concurrent_writers(tmp_path: Path, spawn: Spawn) -> None:
    """Three writers into one store, each killed at its own random moment, four rounds."""
    kill_rounds(spawn, tmp_path, kills=12, writers=3, seed=7, max_delay=0.15)


def test_kill_between_temp_file_and_rename_keeps_the_old_file(tmp_path: Path, spawn: Spawn) -> None:
    root = tmp_path / "store"
    process = spawn(root, "--chunk-size", "5", "--stall-after", "3")
    _wait_ready(process)
    assert process.stdout is not None
    acknowledged = [process.stdout.readline().strip() for _ in range(3)]
    stall = process.stdout.readline().split()
    assert stall[0] == "stall"
    temp, target = Path(stall[1]), Path(stall[2])
    assert temp.exists() and is_temp_file(temp.name)
    before = digests(root)

    acknowledged += _kill_and_collect(process)

    assert acknowledged == ["HJ-20261120-0001", "HJ-20261120-0002", "HJ-20261120-0003"]
    assert digests(root) == before  # target untouched, the complete temp file orphaned
    _assert_consistent(root, acknowledged)
    repo = TinyDbCaseRepository(root)
    assert [c.number for c in repo.list()] == acknowledged
    # The number the killed add was about to use is handed out again: it was never acknowledged.
    again = repo.add(TinyDbCaseRepository(root).get(acknowledged[0]), "HJ")
    assert again.number == "HJ-20261120-0004"
    assert not temp.exists()  # swept by the next writer, under the lock
    assert target.exists()


@soak_only
def test_sigkill_soak_one_writer(tmp_path: Path, spawn: Spawn) -> None:
    """The soak: 200 kills of one writer at random moments, the store checked after each."""
    kill_rounds(spawn, tmp_path, kills=200, writers=1, seed=2026, max_delay=0.3)


@soak_only
def test_sigkill_soak_with_several_writers(tmp_path: Path, spawn: Spawn) -> None:
    """The soak with three concurrent writers: 201 kills in 67 rounds."""
    kill_rounds(spawn, tmp_path, kills=201, writers=3, seed=7, max_delay=0.4)
