"""SIGKILL at any moment: every file still loads and every acknowledged case is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pytest

from kiosk.domain.cases import parse_case_number
from kiosk.store import TinyDbCaseRepository
from kiosk.store.atomic_storage import is_temp_file
from tests.store.conftest import Spawn
from tests.store.support import digests, load_every_file, soak_only

ROUNDS = 10 if os.environ.get("KIOSK_SOAK") else 5


def _wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    assert process.stdout.readline() == "ready\n"


def _kill_and_collect(process: subprocess.Popen[str]) -> list[str]:
    """SIGKILL the worker; the numbers it acknowledged are its complete output lines."""
    process.send_signal(signal.SIGKILL)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # A number is acknowledged only when its whole line (with newline) made it out.
    return [line for line in output.split("\n")[:-1] if line and not line.startswith("stall")]


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
    root = tmp_path / "store"
    rng = random.Random(20261127)
    acknowledged: list[str] = []
    for _round in range(ROUNDS):
        # Small chunks and several days: kills also land on chunk rollovers and new files.
        process = spawn(
            root, "--chunk-size", "5", "--days", "3", "--update-every", "4", "--centre", "HJ"
        )
        _wait_ready(process)
        time.sleep(rng.uniform(0.05, 0.4))
        acknowledged += _kill_and_collect(process)
        _assert_consistent(root, acknowledged)
    assert len(acknowledged) > ROUNDS  # the worker really wrote between kills


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


@pytest.mark.slow
@soak_only
def test_sigkill_soak_with_several_writers(tmp_path: Path, spawn: Spawn) -> None:
    root = tmp_path / "store"
    rng = random.Random(7)
    acknowledged: list[str] = []
    for _round in range(20):
        processes = [
            spawn(root, "--chunk-size", "7", "--days", "2", "--centre", centre)
            for centre in ("HJ", "HJ", "AK")
        ]
        for process in processes:
            _wait_ready(process)
        time.sleep(rng.uniform(0.05, 0.5))
        for process in processes:
            acknowledged += _kill_and_collect(process)
        _assert_consistent(root, acknowledged)
